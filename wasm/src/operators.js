// Operator classes over the C API: weights are copied into the module once at construction;
// run() copies the inputs into module memory, reshapes/sets up only when the shape or the buffers
// changed, runs on the runtime's pool and copies the result out.

import { describeValue, requireRuntime } from './runtime.js';

const FLAG_TENSORFLOW_SAME_PADDING = 0x1;
const FLAG_TRANSPOSE_WEIGHTS = 0x2;
const FLAG_TRANSPOSE_A = 0x4;
const FLAG_TRANSPOSE_B = 0x8;
const FLAG_COUNT_INCLUDE_PAD = 0x10;
const FLAG_GELU_TANH_APPROXIMATION = 0x20;

const MAX_DIMS = 6;  // PNN_MAX_DIMS
const U32_MAX = 0xffffffff;

// Scratch layout (Runtime.scratch, 256 bytes): out-parameters and small shape arrays.
const SCRATCH_OUT = 0;      // op_out, output height/width, output dim count
const SCRATCH_DIMS_A = 64;  // up to 6 size_t
const SCRATCH_DIMS_B = 96;
const SCRATCH_DIMS_OUT = 128;

// ---------------------------------------------------------------------------------------------
// Argument checks. Messages name the operator, the argument and what was wrong: a TypeError for
// a value of the wrong type, a RangeError for a number out of range, an Error for lengths and
// shapes that do not agree. Values are described without running the caller's code, typed arrays
// are measured and copied with the intrinsic accessors (a subclass or an own `length` cannot fake
// them), and shapes are copied once (dims()) so that getters cannot change a checked value.

// The most float32 elements a buffer can have: its bytes must fit the 32-bit size_t of wasm32.
const MAX_ELEMENTS = Math.floor(U32_MAX / 4);

const TypedArrayPrototype = Object.getPrototypeOf(Float32Array.prototype);
const typedArrayTag = Object.getOwnPropertyDescriptor(TypedArrayPrototype, Symbol.toStringTag).get;
const typedArrayLength = Object.getOwnPropertyDescriptor(TypedArrayPrototype, 'length').get;
const typedArraySet = TypedArrayPrototype.set;

function fail(who, message, ErrorClass = Error) {
  throw new ErrorClass(`${who}: ${message}`);
}

function isFloat32Array(value) { return typedArrayTag.call(value) === 'Float32Array'; }
function lengthOf(typedArray) { return typedArrayLength.call(typedArray); }

function integer(who, name, value, min, fallback) {
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > U32_MAX) {
    fail(who, `${name} must be an integer in [${min}, ${U32_MAX}], got ${describeValue(value)}`,
         typeof value === 'number' ? RangeError : TypeError);
  }
  return value;
}

function number(who, name, value, fallback) {
  if (value === undefined) return fallback;
  if (typeof value !== 'number') fail(who, `${name} must be a number, got ${describeValue(value)}`, TypeError);
  return value;
}

function boolean(who, name, value) {
  if (value === undefined) return false;
  if (typeof value !== 'boolean') fail(who, `${name} must be a boolean, got ${describeValue(value)}`, TypeError);
  return value;
}

// A string argument quoted as given, anything else described.
function quoted(value) {
  return typeof value === 'string' ? `'${value}'` : describeValue(value);
}

function shapeString(shape) {
  if (!Array.isArray(shape)) return describeValue(shape);
  const show = (d) => (typeof d === 'number' ? String(d) : typeof d === 'string' ? `'${d}'`
    : typeof d === 'bigint' ? `${d}n` : d === null ? 'null' : typeof d === 'object' ? 'object' : String(typeof d));
  return `[${shape.map(show).join(', ')}]`;
}

// A copy of a shape argument, each dimension read once; arguments that are not arrays are
// returned as they are for checkShape() to reject.
function dims(who, name, shape) {
  if (!Array.isArray(shape)) return shape;
  const rank = shape.length;
  if (rank > 64) fail(who, `${name} has ${rank} dimensions, more than any operator takes`, RangeError);
  const copy = new Array(rank);
  for (let i = 0; i < rank; i++) copy[i] = shape[i];
  return copy;
}

function checkShape(who, name, shape, minRank, maxRank) {
  if (!Array.isArray(shape)) {
    fail(who, `${name} must be an array of dimensions, got ${describeValue(shape)}`, TypeError);
  }
  if (shape.length < minRank || shape.length > maxRank) {
    const want = minRank === maxRank ? `${minRank}` : `${minRank} to ${maxRank}`;
    fail(who, `${name} ${shapeString(shape)} must have ${want} dimensions`, RangeError);
  }
  let count = 1;
  for (let i = 0; i < shape.length; i++) {
    const d = shape[i];
    if (typeof d !== 'number' || !Number.isInteger(d) || d < 1 || d > U32_MAX) {
      fail(who, `${name} ${shapeString(shape)} must hold integers >= 1 (up to ${U32_MAX}), but dimension ${i} is ${describeValue(d)}`,
           typeof d === 'number' ? RangeError : TypeError);
    }
    count *= d;
  }
  if (count > MAX_ELEMENTS) {
    fail(who, `${name} ${shapeString(shape)} has ${count} elements, more than the ${MAX_ELEMENTS} a WebAssembly (wasm32) buffer can hold`, RangeError);
  }
  return count;
}

function checkInput(who, name, data, shape, count) {
  if (!isFloat32Array(data)) {
    fail(who, `${name} must be a Float32Array, got ${describeValue(data)}`, TypeError);
  }
  const length = lengthOf(data);
  if (length !== count) {
    fail(who, `${name} has ${length} elements but its shape ${shapeString(shape)} needs ${count}`);
  }
}

