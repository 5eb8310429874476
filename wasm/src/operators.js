// Operator classes over the C API: weights are copied into the module once at construction;
// run() copies the inputs into module memory, reshapes/sets up only when the shape or the buffers
// changed, runs on the runtime's pool and copies the result out.

import { requireRuntime } from './runtime.js';

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
// Argument checks. Messages name the operator, the argument and what was wrong.

function fail(who, message) {
  throw new Error(`${who}: ${message}`);
}

function integer(who, name, value, min, fallback) {
  if (value === undefined && fallback !== undefined) return fallback;
  if (!Number.isInteger(value) || value < min || value > U32_MAX) {
    fail(who, `${name} must be an integer in [${min}, ${U32_MAX}], got ${value}`);
  }
  return value;
}

function number(who, name, value, fallback) {
  if (value === undefined) return fallback;
  if (typeof value !== 'number') fail(who, `${name} must be a number, got ${value}`);
  return value;
}

function boolean(who, name, value) {
  if (value === undefined) return false;
  if (typeof value !== 'boolean') fail(who, `${name} must be a boolean, got ${value}`);
  return value;
}

function shapeString(shape) {
  return Array.isArray(shape) ? `[${shape.join(', ')}]` : String(shape);
}

function checkShape(who, name, shape, minRank, maxRank) {
  if (!Array.isArray(shape)) fail(who, `${name} must be an array of dimensions, got ${shape}`);
  if (shape.length < minRank || shape.length > maxRank) {
    const want = minRank === maxRank ? `${minRank}` : `${minRank} to ${maxRank}`;
    fail(who, `${name} ${shapeString(shape)} must have ${want} dimensions`);
  }
  let count = 1;
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 1 || d > U32_MAX) {
      fail(who, `${name} ${shapeString(shape)} must hold integers >= 1`);
    }
    count *= d;
  }
  if (!Number.isSafeInteger(count) || count * 4 > 0x100000000) {
    fail(who, `${name} ${shapeString(shape)} has too many elements for WebAssembly memory`);
  }
  return count;
}

function checkInput(who, name, data, shape, count) {
  if (!(data instanceof Float32Array)) {
    throw new TypeError(`${who}: ${name} must be a Float32Array`);
  }
  if (data.length !== count) {
    fail(who, `${name} has ${data.length} elements but its shape ${shapeString(shape)} needs ${count}`);
  }
}

