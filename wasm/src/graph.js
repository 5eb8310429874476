// The graph runtime in JS (include/portnn-graph.h): Graph records values and nodes, and
// createRuntime() turns it into a GraphRuntime that validates, fuses, plans one arena and runs
// the whole model in module memory. The semantics are C's; this layer reads each argument once
// (check.js), keeps the value kinds it needs to bind buffers, and reports C's reasons.
//
// Value ids are numbers (0, 1, ... in definition order). A GraphRuntime owns one module buffer
// per external value, sized from its current shape; run() copies the inputs in, sets the runtime
// up when a buffer moved, invokes, and copies the outputs out.

import { requireRuntime } from './runtime.js';
import {
  MAX_DIMS, boolean, captureInput, captureWeights, checkOutputLength, checkShape, copyInput, dims,
  fail, integer, number, outputArgument, outputClamp, params, quoted, shapeString, typedArraySet,
  weights,
} from './check.js';
import { SCRATCH_DIMS_A, SCRATCH_DIMS_B, SCRATCH_DIMS_OUT, SCRATCH_OUT, cFailure } from './operator-base.js';
import { padding2d, window2d, windowFlags } from './op-window.js';
import { BINARY_OPS, unaryArguments } from './op-elementwise.js';
import { convolutionArguments } from './op-linear.js';
import { blockArguments, integers, padArguments, sliceArguments, withArrays } from './op-data.js';
import { axisValue, normArguments, reduceArguments } from './op-normalization.js';
import { deconvolutionArguments, resizeArguments } from './op-resample.js';
import { describeValue } from './runtime.js';

const VALUE_EXTERNAL_INPUT = 0x1;
const VALUE_EXTERNAL_OUTPUT = 0x2;
const INVALID_ID = 0xffffffff;
const FLAG_TRANSPOSE_WEIGHTS = 0x2;
const FLAG_TRANSPOSE_A = 0x4;
const FLAG_TRANSPOSE_B = 0x8;
const FLAG_COUNT_INCLUDE_PAD = 0x10;
const FLAG_KEEP_DIMS = 0x10000;  // PNN_FLAG_KEEP_DIMS
const FLAG_LOG_SOFTMAX = 0x20000;  // PNN_FLAG_LOG_SOFTMAX
const MAX_PARTS = 64;  // PNN_MAX_CONCAT_PARTS
const RUNTIME_PROFILE = 0x1;
const RUNTIME_NO_FUSION = 0x2;

const finalizer = typeof FinalizationRegistry === 'function'
  ? new FinalizationRegistry((r) => r.release()) : null;

// A C object (graph or runtime) and the module memory it owns, freed once.
class Handle {
  constructor(rt, handle, destroy) {
    this.rt = rt;
    this.handle = handle;
    this.destroy = destroy;
    this.buffers = new Map();  // value id -> { ptr, bytes }
    this.released = false;
  }
  release() {
    if (this.released) return;
    this.released = true;
    if (!this.rt.alive) return;
    this.destroy(this.rt.mod, this.handle);
    for (const b of this.buffers.values()) this.rt.free(b.ptr);
    this.buffers.clear();
  }
}

// A C call returning a status: throws a PortnnError with C's reason on failure.
function cCall(rt, who, cName, call) {
  const code = call(rt.mod);
  if (code !== 0) throw cFailure(rt, code, `${who}: ${cName}`, cName);
}

// The live handle of `owner` (a Graph or GraphRuntime), for `who`.
function live(owner, who) {
  const h = owner._h;
  if (h.released) fail(who, `the ${owner.constructor.name} was disposed`);
  h.rt.assertAlive(who);
  if (owner._busy) fail(who, 'called while another call of this object is in progress');
  return h;
}

function valueId(who, name, id, optional) {
  if (optional && (id === null || id === undefined)) return INVALID_ID;
  return integer(who, name, id);
}

// An array of value ids (concatenate's inputs, split's outputs), read once.
function valueIds(who, name, ids) {
  if (!Array.isArray(ids)) fail(who, `${name} must be an array of value ids, got ${describeValue(ids)}`, TypeError);
  const copy = dims(who, name, ids);
  if (copy.length < 2 || copy.length > MAX_PARTS) {
    fail(who, `${name} has ${copy.length} entries; it must have 2 to ${MAX_PARTS}`, RangeError);
  }
  return copy.map((id, i) => integer(who, `${name}[${i}]`, id));
}