// Weights as a Float32Array of `count` elements: a Float32Array as given, another typed array
// (not BigInt) or an array of numbers converted. Each array element is read once.
function weights(who, name, data, count, optional) {
  if (optional && (data === undefined || data === null)) return null;
  const type = typedArrayTag.call(data);
  if (type === undefined ? !Array.isArray(data) : type.startsWith('Big')) {
    fail(who, `${name} must be a Float32Array (or another typed array or an array of numbers), got ${describeValue(data)}`, TypeError);
  }
  if (count > MAX_ELEMENTS) {
    fail(who, `${name} would need ${count} elements, more than the ${MAX_ELEMENTS} a WebAssembly (wasm32) buffer can hold`, RangeError);
  }
  const length = type === undefined ? data.length : lengthOf(data);
  if (length !== count) fail(who, `${name} has ${length} elements, expected ${count}`);
  if (type === 'Float32Array') return data;
  const copy = new Float32Array(count);
  if (type !== undefined) {
    typedArraySet.call(copy, data);
    return copy;
  }
  for (let i = 0; i < count; i++) {
    const v = data[i];
    if (typeof v !== 'number') fail(who, `${name}[${i}] must be a number, got ${describeValue(v)}`, TypeError);
    copy[i] = v;
  }
  return copy;
}

// Why the C library rejects a fused clamp, or '' (bounds as float32, as C sees them).
function clampProblem(minName, min, maxName, max) {
  const lo = Math.fround(min);
  const hi = Math.fround(max);
  if (Number.isNaN(lo)) return `${minName} is NaN`;
  if (Number.isNaN(hi)) return `${maxName} is NaN`;
  if (lo > hi) return `${minName} ${min} > ${maxName} ${max}`;
  return '';
}

// Why the C library rejects a channel count: a row of that many floats overflows size_t.
function channelsProblem(channels) {
  return channels > MAX_ELEMENTS ? `channels ${channels}: a row of that many floats exceeds the 32-bit size_t of wasm32` : '';
}

// Why a 2-D window (convolution kernel or pooling window) cannot be created: SAME padding with
// explicit padding, a dilated kernel extent beyond 32 bits.
function windowProblems(p) {
  const problems = [];
  if (p.same && p.pad.some((x) => x !== 0)) {
    problems.push('tensorflowSamePadding with explicit padding');
  }
  // (Pooling accepts such a window at create; every reshape rejects it.)
  for (const [axis, k, d] of [['height', p.kh, p.dh], ['width', p.kw, p.dw]]) {
    const extent = d * (k - 1) + 1;
    if (p.noun === 'kernel' && extent > U32_MAX) problems.push(`the dilated kernel ${axis} ${extent} exceeds 32 bits`);
  }
  return problems;
}

// Why a reshape of a 2-D window operator for [n, h, w, c] fails, or ''. (SAME padding: the
// padding TensorFlow's rule gives, which can overflow with huge strides or dilations.)
function windowReshapeProblem(p, shape, outChannels) {
  if (!p) return '';
  const [n, h, w] = shape;
  const out = [];
  for (const [axis, lines, size, k, d, s, before, after] of [
    ['height', 'rows', h, p.kh, p.dh, p.sh, p.pad[0], p.pad[2]],
    ['width', 'columns', w, p.kw, p.dw, p.sw, p.pad[3], p.pad[1]]]) {
    const extent = d * (k - 1) + 1;
    const sameOut = Math.ceil(size / s);
    const padded = p.same ? size + Math.max((sameOut - 1) * s + extent - size, 0) : size + before + after;
    if (padded > U32_MAX) {
      return `the padded input ${axis} ${padded}${p.same ? ' (SAME padding)' : ''} exceeds 32 bits`;
    }
    if (p.same) {
      out.push(sameOut);
      continue;
    }
    if (padded < extent) {
      return `the ${p.noun} spans ${extent} ${lines} (dilation included), more than the ${padded} ${lines} of the padded input`;
    }
    out.push(Math.floor((padded - extent) / s) + 1);
  }
  const count = n * out[0] * out[1] * outChannels;
  if (count > MAX_ELEMENTS) return `the output [${n}, ${out[0]}, ${out[1]}, ${outChannels}] would have ${count} elements`;
  return '';
}

// Which pooling window misses the input (its dilated taps all fall in the padding), or ''.
// Only dilation can do that, as the padding is smaller than the window.
function windowInPadding(p, shape) {
  for (const [lines, size, k, d, s, before, after] of [
    ['row', shape[1], p.kh, p.dh, p.sh, p.pad[0], p.pad[2]],
    ['column', shape[2], p.kw, p.dw, p.sw, p.pad[3], p.pad[1]]]) {
    const extent = d * (k - 1) + 1;
    const out = p.same ? Math.ceil(size / s) : Math.floor((size + before + after - extent) / s) + 1;
    const lead = p.same ? Math.floor(Math.max((out - 1) * s + extent - size, 0) / 2) : before;
    for (let o = 0; o < Math.min(out, 1e6); o++) {
      const start = o * s - lead;
      const first = start < 0 ? Math.ceil(-start / d) : 0;  // the first tap at or after row 0
      if (first >= k || start + first * d >= size) {
        return `the pooling window of output ${lines} ${o} covers only padding`;
      }
    }
  }
  return '';
}

function product(dims) {
  return dims.reduce((a, b) => a * b, 1);
}

// ---------------------------------------------------------------------------------------------

// Frees what an operator owns in module memory if it is garbage collected without dispose().
const finalizer = typeof FinalizationRegistry === 'function'
  ? new FinalizationRegistry((state) => releaseState(state)) : null;

function releaseState(state) {
  if (state.released) return;
  state.released = true;
  const rt = state.runtime;
  if (!rt.alive) return;
  if (state.op !== 0) rt.mod._pnn_delete_operator(state.op);
  for (const buffer of state.buffers.values()) rt.free(buffer.ptr);
  state.buffers.clear();
  state.op = 0;
}

/** Base of the operator classes: lifetime, module buffers, reshape/setup caching. */
class Operator {
  constructor(name) {
    this._name = name;
    this._state = null;
  }