function weights(who, name, data, count, optional) {
  if (optional && (data === undefined || data === null)) return null;
  if (data === undefined || data === null || typeof data !== 'object' ||
      typeof data.length !== 'number') {
    throw new TypeError(`${who}: ${name} must be a Float32Array (or an array of numbers)`);
  }
  if (data.length !== count) fail(who, `${name} has ${data.length} elements, expected ${count}`);
  return data instanceof Float32Array ? data : Float32Array.from(data);
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
  // create function and returns its status.
  _create(cName, weightsList, create) {
    const rt = requireRuntime(this._name);
    const ptrs = [];
    try {
      for (const w of weightsList) {
        if (w === null) { ptrs.push(0); continue; }
        const ptr = rt.malloc(w.length * 4);
        ptrs.push(ptr);
        rt.f32(ptr, w.length).set(w);
      }
      rt.check(create(rt.mod, ptrs, rt.scratch + SCRATCH_OUT), `${this._name}: ${cName}`);
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
      buffer = { ptr: state.runtime.malloc(bytes), bytes };
      state.buffers.set(slot, buffer);
    }
    return buffer.ptr;
  }

  // Calls `reshape()` (which returns a status) unless the last successful reshape had `key`.
  _reshape(key, cName, context, reshape) {
    const state = this._state;
    if (state.shapeKey === key) return false;
    state.shapeKey = null;
    state.setupKey = null;
    state.runtime.check(reshape(), `${this._name}: ${cName}${context}`);
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
      if (!(output instanceof Float32Array)) {
        throw new TypeError(`${this._name}.${method}: output must be a Float32Array`);
      }
      if (output.length !== count) {
        fail(`${this._name}.${method}`, `output has ${output.length} elements, expected ${count}`);
      }
    }
    for (const [ptr, data] of inputs) rt.f32(ptr, data.length).set(data);
    this._run();
    const result = rt.f32(outPtr, count);
    if (output !== undefined && output !== null) {
      output.set(result);
      return output;
    }
    return result.slice();
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
  if (p === null || typeof p !== 'object') fail(who, 'parameters must be an object');
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
    this._create('pnn_create_convolution2d_nhwc_f32', [k, b], (mod, [kp, bp], out) =>
      mod._pnnw_create_convolution2d_nhwc_f32(
        ...pad, kh, kw, sh, sw, dh, dw, groups, gic, goc, min, max, flags, kp, bp, out));
  }

  // Checks the shape (and for run() the input) before reshaping for it.
  _shape(method, shape, input) {
    const who = `Convolution2D.${method}`;
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
        rt.scratch + SCRATCH_OUT + 4, rt.pool))) {
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
                                                                 out));
  }

  /**
   * input: Float32Array of shape [..., inputChannels] (default [length / inputChannels,
   * inputChannels]); the output has shape [..., outputChannels].
   */
  run(input, shape, output) {
    const who = 'FullyConnected.run';
    this._live('run');
    if (shape === undefined || shape === null) {
      if (!(input instanceof Float32Array)) throw new TypeError(`${who}: input must be a Float32Array`);
      if (input.length === 0 || input.length % this.inputChannels !== 0) {
        fail(who, `input has ${input.length} elements, not a positive multiple of inputChannels = ${this.inputChannels}`);
      }
      shape = [input.length / this.inputChannels, this.inputChannels];
    }
    const count = checkShape(who, 'input shape', shape, 1, 32);
    if (shape[shape.length - 1] !== this.inputChannels) {
      fail(who, `input shape ${shapeString(shape)} ends with ${shape[shape.length - 1]}, expected inputChannels = ${this.inputChannels}`);
    }
    checkInput(who, 'input', input, shape, count);
    const batch = count / this.inputChannels;
    const rt = this._state.runtime;
    this._reshape(String(batch), 'pnn_reshape_fully_connected_nc_f32', ` for batch ${batch}`, () =>
      rt.mod._pnn_reshape_fully_connected_nc_f32(this._state.op, batch, rt.pool));
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
  outputShape(aShape, bShape) {
    const who = 'BatchMatMul.outputShape';
    this._live('outputShape');
    checkShape(who, 'A shape', aShape, 2, MAX_DIMS + 2);
    checkShape(who, 'B shape', bShape, 2, MAX_DIMS + 2);
    const d = this._dims(who, aShape, bShape);
    return [...d.batchOut, d.m, d.n];
  }

  /**
   * a: [...batchA, M, K] ([..., K, M] with transposeA); b: [...batchB, K, N] ([..., N, K] with
   * transposeB). Batch dims broadcast NumPy-style. Output: [...batch, M, N].
   */
  run(a, aShape, b, bShape, output) {
    const who = 'BatchMatMul.run';
    this._live('run');
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
    const cName = `pnn_create_${this._kind}_pooling2d_nhwc_f32`;
    this._create(cName, [], (mod, _, out) =>
      mod._pnnw_create_pooling2d_nhwc_f32(
        isMax ? 1 : 0, ...pad, ph, pw, sh, sw, dh, dw, channels, min, max, flags, out));
  }

  // Checks the shape (and for run() the input) before reshaping for it.
  _shape(method, shape, input) {
    const who = `${this._name}.${method}`;
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
              rt.scratch + SCRATCH_OUT + 4, rt.pool))) {
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
                                                                         out));
  }

  run(input, shape, output) {
    const who = 'GlobalAveragePooling.run';
    this._live('run');
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
      fail(who, `unknown op '${op}' (expected relu, relu6, ${Object.keys(UNARY_OPS).join(', ')})`);
    }
    const slope = number(who, 'negativeSlope', p.negativeSlope, 0.01);
    const alpha = number(who, 'alpha', p.alpha, 1);
    let flags = 0;
    if (name === 'gelu' && p.approximate !== undefined && p.approximate !== 'none') {
      if (p.approximate !== 'tanh') fail(who, `approximate must be 'none' or 'tanh', got ${p.approximate}`);
      flags = FLAG_GELU_TANH_APPROXIMATION;
    }
    this.op = op;
    const code = UNARY_OPS[name];
    this._create('pnn_create_unary_elementwise_nc_f32', [], (mod, _, out) =>
      mod._pnnw_create_unary_elementwise_nc_f32(code, 1, min, max, slope,
                                                                    alpha, flags, out));
  }

  /** input: Float32Array of any shape (default [input.length]); the output has the same shape. */
  run(input, shape, output) {
    const who = 'Unary.run';
    this._live('run');
    if (shape === undefined || shape === null) {
      if (!(input instanceof Float32Array)) throw new TypeError(`${who}: input must be a Float32Array`);
      shape = [input.length];
    }
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
      fail(who, `unknown op '${op}' (expected ${Object.keys(BINARY_OPS).join(', ')})`);
    }
    const min = number(who, 'outputMin', p.outputMin, -Infinity);
    const max = number(who, 'outputMax', p.outputMax, Infinity);
    this.op = op;
    this._create('pnn_create_binary_elementwise_nd_f32', [], (mod, _, out) =>
      mod._pnn_create_binary_elementwise_nd_f32(BINARY_OPS[op], min, max, 0,
                                                                    out));
  }

  /** The broadcast shape of aShape and bShape (throws if they do not broadcast). */
  outputShape(aShape, bShape) {
    const who = 'Binary.outputShape';
    this._live('outputShape');
    return this._shapes(who, aShape, bShape).outShape;
  }

  _shapes(who, aShape, bShape) {
    if (!Array.isArray(aShape)) fail(who, `A shape must be an array of dimensions, got ${aShape}`);
    if (!Array.isArray(bShape)) fail(who, `B shape must be an array of dimensions, got ${bShape}`);
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
    return { a, b, countA, countB, outShape };
  }

  /** a, b: Float32Arrays of shapes aShape, bShape; the output has their broadcast shape. */
  run(a, aShape, b, bShape, output) {
    const who = 'Binary.run';
    this._live('run');
    const s = this._shapes(who, aShape, bShape);
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
      mod._pnn_create_softmax_nc_f32(channels, 0, out));
  }

  /** input: Float32Array of shape [..., channels] (default [length / channels, channels]). */
  run(input, shape, output) {
    const who = 'Softmax.run';
    this._live('run');
    if (shape === undefined || shape === null) {
      if (!(input instanceof Float32Array)) throw new TypeError(`${who}: input must be a Float32Array`);
      if (input.length === 0 || input.length % this.channels !== 0) {
        fail(who, `input has ${input.length} elements, not a positive multiple of channels = ${this.channels}`);
      }
      shape = [input.length / this.channels, this.channels];
    }
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