/** A model under construction: values and nodes (include/portnn-graph.h). */
export class Graph {
  constructor() {
    const rt = requireRuntime('Graph');
    cCall(rt, 'Graph', 'pnn_create_graph', (mod) => mod._pnn_create_graph(0, rt.scratch + SCRATCH_OUT));
    const handle = rt.u32(rt.scratch + SCRATCH_OUT, 1)[0];
    this._h = new Handle(rt, handle, (mod, g) => mod._pnn_delete_graph(g));
    this._kinds = [];  // per value id: 'internal' | 'static' | 'input' | 'output'
    this._nodes = 0;
    this._busy = false;
    if (finalizer !== null) finalizer.register(this, this._h, this);
  }

  // Defines a value: shape (or null: inferred), data (static values), kind.
  _value(who, shape, data, kind) {
    const h = live(this, who);
    const copy = shape === undefined || shape === null ? [] : dims(who, 'shape', shape);
    const count = copy.length === 0 ? 1 : checkShape(who, 'shape', copy, 1, MAX_DIMS);
    const w = data === undefined ? null : weights(who, 'data', data, count, false);
    const floats = captureWeights(w);
    const rt = h.rt;
    const flags = kind === 'input' ? VALUE_EXTERNAL_INPUT : kind === 'output' ? VALUE_EXTERNAL_OUTPUT : 0;
    const ptr = floats === null ? 0 : rt.malloc(floats.length * 4, who, 'the data');
    try {
      if (ptr !== 0) typedArraySet.call(rt.f32(ptr, floats.length), floats);
      const d = rt.u32(rt.scratch + SCRATCH_DIMS_A, MAX_DIMS);
      for (let i = 0; i < copy.length; i++) d[i] = copy[i];
      cCall(rt, who, 'pnn_define_tensor_value', (mod) => mod._pnn_define_tensor_value(
        h.handle, copy.length, rt.scratch + SCRATCH_DIMS_A, ptr, flags, rt.scratch + SCRATCH_OUT));
    } finally {
      rt.free(ptr);  // the graph copied it
    }
    this._kinds.push(kind);
    return rt.u32(rt.scratch + SCRATCH_OUT, 1)[0];
  }

  /** An external input with its default shape (runtime.reshape() may change it). */
  input(shape) { return this._value('Graph.input', shape, undefined, 'input'); }
  /** An external output; its shape is inferred (or checked, when given). */
  output(shape) { return this._value('Graph.output', shape, undefined, 'output'); }
  /** An internal value; its shape is inferred (or checked, when given). */
  value(shape) { return this._value('Graph.value', shape, undefined, 'internal'); }
  /** A static value (weights, a constant operand): `data` is copied now. */
  constant(data, shape) { return this._value('Graph.constant', shape, data, 'static'); }

  // Records one node by `define(mod, h)` (a status); returns its index.
  _node(who, cName, define) {
    const h = live(this, who);
    cCall(h.rt, who, cName, (mod) => define(mod, h.handle));
    return this._nodes++;
  }

  /** Convolution (parameters as Convolution2D's); filter and bias are constant() ids. */
  convolution2D(parameters, input, filter, bias, output) {
    const who = 'Graph.convolution2D';
    const { pad, kernelWindow, groups, gic, goc, min, max, flags } = convolutionArguments(who, parameters);
    const ids = [valueId(who, 'input', input), valueId(who, 'filter', filter),
                 valueId(who, 'bias', bias, true), valueId(who, 'output', output)];
    return this._node(who, 'pnn_define_convolution2d', (mod, g) => mod._pnnw_define_convolution2d(
      ...pad, ...kernelWindow, groups, gic, goc, min, max, flags, g, ...ids));
  }

  /** Fully connected over the last dim ({outputMin, outputMax, transposeWeights}). */
  fullyConnected(parameters, input, weightsId, bias, output) {
    const who = 'Graph.fullyConnected';
    const p = params(who, parameters);
    const [min, max] = outputClamp(who, p);
    const flags = boolean(who, 'transposeWeights', p.transposeWeights) ? FLAG_TRANSPOSE_WEIGHTS : 0;
    const ids = [valueId(who, 'input', input), valueId(who, 'weights', weightsId),
                 valueId(who, 'bias', bias, true), valueId(who, 'output', output)];
    return this._node(who, 'pnn_define_fully_connected',
                      (mod, g) => mod._pnn_define_fully_connected(g, min, max, ...ids, flags));
  }