  // Creates the C operator: `weightsList` arrays are copied into module memory for the call
  // (the library copies/packs them and keeps no pointer), `create(mod, ptrs, opOut)` calls the C
  // create function and returns its status. `problems` (optional) lists what the C library will
  // reject in the parameters, for the error message.
  _create(cName, weightsList, create, problems = []) {
    const rt = requireRuntime(this._name);
    const ptrs = [];
    try {
      for (const w of weightsList) {
        if (w === null) { ptrs.push(0); continue; }
        const length = lengthOf(w);
        const ptr = rt.malloc(length * 4, this._name, 'the weights');
        ptrs.push(ptr);
        typedArraySet.call(rt.f32(ptr, length), w);
      }
      const why = problems.filter((x) => x !== '').join('; ');
      rt.check(create(rt.mod, ptrs, rt.scratch + SCRATCH_OUT),
               `${this._name}: ${cName}${why ? ` (${why})` : ''}`);
    } finally {
      for (const ptr of ptrs) rt.free(ptr);
    }
    const op = rt.u32(rt.scratch + SCRATCH_OUT, 1)[0];
    this._state = { runtime: rt, op, buffers: new Map(), shapeKey: null, setupKey: null,
                    released: false };
    if (finalizer !== null) finalizer.register(this, this._state, this);
  }

  // The runtime of a usable operator, or an Error naming the reason.
  _live(method) {
    const who = `${this._name}.${method}`;
    const state = this._state;
    if (state === null || state.released) fail(who, 'the operator was disposed');
    state.runtime.assertAlive(who);
    return state.runtime;
  }

  // A module buffer of `count` floats for `slot`, reused while large enough.
  _buffer(slot, count) {
    const state = this._state;
    const bytes = Math.max(count, 1) * 4;
    let buffer = state.buffers.get(slot);
    if (buffer === undefined || buffer.bytes < bytes) {
      if (buffer !== undefined) state.runtime.free(buffer.ptr);
      state.buffers.delete(slot);
      const what = slot === 'a' || slot === 'b' ? `operand ${slot}` : `the ${slot}`;
      buffer = { ptr: state.runtime.malloc(bytes, `${this._name}.run`, what), bytes };
      state.buffers.set(slot, buffer);
    }
    return buffer.ptr;
  }

  // Calls `reshape()` (which returns a status) unless the last successful reshape had `key`.
  // `explain()` (optional) says why the C library rejects the shape, for the error message.
  _reshape(key, cName, context, reshape, explain) {
    const state = this._state;
    if (state.shapeKey === key) return false;
    state.shapeKey = null;
    state.setupKey = null;
    const status = reshape();
    if (status !== 0) {
      const why = status === 1 && explain ? explain() : '';
      state.runtime.check(status, `${this._name}: ${cName}${context}${why ? ` (${why})` : ''}`);
    }
    state.shapeKey = key;
    return true;
  }

  _setup(ptrs, cName, setup) {
    const state = this._state;
    const key = ptrs.join(',');
    if (state.setupKey === key) return;
    state.setupKey = null;
    state.runtime.check(setup(), `${this._name}: ${cName}`);
    state.setupKey = key;
  }

  _run() {
    const state = this._state;
    const rt = state.runtime;
    rt.check(rt.mod._pnn_run_operator(state.op, rt.pool), `${this._name}: pnn_run_operator`);
  }

  // Copies the inputs in, runs, and copies `count` floats from `outPtr` to `output` (or a new
  // array). Views are taken after every allocation: memory growth replaces the buffer.
  _execute(inputs, outPtr, count, output, method) {
    const rt = this._state.runtime;
    if (output !== undefined && output !== null) {
      if (!isFloat32Array(output)) {
        fail(`${this._name}.${method}`, `output must be a Float32Array, got ${describeValue(output)}`, TypeError);
      }
      if (lengthOf(output) !== count) {
        fail(`${this._name}.${method}`, `output has ${lengthOf(output)} elements, expected ${count}`);
      }
    }
    for (const [ptr, data] of inputs) typedArraySet.call(rt.f32(ptr, lengthOf(data)), data);
    this._run();
    const result = rt.f32(outPtr, count);
    if (output !== undefined && output !== null) {
      typedArraySet.call(output, result);
      return output;
    }
    return result.slice();
  }

  /**
   * Runs the operator again on the inputs of the last run(), which are still in module memory,
   * and leaves the result there: no copy in or out. For benchmarks that time the operator alone,
   * as peers whose tensors live in module memory are timed. Throws before the first run().
   */
  rerun() {
    this._live('rerun');
    if (this._state.setupKey === null) fail(`${this._name}.rerun`, 'call run() first');
    this._run();
  }

  /** Name of the main microkernel (after the first run or outputShape()), e.g. for reports. */
  get kernelName() {
    const rt = this._live('kernelName');
    return rt.cstring(rt.mod._pnn_operator_kernel_name(this._state.op));
  }

  /** Frees the operator and its module buffers. Further calls throw. Idempotent. */
  dispose() {
    const state = this._state;
    if (state === null || state.released) return;
    if (finalizer !== null) finalizer.unregister(this);
    releaseState(state);
  }
}

// ---------------------------------------------------------------------------------------------

function padding2d(who, p) {
  return [
    integer(who, 'paddingTop', p.paddingTop, 0, 0),
    integer(who, 'paddingRight', p.paddingRight, 0, 0),
    integer(who, 'paddingBottom', p.paddingBottom, 0, 0),
    integer(who, 'paddingLeft', p.paddingLeft, 0, 0),
  ];
}

function params(who, p) {
  if (p === undefined) return {};
  if (p === null || typeof p !== 'object') {
    fail(who, `parameters must be an object, got ${describeValue(p)}`, TypeError);
  }
  return p;
}