  /** Batch matmul ({transposeA, transposeB}). */
  batchMatMul(parameters, a, b, output) {
    const who = 'Graph.batchMatMul';
    const p = params(who, parameters);
    const flags = (boolean(who, 'transposeA', p.transposeA) ? FLAG_TRANSPOSE_A : 0) |
                  (boolean(who, 'transposeB', p.transposeB) ? FLAG_TRANSPOSE_B : 0);
    const ids = [valueId(who, 'a', a), valueId(who, 'b', b), valueId(who, 'output', output)];
    return this._node(who, 'pnn_define_batch_matmul', (mod, g) => mod._pnn_define_batch_matmul(g, ...ids, flags));
  }

  _pooling(who, isMax, parameters, input, output) {
    const p = params(who, parameters);
    const pad = padding2d(who, p);
    const [kh, kw, sh, sw, dh, dw] = window2d(who, p, 'pooling');
    const channels = integer(who, 'channels', p.channels);
    const [min, max] = outputClamp(who, p);
    const flags = windowFlags(who, p, true) |
                  (!isMax && boolean(who, 'countIncludePad', p.countIncludePad) ? FLAG_COUNT_INCLUDE_PAD : 0);
    const ids = [valueId(who, 'input', input), valueId(who, 'output', output)];
    const cName = isMax ? 'pnn_define_max_pooling2d' : 'pnn_define_average_pooling2d';
    return this._node(who, cName, (mod, g) => mod._pnnw_define_pooling2d(
      isMax ? 1 : 0, ...pad, kh, kw, sh, sw, dh, dw, channels, min, max, flags, g, ...ids));
  }

  /** Max pooling (parameters as MaxPooling2D's). */
  maxPooling2D(parameters, input, output) { return this._pooling('Graph.maxPooling2D', true, parameters, input, output); }
  /** Average pooling (parameters as AveragePooling2D's). */
  averagePooling2D(parameters, input, output) { return this._pooling('Graph.averagePooling2D', false, parameters, input, output); }

  /** Global average pooling of [N, H, W, C] into [N, C] ({outputMin, outputMax, keepDims}). */
  globalAveragePooling(parameters, input, output) {
    const who = 'Graph.globalAveragePooling';
    const p = params(who, parameters);
    const [min, max] = outputClamp(who, p);
    const flags = boolean(who, 'keepDims', p.keepDims) ? FLAG_KEEP_DIMS : 0;
    const ids = [valueId(who, 'input', input), valueId(who, 'output', output)];
    return this._node(who, 'pnn_define_global_average_pooling2d',
                      (mod, g) => mod._pnn_define_global_average_pooling2d(g, min, max, ...ids, flags));
  }

  /** A unary op (op and parameters as Unary's). */
  unary(op, parameters, input, output) {
    const who = 'Graph.unary';
    const { code, min, max, slope, alpha, beta, flags } = unaryArguments(who, op, parameters);
    const ids = [valueId(who, 'input', input), valueId(who, 'output', output)];
    return this._node(who, 'pnn_define_unary', (mod, g) => mod._pnnw_define_unary(
      code, 1, min, max, slope, alpha, beta, flags, g, ...ids));
  }

  /** A broadcasting binary op (op as Binary's; {outputMin, outputMax}); operands may be constants. */
  binary(op, parameters, a, b, output) {
    const who = 'Graph.binary';
    const p = params(who, parameters);
    if (typeof op !== 'string' || !Object.prototype.hasOwnProperty.call(BINARY_OPS, op)) {
      fail(who, `unknown op ${quoted(op)} (expected ${Object.keys(BINARY_OPS).join(', ')})`, TypeError);
    }
    const [min, max] = outputClamp(who, p);
    const ids = [valueId(who, 'a', a), valueId(who, 'b', b), valueId(who, 'output', output)];
    return this._node(who, 'pnn_define_binary', (mod, g) => mod._pnn_define_binary(g, BINARY_OPS[op], min, max, ...ids, 0));
  }