/** 2-D convolution, NHWC (pnn_*_convolution2d_nhwc_f32). */
export class Convolution2D extends Operator {
  constructor(parameters, kernel, bias) {
    super('Convolution2D');
    const who = 'Convolution2D';
    const p = params(who, parameters);
    const pad = padding2d(who, p);
    const kh = integer(who, 'kernelHeight', p.kernelHeight, 1);
    const kw = integer(who, 'kernelWidth', p.kernelWidth, 1);
    const sh = integer(who, 'strideHeight', p.strideHeight, 1, 1);
    const sw = integer(who, 'strideWidth', p.strideWidth, 1, 1);
    const dh = integer(who, 'dilationHeight', p.dilationHeight, 1, 1);
    const dw = integer(who, 'dilationWidth', p.dilationWidth, 1, 1);
    const groups = integer(who, 'groups', p.groups, 1, 1);
    const gic = integer(who, 'groupInputChannels', p.groupInputChannels, 1);
    const goc = integer(who, 'groupOutputChannels', p.groupOutputChannels, 1);
    const min = number(who, 'outputMin', p.outputMin, -Infinity);
    const max = number(who, 'outputMax', p.outputMax, Infinity);
    const flags = boolean(who, 'tensorflowSamePadding', p.tensorflowSamePadding)
      ? FLAG_TENSORFLOW_SAME_PADDING : 0;
    const k = weights(who, 'kernel', kernel, groups * goc * kh * kw * gic, false);
    const b = weights(who, 'bias', bias, groups * goc, true);
    this.inputChannels = groups * gic;
    this.outputChannels = groups * goc;
    this._window = { noun: 'kernel', same: flags !== 0, pad, kh, kw, sh, sw, dh, dw };
    this._create('pnn_create_convolution2d_nhwc_f32', [k, b], (mod, [kp, bp], out) =>
      mod._pnnw_create_convolution2d_nhwc_f32(
        ...pad, kh, kw, sh, sw, dh, dw, groups, gic, goc, min, max, flags, kp, bp, out),
    [clampProblem('outputMin', min, 'outputMax', max), ...windowProblems(this._window)]);
  }

  // Checks the shape (and for run() the input) before reshaping for it.
  _shape(method, inputShape, input) {
    const who = `Convolution2D.${method}`;
    const shape = dims(who, 'input shape', inputShape);
    const count = checkShape(who, 'input shape', shape, 4, 4);
    if (shape[3] !== this.inputChannels) {
      fail(who, `input shape ${shapeString(shape)} has ${shape[3]} channels, expected ${this.inputChannels}`);
    }
    if (method === 'run') checkInput(who, 'input', input, shape, count);
    const rt = this._state.runtime;
    if (this._reshape(shape.join(','), 'pnn_reshape_convolution2d_nhwc_f32',
                      ` for input shape ${shapeString(shape)}`, () =>
      rt.mod._pnn_reshape_convolution2d_nhwc_f32(
        this._state.op, shape[0], shape[1], shape[2], rt.scratch + SCRATCH_OUT,
        rt.scratch + SCRATCH_OUT + 4, rt.pool),
    () => windowReshapeProblem(this._window, shape, this.outputChannels))) {
      const [oh, ow] = rt.u32(rt.scratch + SCRATCH_OUT, 2);
      this._outputShape = [shape[0], oh, ow, this.outputChannels];
    }
    return count;
  }

  /** Output shape [N, OH, OW, outputChannels] for an input shape [N, H, W, inputChannels]. */
  outputShape(inputShape) {
    this._live('outputShape');
    this._shape('outputShape', inputShape);
    return this._outputShape.slice();
  }

  /** input: Float32Array of shape [N, H, W, inputChannels]. */
  run(input, shape, output) {
    this._live('run');
    const count = this._shape('run', shape, input);
    const outCount = product(this._outputShape);
    const inPtr = this._buffer('input', count);
    const outPtr = this._buffer('output', outCount);
    const rt = this._state.runtime;
    this._setup([inPtr, outPtr], 'pnn_setup_convolution2d_nhwc_f32', () =>
      rt.mod._pnn_setup_convolution2d_nhwc_f32(this._state.op, inPtr, outPtr));
    return this._execute([[inPtr, input]], outPtr, outCount, output, 'run');
  }
}

/** Fully connected layer, NC (pnn_*_fully_connected_nc_f32). */
export class FullyConnected extends Operator {
  constructor(parameters, kernel, bias) {
    super('FullyConnected');
    const who = 'FullyConnected';
    const p = params(who, parameters);
    const ic = integer(who, 'inputChannels', p.inputChannels, 1);
    const oc = integer(who, 'outputChannels', p.outputChannels, 1);
    const min = number(who, 'outputMin', p.outputMin, -Infinity);
    const max = number(who, 'outputMax', p.outputMax, Infinity);
    const flags = boolean(who, 'transposeWeights', p.transposeWeights) ? FLAG_TRANSPOSE_WEIGHTS : 0;
    const k = weights(who, 'kernel', kernel, ic * oc, false);
    const b = weights(who, 'bias', bias, oc, true);
    this.inputChannels = ic;
    this.outputChannels = oc;
    this._create('pnn_create_fully_connected_nc_f32', [k, b], (mod, [kp, bp], out) =>
      mod._pnn_create_fully_connected_nc_f32(ic, oc, kp, bp, min, max, flags,
                                                                 out),
    [clampProblem('outputMin', min, 'outputMax', max)]);
  }

  /**
   * input: Float32Array of shape [..., inputChannels] (default [length / inputChannels,
   * inputChannels]); the output has shape [..., outputChannels].
   */
  run(input, shape, output) {
    const who = 'FullyConnected.run';
    this._live('run');
    if (shape === undefined || shape === null) {
      if (!isFloat32Array(input)) fail(who, `input must be a Float32Array, got ${describeValue(input)}`, TypeError);
      const length = lengthOf(input);
      if (length === 0 || length % this.inputChannels !== 0) {
        fail(who, `input has ${length} elements, not a positive multiple of inputChannels = ${this.inputChannels}`);
      }
      shape = [length / this.inputChannels, this.inputChannels];
    }
    shape = dims(who, 'input shape', shape);
    const count = checkShape(who, 'input shape', shape, 1, 32);
    if (shape[shape.length - 1] !== this.inputChannels) {
      fail(who, `input shape ${shapeString(shape)} ends with ${shape[shape.length - 1]}, expected inputChannels = ${this.inputChannels}`);
    }
    checkInput(who, 'input', input, shape, count);
    const batch = count / this.inputChannels;
    const rt = this._state.runtime;
    this._reshape(String(batch), 'pnn_reshape_fully_connected_nc_f32', ` for batch ${batch}`, () =>
      rt.mod._pnn_reshape_fully_connected_nc_f32(this._state.op, batch, rt.pool),
    () => (batch * this.outputChannels > MAX_ELEMENTS
      ? `the output [${batch}, ${this.outputChannels}] would have ${batch * this.outputChannels} elements` : ''));
    const outCount = batch * this.outputChannels;
    const inPtr = this._buffer('input', count);
    const outPtr = this._buffer('output', outCount);
    this._setup([inPtr, outPtr], 'pnn_setup_fully_connected_nc_f32', () =>
      rt.mod._pnn_setup_fully_connected_nc_f32(this._state.op, inPtr, outPtr));
    return this._execute([[inPtr, input]], outPtr, outCount, output, 'run');
  }
}

/** Batched matrix multiplication of two activations (pnn_*_batch_matmul_f32). */
export class BatchMatMul extends Operator {
  constructor(parameters) {
    super('BatchMatMul');
    const who = 'BatchMatMul';
    const p = params(who, parameters);
    this.transposeA = boolean(who, 'transposeA', p.transposeA);
    this.transposeB = boolean(who, 'transposeB', p.transposeB);
    const flags = (this.transposeA ? FLAG_TRANSPOSE_A : 0) | (this.transposeB ? FLAG_TRANSPOSE_B : 0);
    this._create('pnn_create_batch_matmul_f32', [], (mod, _, out) =>
      mod._pnn_create_batch_matmul_f32(flags, out));
  }

  // Batch dims (right-aligned, missing ones = 1), m, k, n and the output shape.
  _dims(who, aShape, bShape) {
    const [am, ak] = this.transposeA ? [aShape.at(-1), aShape.at(-2)] : [aShape.at(-2), aShape.at(-1)];
    const [bk, bn] = this.transposeB ? [bShape.at(-1), bShape.at(-2)] : [bShape.at(-2), bShape.at(-1)];
    if (ak !== bk) {
      fail(who, `inner dimensions differ: A ${shapeString(aShape)} has K = ${ak}, B ${shapeString(bShape)} has K = ${bk}`);
    }
    const rank = Math.max(aShape.length, bShape.length) - 2;
    const pad = (s) => new Array(rank - (s.length - 2)).fill(1).concat(s.slice(0, -2));
    const batchA = pad(aShape);
    const batchB = pad(bShape);
    const batchOut = batchA.map((d, i) => {
      const e = batchB[i];
      if (d !== e && d !== 1 && e !== 1) {
        fail(who, `batch dimensions of A ${shapeString(aShape)} and B ${shapeString(bShape)} do not broadcast`);
      }
      return Math.max(d, e);
    });
    return { batchA, batchB, batchOut, m: am, k: ak, n: bn };
  }

  /** Output shape [...broadcast batch, M, N]. */
  outputShape(aShapeArg, bShapeArg) {
    const who = 'BatchMatMul.outputShape';
    this._live('outputShape');
    const aShape = dims(who, 'A shape', aShapeArg);
    const bShape = dims(who, 'B shape', bShapeArg);
    checkShape(who, 'A shape', aShape, 2, MAX_DIMS + 2);
    checkShape(who, 'B shape', bShape, 2, MAX_DIMS + 2);
    const d = this._dims(who, aShape, bShape);
    return [...d.batchOut, d.m, d.n];
  }

  /**
   * a: [...batchA, M, K] ([..., K, M] with transposeA); b: [...batchB, K, N] ([..., N, K] with
   * transposeB). Batch dims broadcast NumPy-style. Output: [...batch, M, N].
   */
  run(a, aShapeArg, b, bShapeArg, output) {
    const who = 'BatchMatMul.run';
    this._live('run');
    const aShape = dims(who, 'A shape', aShapeArg);
    const bShape = dims(who, 'B shape', bShapeArg);
    const countA = checkShape(who, 'A shape', aShape, 2, MAX_DIMS + 2);
    const countB = checkShape(who, 'B shape', bShape, 2, MAX_DIMS + 2);
    checkInput(who, 'a', a, aShape, countA);
    checkInput(who, 'b', b, bShape, countB);
    const d = this._dims(who, aShape, bShape);
    const rt = this._state.runtime;
    const key = `${aShape.join(',')};${bShape.join(',')}`;
    this._reshape(key, 'pnn_reshape_batch_matmul_f32',
                  ` for A ${shapeString(aShape)} and B ${shapeString(bShape)}`, () => {
      rt.u32(rt.scratch + SCRATCH_DIMS_A, MAX_DIMS).set(d.batchA);
      rt.u32(rt.scratch + SCRATCH_DIMS_B, MAX_DIMS).set(d.batchB);
      return rt.mod._pnn_reshape_batch_matmul_f32(
        this._state.op, d.batchA.length, rt.scratch + SCRATCH_DIMS_A, rt.scratch + SCRATCH_DIMS_B,
        d.m, d.k, d.n, rt.scratch + SCRATCH_DIMS_OUT, rt.pool);
    }, () => {
      const outCount = product(d.batchOut) * d.m * d.n;
      return outCount > MAX_ELEMENTS
        ? `the output ${shapeString([...d.batchOut, d.m, d.n])} would have ${outCount} elements` : '';
    });
    const outCount = product(d.batchOut) * d.m * d.n;
    const aPtr = this._buffer('a', countA);
    const bPtr = this._buffer('b', countB);
    const outPtr = this._buffer('output', outCount);
    this._setup([aPtr, bPtr, outPtr], 'pnn_setup_batch_matmul_f32', () =>
      rt.mod._pnn_setup_batch_matmul_f32(this._state.op, aPtr, bPtr, outPtr));
    return this._execute([[aPtr, a], [bPtr, b]], outPtr, outCount, output, 'run');
  }
}