  /** Softmax ({axis = -1, logSoftmax}: log-softmax) over one axis. */
  softmax(input, output, parameters) {
    const who = 'Graph.softmax';
    const ids = [valueId(who, 'input', input), valueId(who, 'output', output)];
    const p = params(who, parameters);
    const axisArg = p.axis;
    const axis = axisValue(who, 'axis', axisArg === undefined ? -1 : axisArg);
    const flags = boolean(who, 'logSoftmax', p.logSoftmax) ? FLAG_LOG_SOFTMAX : 0;
    return this._node(who, 'pnn_define_softmax_axis',
                      (mod, g) => mod._pnn_define_softmax_axis(g, axis, ...ids, flags));
  }

  /** Deconvolution (parameters as Deconvolution2D's); filter and bias are constant() ids. */
  deconvolution2D(parameters, input, filter, bias, output) {
    const who = 'Graph.deconvolution2D';
    const { args } = deconvolutionArguments(who, parameters);
    const ids = [valueId(who, 'input', input), valueId(who, 'filter', filter),
                 valueId(who, 'bias', bias, true), valueId(who, 'output', output)];
    return this._node(who, 'pnn_define_deconvolution2d',
                      (mod, g) => mod._pnnw_define_deconvolution2d(...args, g, ...ids));
  }

  /**
   * Resize of [N, H, W, C] (parameters as Resize2D's, plus outputSize [OH, OW] or scales
   * [heightScale, widthScale]: floor(size * scale), as ONNX Resize with scales).
   */
  resize2D(parameters, input, output) {
    const who = 'Graph.resize2D';
    const p = params(who, parameters);
    const { channels, mode, coordinates, nearest } = resizeArguments(who, p);
    const sizeArg = p.outputSize;
    const scalesArg = p.scales;
    let size = [0, 0];
    let scales = [0, 0];
    if ((sizeArg === undefined) === (scalesArg === undefined)) {
      fail(who, 'give either outputSize [height, width] or scales [heightScale, widthScale]', TypeError);
    }
    const pair = (name, value, read) => {
      const copy = dims(who, name, value);
      if (!Array.isArray(copy) || copy.length !== 2) fail(who, `${name} must be an array of 2 numbers, got ${shapeString(copy)}`, TypeError);
      return copy.map((v, i) => read(who, `${name}[${i}]`, v));
    };
    if (sizeArg !== undefined) size = pair('outputSize', sizeArg, integer);
    else scales = pair('scales', scalesArg, number);
    const ids = [valueId(who, 'input', input), valueId(who, 'output', output)];
    return this._node(who, 'pnn_define_resize2d', (mod, g) => mod._pnnw_define_resize2d(
      channels, mode, coordinates, nearest, g, ...size, ...scales, ...ids));
  }

  // A node whose C call takes arrays (written to module memory for the call, as `kinds` of
  // op-data.js's withArrays) before its other arguments: define(mod, graph, pointers).
  _arrayNode(who, cName, arrays, define) {
    return this._node(who, cName, (mod, g) => withArrays(this._h.rt, who, arrays, (ptrs) => define(mod, g, ptrs)));
  }

  /** Transpose ({perm}, as Transpose's). */
  transpose(parameters, input, output) {
    const who = 'Graph.transpose';
    const perm = integers(who, 'perm', params(who, parameters).perm, false);
    const ids = [valueId(who, 'input', input), valueId(who, 'output', output)];
    return this._arrayNode(who, 'pnn_define_transpose', [['u32', perm]],
                           (mod, g, [pp]) => mod._pnn_define_transpose(g, perm.length, pp, ...ids));
  }

  /** DepthToSpace ({blockSize, mode: 'DCR' (default) | 'CRD'}) of [N, H, W, C]. */
  depthToSpace(parameters, input, output) {
    const who = 'Graph.depthToSpace';
    const { blockSize, mode } = blockArguments(who, parameters, true);
    const ids = [valueId(who, 'input', input), valueId(who, 'output', output)];
    return this._node(who, 'pnn_define_depth_to_space', (mod, g) => mod._pnn_define_depth_to_space(
      g, blockSize, mode === 'CRD' ? 1 : 0, ...ids));
  }

  /** SpaceToDepth ({blockSize}) of [N, H, W, C]. */
  spaceToDepth(parameters, input, output) {
    const who = 'Graph.spaceToDepth';
    const { blockSize } = blockArguments(who, parameters, false);
    const ids = [valueId(who, 'input', input), valueId(who, 'output', output)];
    return this._node(who, 'pnn_define_space_to_depth',
                      (mod, g) => mod._pnn_define_space_to_depth(g, blockSize, ...ids));
  }

  /** Pad ({mode, value, pre, post}, as Pad's). */
  pad(parameters, input, output) {
    const who = 'Graph.pad';
    const { code, value, pre, post } = padArguments(who, parameters);
    const ids = [valueId(who, 'input', input), valueId(who, 'output', output)];
    return this._arrayNode(who, 'pnn_define_pad', [['u32', pre], ['u32', post]],
                           (mod, g, [a, b]) => mod._pnn_define_pad(g, code, pre.length, a, b, value, ...ids));
  }

  /** Concatenate `inputs` (2 to 64 value ids) along {axis} (negative counts from the end). */
  concatenate(parameters, inputs, output) {
    const who = 'Graph.concatenate';
    const axis = axisValue(who, 'axis', params(who, parameters).axis);
    const parts = valueIds(who, 'inputs', inputs);
    const out = valueId(who, 'output', output);
    return this._arrayNode(who, 'pnn_define_concatenate', [['u32', parts]],
                           (mod, g, [pp]) => mod._pnn_define_concatenate(g, axis, parts.length, pp, out));
  }

  /**
   * Split `input` along {axis} into `outputs` (2 to 64 value ids), of {sizes} (summing to the
   * axis's dim) or, without sizes, equal parts.
   */
  split(parameters, input, outputs) {
    const who = 'Graph.split';
    const p = params(who, parameters);
    const axis = axisValue(who, 'axis', p.axis);
    const sizesArg = p.sizes;
    const sizes = sizesArg === undefined || sizesArg === null ? null : integers(who, 'sizes', sizesArg, false);
    const inId = valueId(who, 'input', input);
    const parts = valueIds(who, 'outputs', outputs);
    if (sizes !== null && sizes.length !== parts.length) {
      fail(who, `sizes has ${sizes.length} entries but there are ${parts.length} outputs`, RangeError);
    }
    return this._arrayNode(who, 'pnn_define_split', [['u32', parts], ['u32', sizes ?? []]],
                           (mod, g, [op, sp]) => mod._pnn_define_split(
                             g, axis, parts.length, sizes === null ? 0 : sp, inId, op));
  }

  /** Slice ({begins, ends, steps}, as Slice's: ONNX clamping, ±Infinity for open ends). */
  slice(parameters, input, output) {
    const who = 'Graph.slice';
    const { _begins: begins, _ends: ends, _steps: steps } = sliceArguments(who, parameters);
    const ids = [valueId(who, 'input', input), valueId(who, 'output', output)];
    return this._arrayNode(who, 'pnn_define_slice', [['i64', begins], ['i64', ends], ['i64', steps ?? []]],
                           (mod, g, [b, e, st]) => mod._pnn_define_slice(
                             g, begins.length, b, e, steps === null ? 0 : st, ...ids));
  }

  /** Reduction (op and parameters as Reduce's: {axes, keepDims}). */
  reduce(op, parameters, input, output) {
    const who = 'Graph.reduce';
    const { code, axes, flags } = reduceArguments(who, op, parameters);
    const ids = [valueId(who, 'input', input), valueId(who, 'output', output)];
    return this._arrayNode(who, 'pnn_define_reduce', [['u32', axes]],
                           (mod, g, [ap]) => mod._pnn_define_reduce(g, code, axes.length, ap, ...ids, flags));
  }

  /** Layer norm ({axis = -1, epsilon = 1e-5}); gamma and beta (or null) are constant() ids. */
  layerNorm(parameters, gamma, beta, input, output) {
    const who = 'Graph.layerNorm';
    const { axis, epsilon } = normArguments(who, parameters);
    const ids = [valueId(who, 'gamma', gamma), valueId(who, 'beta', beta, true),
                 valueId(who, 'input', input), valueId(who, 'output', output)];
    return this._node(who, 'pnn_define_layer_norm',
                      (mod, g) => mod._pnn_define_layer_norm(g, axis, epsilon, ...ids));
  }