/** Shared by max and average pooling. */
class Pooling2D extends Operator {
  constructor(name, isMax, parameters) {
    super(name);
    const who = name;
    const p = params(who, parameters);
    const pad = padding2d(who, p);
    const ph = integer(who, 'poolingHeight', p.poolingHeight, 1);
    const pw = integer(who, 'poolingWidth', p.poolingWidth, 1);
    const sh = integer(who, 'strideHeight', p.strideHeight, 1, 1);
    const sw = integer(who, 'strideWidth', p.strideWidth, 1, 1);
    const dh = integer(who, 'dilationHeight', p.dilationHeight, 1, 1);
    const dw = integer(who, 'dilationWidth', p.dilationWidth, 1, 1);
    const channels = integer(who, 'channels', p.channels, 1);
    const min = number(who, 'outputMin', p.outputMin, -Infinity);
    const max = number(who, 'outputMax', p.outputMax, Infinity);
    let flags = boolean(who, 'tensorflowSamePadding', p.tensorflowSamePadding)
      ? FLAG_TENSORFLOW_SAME_PADDING : 0;
    if (!isMax && boolean(who, 'countIncludePad', p.countIncludePad)) flags |= FLAG_COUNT_INCLUDE_PAD;
    this.channels = channels;
    this._kind = isMax ? 'max' : 'average';
    this._window = { noun: 'pooling window', same: (flags & FLAG_TENSORFLOW_SAME_PADDING) !== 0,
                     pad, kh: ph, kw: pw, sh, sw, dh, dw };
    const problems = [clampProblem('outputMin', min, 'outputMax', max),
                      ...windowProblems(this._window)];
    const names = ['paddingTop', 'paddingRight', 'paddingBottom', 'paddingLeft'];
    pad.forEach((x, i) => {
      const extent = i % 2 === 0 ? dh * (ph - 1) + 1 : dw * (pw - 1) + 1;
      if (x >= extent) problems.push(`${names[i]} ${x} is not smaller than the window's extent ${extent}`);
    });
    if (!isMax && (dh !== 1 || dw !== 1)) problems.push('average pooling needs dilation 1');
    if (ph * pw > U32_MAX) problems.push(`the window's ${ph}x${pw} taps exceed 32 bits`);
    problems.push(channelsProblem(channels));
    const cName = `pnn_create_${this._kind}_pooling2d_nhwc_f32`;
    this._create(cName, [], (mod, _, out) =>
      mod._pnnw_create_pooling2d_nhwc_f32(
        isMax ? 1 : 0, ...pad, ph, pw, sh, sw, dh, dw, channels, min, max, flags, out),
    problems);
  }

  // Checks the shape (and for run() the input) before reshaping for it.
  _shape(method, inputShape, input) {
    const who = `${this._name}.${method}`;
    const shape = dims(who, 'input shape', inputShape);
    const count = checkShape(who, 'input shape', shape, 4, 4);
    if (shape[3] !== this.channels) {
      fail(who, `input shape ${shapeString(shape)} has ${shape[3]} channels, expected ${this.channels}`);
    }
    if (method === 'run') checkInput(who, 'input', input, shape, count);
    const rt = this._state.runtime;
    const reshape = this._kind === 'max' ? rt.mod._pnn_reshape_max_pooling2d_nhwc_f32
                                         : rt.mod._pnn_reshape_average_pooling2d_nhwc_f32;
    if (this._reshape(shape.join(','), `pnn_reshape_${this._kind}_pooling2d_nhwc_f32`,
                      ` for input shape ${shapeString(shape)}`, () =>
      reshape(this._state.op, shape[0], shape[1], shape[2], rt.scratch + SCRATCH_OUT,
              rt.scratch + SCRATCH_OUT + 4, rt.pool),
    () => windowReshapeProblem(this._window, shape, this.channels) ||
          windowInPadding(this._window, shape))) {
      const [oh, ow] = rt.u32(rt.scratch + SCRATCH_OUT, 2);
      this._outputShape = [shape[0], oh, ow, this.channels];
    }
    return count;
  }

  /** Output shape [N, OH, OW, channels] for an input shape [N, H, W, channels]. */
  outputShape(inputShape) {
    this._live('outputShape');
    this._shape('outputShape', inputShape);
    return this._outputShape.slice();
  }

  /** input: Float32Array of shape [N, H, W, channels]. */
  run(input, shape, output) {
    this._live('run');
    const count = this._shape('run', shape, input);
    const outCount = product(this._outputShape);
    const inPtr = this._buffer('input', count);
    const outPtr = this._buffer('output', outCount);
    const rt = this._state.runtime;
    const setup = this._kind === 'max' ? rt.mod._pnn_setup_max_pooling2d_nhwc_f32
                                       : rt.mod._pnn_setup_average_pooling2d_nhwc_f32;
    this._setup([inPtr, outPtr], `pnn_setup_${this._kind}_pooling2d_nhwc_f32`, () =>
      setup(this._state.op, inPtr, outPtr));
    return this._execute([[inPtr, input]], outPtr, outCount, output, 'run');
  }
}

/** 2-D max pooling, NHWC. */
export class MaxPooling2D extends Pooling2D {
  constructor(parameters) { super('MaxPooling2D', true, parameters); }
}

/** 2-D average pooling, NHWC. */
export class AveragePooling2D extends Pooling2D {
  constructor(parameters) { super('AveragePooling2D', false, parameters); }
}

/** Global average pooling over the spatial axes: [N, W, C] or [N, H, W, C] to [N, C]. */
export class GlobalAveragePooling extends Operator {
  constructor(parameters) {
    super('GlobalAveragePooling');
    const who = 'GlobalAveragePooling';
    const p = params(who, parameters);
    const channels = integer(who, 'channels', p.channels, 1);
    const min = number(who, 'outputMin', p.outputMin, -Infinity);
    const max = number(who, 'outputMax', p.outputMax, Infinity);
    this.channels = channels;
    this._create('pnn_create_global_average_pooling_nwc_f32', [], (mod, _, out) =>
      mod._pnn_create_global_average_pooling_nwc_f32(channels, min, max, 0,
                                                                         out),
    [clampProblem('outputMin', min, 'outputMax', max), channelsProblem(channels)]);
  }