  /** RMS norm ({axis = -1, epsilon = 1e-5}); gamma is a constant() id. */
  rmsNorm(parameters, gamma, input, output) {
    const who = 'Graph.rmsNorm';
    const { axis, epsilon } = normArguments(who, parameters);
    const ids = [valueId(who, 'gamma', gamma), valueId(who, 'input', input), valueId(who, 'output', output)];
    return this._node(who, 'pnn_define_rms_norm', (mod, g) => mod._pnn_define_rms_norm(g, axis, epsilon, ...ids));
  }

  /**
   * Batch norm over the last dim ({epsilon = 1e-5}); mean, variance, gamma, beta are constant()
   * ids. Folded into a producing convolution / deconvolution / fully connected node unless
   * createRuntime({noFusion: true}).
   */
  batchNorm(parameters, mean, variance, gamma, beta, input, output) {
    const who = 'Graph.batchNorm';
    const { epsilon } = normArguments(who, parameters);
    const ids = [valueId(who, 'mean', mean), valueId(who, 'variance', variance), valueId(who, 'gamma', gamma),
                 valueId(who, 'beta', beta), valueId(who, 'input', input), valueId(who, 'output', output)];
    return this._node(who, 'pnn_define_batch_norm', (mod, g) => mod._pnn_define_batch_norm(g, epsilon, ...ids));
  }

  /** PRelu over the last dim; slope is a constant() id of C values or one value. */
  prelu(slope, input, output) {
    const who = 'Graph.prelu';
    const ids = [valueId(who, 'slope', slope), valueId(who, 'input', input), valueId(who, 'output', output)];
    return this._node(who, 'pnn_define_prelu', (mod, g) => mod._pnn_define_prelu(g, ...ids));
  }

  /** A copy (ONNX Identity): a view unless both values are external. */
  copy(input, output) {
    const who = 'Graph.copy';
    const ids = [valueId(who, 'input', input), valueId(who, 'output', output)];
    return this._node(who, 'pnn_define_copy', (mod, g) => mod._pnn_define_copy(g, ...ids));
  }

  /** A reshape (a view): `shape` may hold one 0, meaning "inferred". */
  reshape(shape, input, output) {
    const who = 'Graph.reshape';
    const copy = dims(who, 'shape', shape);
    if (!Array.isArray(copy) || copy.length > MAX_DIMS) {
      fail(who, `shape must be an array of at most ${MAX_DIMS} dimensions, got ${shapeString(copy)}`, TypeError);
    }
    for (let i = 0; i < copy.length; i++) integer(who, `shape[${i}]`, copy[i]);
    const ids = [valueId(who, 'input', input), valueId(who, 'output', output)];
    return this._node(who, 'pnn_define_reshape', (mod, g) => {
      const rt = this._h.rt;
      const d = rt.u32(rt.scratch + SCRATCH_DIMS_A, MAX_DIMS);
      for (let i = 0; i < copy.length; i++) d[i] = copy[i];
      return mod._pnn_define_reshape(g, copy.length, rt.scratch + SCRATCH_DIMS_A, ...ids);
    });
  }

  /** Names node `index` (the number a define method returned) for errors and profiles. */
  nameNode(index, name) {
    const who = 'Graph.nameNode';
    const i = integer(who, 'index', index);
    if (typeof name !== 'string') fail(who, `name must be a string, got ${quoted(name)}`, TypeError);
    const h = live(this, who);
    const rt = h.rt;
    const bytes = new TextEncoder().encode(name.slice(0, 63));
    const ptr = rt.malloc(bytes.length + 1, who, 'the name');
    try {
      const heap = new Uint8Array(rt.buffer, ptr, bytes.length + 1);
      heap.set(bytes);
      heap[bytes.length] = 0;
      cCall(rt, who, 'pnn_set_node_name', (mod) => mod._pnn_set_node_name(h.handle, i, ptr));
    } finally {
      rt.free(ptr);
    }
  }

  /** Validates, fuses, creates the operators and plans memory ({profile, noFusion}). */
  createRuntime(options) {
    const who = 'Graph.createRuntime';
    const o = params(who, options);
    const flags = (boolean(who, 'profile', o.profile) ? RUNTIME_PROFILE : 0) |
                  (boolean(who, 'noFusion', o.noFusion) ? RUNTIME_NO_FUSION : 0);
    const h = live(this, who);
    const rt = h.rt;
    cCall(rt, who, 'pnn_create_runtime', (mod) => mod._pnn_create_runtime(h.handle, flags, rt.scratch + SCRATCH_OUT));
    return new GraphRuntime(rt, rt.u32(rt.scratch + SCRATCH_OUT, 1)[0], this._kinds.slice());
  }

  /** Frees the graph (runtimes made from it stay valid). */
  dispose() {
    if (this._busy) fail('Graph.dispose', 'called while another call of this object is in progress');
    if (finalizer !== null) finalizer.unregister(this);
    this._h.release();
  }
}

/** A runnable model made by Graph.createRuntime(). */
export class GraphRuntime {
  constructor(rt, handle, kinds) {
    this._h = new Handle(rt, handle, (mod, r) => mod._pnn_delete_runtime(r));
    this._kinds = kinds;
    this._busy = false;
    this._bound = null;  // the pointers of the last setup, by external id (null: set up again)
    this._externals = null;  // [{ id, shape, count }] of the current shapes (null: ask C again)
    if (finalizer !== null) finalizer.register(this, this._h, this);
  }

  _guard(who, body) {
    live(this, who);
    this._busy = true;
    try {
      return body(this._h);
    } finally {
      this._busy = false;
    }
  }

  _shape(h, id) {
    const rt = h.rt;
    cCall(rt, 'GraphRuntime.shape', 'pnn_get_value_shape', (mod) => mod._pnn_get_value_shape(
      h.handle, id, rt.scratch + SCRATCH_DIMS_B, rt.scratch + SCRATCH_DIMS_OUT));
    const n = rt.u32(rt.scratch + SCRATCH_DIMS_B, 1)[0];
    return Array.from(rt.u32(rt.scratch + SCRATCH_DIMS_OUT, n));
  }

  /** The current shape of value `id`. */
  shape(id) {
    const i = integer('GraphRuntime.shape', 'id', id);
    return this._guard('GraphRuntime.shape', (h) => this._shape(h, i));
  }

  /** New shapes for external inputs ({[id]: shape}), then shapes re-inferred and memory re-planned. */
  reshape(shapes) {
    const who = 'GraphRuntime.reshape';
    const entries = Object.entries(params(who, shapes)).map(([k, s]) => [Number(k), dims(who, `shape of ${k}`, s)]);
    for (const [id, s] of entries) {
      if (this._kinds[id] !== 'input') fail(who, `value ${id} is not an external input`);
      checkShape(who, `shape of ${id}`, s, 1, MAX_DIMS);
    }
    return this._guard(who, (h) => {
      const rt = h.rt;
      this._bound = null;
      this._externals = null;
      for (const [id, s] of entries) {
        const d = rt.u32(rt.scratch + SCRATCH_DIMS_A, MAX_DIMS);
        for (let i = 0; i < s.length; i++) d[i] = s[i];
        cCall(rt, who, 'pnn_reshape_external_value', (mod) => mod._pnn_reshape_external_value(
          h.handle, id, s.length, rt.scratch + SCRATCH_DIMS_A));
      }
      cCall(rt, who, 'pnn_reshape_runtime', (mod) => mod._pnn_reshape_runtime(h.handle, rt.pool));
    });
  }