  run(input, inputShape, output) {
    const who = 'GlobalAveragePooling.run';
    this._live('run');
    const shape = dims(who, 'input shape', inputShape);
    const count = checkShape(who, 'input shape', shape, 3, 4);
    if (shape.at(-1) !== this.channels) {
      fail(who, `input shape ${shapeString(shape)} has ${shape.at(-1)} channels, expected ${this.channels}`);
    }
    checkInput(who, 'input', input, shape, count);
    const batch = shape[0];
    const width = count / (batch * this.channels);
    const rt = this._state.runtime;
    this._reshape(`${batch},${width}`, 'pnn_reshape_global_average_pooling_nwc_f32',
                  ` for input shape ${shapeString(shape)}`, () =>
      rt.mod._pnn_reshape_global_average_pooling_nwc_f32(this._state.op, batch, width, rt.pool));
    const outCount = batch * this.channels;
    const inPtr = this._buffer('input', count);
    const outPtr = this._buffer('output', outCount);
    this._setup([inPtr, outPtr], 'pnn_setup_global_average_pooling_nwc_f32', () =>
      rt.mod._pnn_setup_global_average_pooling_nwc_f32(this._state.op, inPtr, outPtr));
    return this._execute([[inPtr, input]], outPtr, outCount, output, 'run');
  }
}

const UNARY_OPS = Object.freeze({
  clamp: 0, leakyRelu: 1, elu: 2, sigmoid: 3, tanh: 4, hardswish: 5, gelu: 6, silu: 7, abs: 8,
  negate: 9, square: 10, sqrt: 11, exp: 12,
});

/** Unary elementwise operator (pnn_*_unary_elementwise_nc_f32). */
export class Unary extends Operator {
  /**
   * op: 'clamp' ({min, max}), 'relu' (clamp to [0, inf)), 'relu6' (clamp to [0, 6]),
   * 'leakyRelu' ({negativeSlope}, default 0.01), 'elu' ({alpha}, default 1), 'sigmoid', 'tanh',
   * 'hardswish', 'gelu' ({approximate: 'none' | 'tanh'}), 'silu', 'abs', 'negate', 'square',
   * 'sqrt', 'exp'.
   */
  constructor(op, parameters) {
    super('Unary');
    const who = 'Unary';
    const p = params(who, parameters);
    let name = op;
    let min = -Infinity;
    let max = Infinity;
    if (op === 'relu') { name = 'clamp'; min = 0; }
    else if (op === 'relu6') { name = 'clamp'; min = 0; max = 6; }
    else if (op === 'clamp') {
      min = number(who, 'min', p.min, -Infinity);
      max = number(who, 'max', p.max, Infinity);
    }
    if (typeof name !== 'string' || !Object.prototype.hasOwnProperty.call(UNARY_OPS, name)) {
      fail(who, `unknown op ${quoted(op)} (expected relu, relu6, ${Object.keys(UNARY_OPS).join(', ')})`,
           TypeError);
    }
    const slope = number(who, 'negativeSlope', p.negativeSlope, 0.01);
    const alpha = number(who, 'alpha', p.alpha, 1);
    let flags = 0;
    if (name === 'gelu' && p.approximate !== undefined && p.approximate !== 'none') {
      if (p.approximate !== 'tanh') {
        const got = typeof p.approximate === 'string' ? p.approximate : describeValue(p.approximate);
        fail(who, `approximate must be 'none' or 'tanh', got ${got}`, TypeError);
      }
      flags = FLAG_GELU_TANH_APPROXIMATION;
    }
    this.op = op;
    const code = UNARY_OPS[name];
    const finite = (what, v) => (Number.isFinite(Math.fround(v)) ? '' : `${what} ${v} is not finite as a float32`);
    const problem = op === 'clamp' ? clampProblem('min', min, 'max', max)
      : name === 'leakyRelu' ? finite('negativeSlope', slope)
        : name === 'elu' ? finite('alpha', alpha) : '';
    this._create('pnn_create_unary_elementwise_nc_f32', [], (mod, _, out) =>
      mod._pnnw_create_unary_elementwise_nc_f32(code, 1, min, max, slope,
                                                                    alpha, flags, out),
    [problem]);
  }

  /** input: Float32Array of any shape (default [input.length]); the output has the same shape. */
  run(input, shape, output) {
    const who = 'Unary.run';
    this._live('run');
    if (shape === undefined || shape === null) {
      if (!isFloat32Array(input)) fail(who, `input must be a Float32Array, got ${describeValue(input)}`, TypeError);
      shape = [lengthOf(input)];
    }
    shape = dims(who, 'input shape', shape);
    const count = checkShape(who, 'input shape', shape, 1, 32);
    checkInput(who, 'input', input, shape, count);
    const channels = shape.at(-1);
    const batch = count / channels;
    const rt = this._state.runtime;
    this._reshape(`${batch},${channels}`, 'pnn_reshape_unary_elementwise_nc_f32',
                  ` for input shape ${shapeString(shape)}`, () =>
      rt.mod._pnn_reshape_unary_elementwise_nc_f32(this._state.op, batch, channels, rt.pool));
    const inPtr = this._buffer('input', count);
    const outPtr = this._buffer('output', count);
    this._setup([inPtr, outPtr], 'pnn_setup_unary_elementwise_nc_f32', () =>
      rt.mod._pnn_setup_unary_elementwise_nc_f32(this._state.op, inPtr, outPtr));
    return this._execute([[inPtr, input]], outPtr, count, output, 'run');
  }
}

const BINARY_OPS = Object.freeze({
  add: 0, subtract: 1, multiply: 2, divide: 3, minimum: 4, maximum: 5, squaredDifference: 6,
});

/** Binary elementwise operator with NumPy broadcasting (pnn_*_binary_elementwise_nd_f32). */
export class Binary extends Operator {
  /** op: 'add', 'subtract', 'multiply', 'divide', 'minimum', 'maximum', 'squaredDifference'. */
  constructor(op, parameters) {
    super('Binary');
    const who = 'Binary';
    const p = params(who, parameters);
    if (typeof op !== 'string' || !Object.prototype.hasOwnProperty.call(BINARY_OPS, op)) {
      fail(who, `unknown op ${quoted(op)} (expected ${Object.keys(BINARY_OPS).join(', ')})`, TypeError);
    }
    const min = number(who, 'outputMin', p.outputMin, -Infinity);
    const max = number(who, 'outputMax', p.outputMax, Infinity);
    this.op = op;
    this._create('pnn_create_binary_elementwise_nd_f32', [], (mod, _, out) =>
      mod._pnn_create_binary_elementwise_nd_f32(BINARY_OPS[op], min, max, 0,
                                                                    out),
    [clampProblem('outputMin', min, 'outputMax', max)]);
  }