  /**
   * Runs the model: `inputs` maps every external input id to a Float32Array of its shape's size;
   * `outputs` (optional) maps output ids to Float32Arrays to fill. Returns {[id]: Float32Array}
   * for every external output.
   */
  run(inputs, outputs) {
    const who = 'GraphRuntime.run';
    // Every argument read once, before anything changes.
    const given = new Map(Object.entries(params(who, inputs)).map(([k, v]) => [Number(k), v]));
    const into = new Map(Object.entries(params(who, outputs)).map(([k, v]) => [Number(k), v]));
    return this._guard(who, (h) => {
      const rt = h.rt;
      // The external shapes change only at reshape(): read from C once per shape.
      if (this._externals === null) {
        const externals = [];
        for (let id = 0; id < this._kinds.length; id++) {
          if (this._kinds[id] !== 'input' && this._kinds[id] !== 'output') continue;
          const shape = this._shape(h, id);
          externals.push({ id, shape, count: shape.reduce((a, b) => a * b, 1) });
        }
        this._externals = externals;
      }
      const plan = this._externals.map(({ id, shape, count }) => {
        if (this._kinds[id] === 'input') {
          if (!given.has(id)) fail(who, `no data for external input ${id} (shape ${shapeString(shape)})`);
          return { id, count, data: captureInput(who, `input ${id}`, given.get(id), shape, count) };
        }
        const out = outputArgument(`${who} output ${id}`, into.get(id));
        checkOutputLength(`${who} output ${id}`, out, count);
        return { id, count, out };
      });
      for (const id of given.keys()) {
        if (this._kinds[id] !== 'input') fail(who, `value ${id} is not an external input`);
      }
      // Buffers (all allocated before any is replaced), setup when a pointer moved.
      const fresh = [];
      try {
        for (const e of plan) {
          const b = h.buffers.get(e.id);
          if (b === undefined || b.bytes < e.count * 4) fresh.push([e.id, rt.malloc(e.count * 4, who, `value ${e.id}`), e.count * 4]);
        }
      } catch (err) {
        for (const [, ptr] of fresh) rt.free(ptr);
        throw err;
      }
      for (const [id, ptr, bytes] of fresh) {
        const old = h.buffers.get(id);
        if (old !== undefined) rt.free(old.ptr);
        h.buffers.set(id, { ptr, bytes });
        this._bound = null;
      }
      if (this._bound === null) {
        const table = rt.malloc(8 * plan.length, who, 'the bindings');
        try {
          const t = rt.u32(table, 2 * plan.length);
          plan.forEach((e, i) => { t[2 * i] = e.id; t[2 * i + 1] = h.buffers.get(e.id).ptr; });
          cCall(rt, who, 'pnn_setup_runtime', (mod) => mod._pnn_setup_runtime(h.handle, plan.length, table));
        } finally {
          rt.free(table);
        }
        this._bound = true;
      }
      for (const e of plan) if (e.data !== undefined) copyInput(rt.f32(h.buffers.get(e.id).ptr, e.count), e.data);
      cCall(rt, who, 'pnn_invoke_runtime', (mod) => mod._pnn_invoke_runtime(h.handle, rt.pool));
      const result = {};
      for (const e of plan) {
        if (e.data !== undefined) continue;
        const view = rt.f32(h.buffers.get(e.id).ptr, e.count);
        if (e.out !== null) typedArraySet.call(e.out, view);
        result[e.id] = e.out ?? view.slice();
      }
      return result;
    });
  }

  /** Per node: { name, operator, kernel, timeMs (last invoke, with {profile: true}), fusedInto }. */
  profile() {
    return this._guard('GraphRuntime.profile', (h) => {
      const rt = h.rt;
      cCall(rt, 'GraphRuntime.profile', 'pnn_get_runtime_node_count',
            (mod) => mod._pnn_get_runtime_node_count(h.handle, rt.scratch + SCRATCH_OUT));
      const n = rt.u32(rt.scratch + SCRATCH_OUT, 1)[0];
      const nodes = [];
      for (let i = 0; i < n; i++) {
        cCall(rt, 'GraphRuntime.profile', 'pnn_get_runtime_node_info',
              (mod) => mod._pnnw_runtime_node_info(h.handle, i, rt.scratch + SCRATCH_DIMS_OUT));
        const o = Array.from(rt.u32(rt.scratch + SCRATCH_DIMS_OUT, 6));
        nodes.push({ name: rt.cstring(o[0]), operator: rt.cstring(o[1]), kernel: rt.cstring(o[2]),
                     timeMs: (o[3] + o[4] * 2 ** 32) / 1e6, fusedInto: o[5] | 0 });
      }
      return nodes;
    });
  }

  /** { arenaBytes, packedWeightBytes } the runtime holds (its external buffers not included). */
  memory() {
    return this._guard('GraphRuntime.memory', (h) => {
      const rt = h.rt;
      cCall(rt, 'GraphRuntime.memory', 'pnn_get_runtime_memory', (mod) => mod._pnn_get_runtime_memory(
        h.handle, rt.scratch + SCRATCH_DIMS_B, rt.scratch + SCRATCH_DIMS_OUT));
      return { arenaBytes: rt.u32(rt.scratch + SCRATCH_DIMS_B, 1)[0],
               packedWeightBytes: rt.u32(rt.scratch + SCRATCH_DIMS_OUT, 1)[0] };
    });
  }

  /** Frees the runtime and its module buffers. */
  dispose() {
    if (this._busy) fail('GraphRuntime.dispose', 'called while another call of this object is in progress');
    if (finalizer !== null) finalizer.unregister(this);
    this._h.release();
  }
}