  /** The broadcast shape of aShape and bShape (throws if they do not broadcast). */
  outputShape(aShape, bShape) {
    const who = 'Binary.outputShape';
    this._live('outputShape');
    return this._shapes(who, aShape, bShape).outShape;
  }

  // Copies of the shapes (aShape, bShape; a and b with [] as [1]), their counts, the output shape.
  _shapes(who, aShapeArg, bShapeArg) {
    const aShape = dims(who, 'A shape', aShapeArg);
    const bShape = dims(who, 'B shape', bShapeArg);
    if (!Array.isArray(aShape)) {
      fail(who, `A shape must be an array of dimensions, got ${describeValue(aShape)}`, TypeError);
    }
    if (!Array.isArray(bShape)) {
      fail(who, `B shape must be an array of dimensions, got ${describeValue(bShape)}`, TypeError);
    }
    // A scalar (shape []) is a one-element vector.
    const a = aShape.length === 0 ? [1] : aShape;
    const b = bShape.length === 0 ? [1] : bShape;
    const countA = checkShape(who, 'A shape', a, 1, MAX_DIMS);
    const countB = checkShape(who, 'B shape', b, 1, MAX_DIMS);
    const rank = Math.max(a.length, b.length);
    const outShape = [];
    for (let i = 0; i < rank; i++) {
      const da = a[a.length - rank + i] ?? 1;
      const db = b[b.length - rank + i] ?? 1;
      if (da !== db && da !== 1 && db !== 1) {
        fail(who, `shapes ${shapeString(aShape)} and ${shapeString(bShape)} do not broadcast`);
      }
      outShape.push(Math.max(da, db));
    }
    return { aShape, bShape, a, b, countA, countB, outShape };
  }

  /** a, b: Float32Arrays of shapes aShape, bShape; the output has their broadcast shape. */
  run(a, aShapeArg, b, bShapeArg, output) {
    const who = 'Binary.run';
    this._live('run');
    const s = this._shapes(who, aShapeArg, bShapeArg);
    const { aShape, bShape } = s;
    checkInput(who, 'a', a, aShape, s.countA);
    checkInput(who, 'b', b, bShape, s.countB);
    const rt = this._state.runtime;
    this._reshape(`${s.a.join(',')};${s.b.join(',')}`, 'pnn_reshape_binary_elementwise_nd_f32',
                  ` for shapes ${shapeString(aShape)} and ${shapeString(bShape)}`, () => {
      rt.u32(rt.scratch + SCRATCH_DIMS_A, s.a.length).set(s.a);
      rt.u32(rt.scratch + SCRATCH_DIMS_B, s.b.length).set(s.b);
      return rt.mod._pnn_reshape_binary_elementwise_nd_f32(
        this._state.op, s.a.length, rt.scratch + SCRATCH_DIMS_A, s.b.length,
        rt.scratch + SCRATCH_DIMS_B, rt.scratch + SCRATCH_OUT, rt.scratch + SCRATCH_DIMS_OUT,
        rt.pool);
    }, () => {
      const count = product(s.outShape);
      return count > MAX_ELEMENTS
        ? `the output ${shapeString(s.outShape)} would have ${count} elements` : '';
    });
    const outCount = product(s.outShape);
    const aPtr = this._buffer('a', s.countA);
    const bPtr = this._buffer('b', s.countB);
    const outPtr = this._buffer('output', outCount);
    this._setup([aPtr, bPtr, outPtr], 'pnn_setup_binary_elementwise_nd_f32', () =>
      rt.mod._pnn_setup_binary_elementwise_nd_f32(this._state.op, aPtr, bPtr, outPtr));
    return this._execute([[aPtr, a], [bPtr, b]], outPtr, outCount, output, 'run');
  }
}

/** Softmax over the last axis (pnn_*_softmax_nc_f32). */
export class Softmax extends Operator {
  constructor(parameters) {
    super('Softmax');
    const who = 'Softmax';
    const p = params(who, parameters);
    const channels = integer(who, 'channels', p.channels, 1);
    this.channels = channels;
    this._create('pnn_create_softmax_nc_f32', [], (mod, _, out) =>
      mod._pnn_create_softmax_nc_f32(channels, 0, out), [channelsProblem(channels)]);
  }

  /** input: Float32Array of shape [..., channels] (default [length / channels, channels]). */
  run(input, shape, output) {
    const who = 'Softmax.run';
    this._live('run');
    if (shape === undefined || shape === null) {
      if (!isFloat32Array(input)) fail(who, `input must be a Float32Array, got ${describeValue(input)}`, TypeError);
      const length = lengthOf(input);
      if (length === 0 || length % this.channels !== 0) {
        fail(who, `input has ${length} elements, not a positive multiple of channels = ${this.channels}`);
      }
      shape = [length / this.channels, this.channels];
    }
    shape = dims(who, 'input shape', shape);
    const count = checkShape(who, 'input shape', shape, 1, 32);
    if (shape.at(-1) !== this.channels) {
      fail(who, `input shape ${shapeString(shape)} ends with ${shape.at(-1)}, expected channels = ${this.channels}`);
    }
    checkInput(who, 'input', input, shape, count);
    const batch = count / this.channels;
    const rt = this._state.runtime;
    this._reshape(String(batch), 'pnn_reshape_softmax_nc_f32', ` for batch ${batch}`, () =>
      rt.mod._pnn_reshape_softmax_nc_f32(this._state.op, batch, rt.pool));
    const inPtr = this._buffer('input', count);
    const outPtr = this._buffer('output', count);
    this._setup([inPtr, outPtr], 'pnn_setup_softmax_nc_f32', () =>
      rt.mod._pnn_setup_softmax_nc_f32(this._state.op, inPtr, outPtr));
    return this._execute([[inPtr, input]], outPtr, count, output, 'run');
  }
}

