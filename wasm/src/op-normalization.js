// Reductions and normalizations: Reduce (sum, mean, max, min over any axes), LayerNorm and
// RmsNorm (over the trailing axes from `axis` on), BatchNorm (inference, per channel) and PRelu
// (per-channel slope). The C library judges shapes and axes and reports the reduced shape; here
// only JS types are checked, each argument read once (check.js).

import {
  MAX_DIMS, boolean, captureWeights, checkShape, dims, fail, inputLength, lengthOf, number, params, quoted, rowsShape, shapeString, weights,
} from './check.js';
import { Operator, SCRATCH_DIMS_A, SCRATCH_DIMS_OUT, SCRATCH_OUT } from './operator-base.js';
import { describeValue, requireRuntime } from './runtime.js';

const FLAG_KEEP_DIMS = 0x10000;
const REDUCE_OPS = Object.freeze({ sum: 0, mean: 1, max: 2, min: 3 });

// An axis (or list of axes) argument: integers that fit the C int32_t; the C library checks
// their range against the rank.
export function axisValue(who, name, value) {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < -0x80000000 || value > 0x7fffffff) {
    fail(who, `${name} must be an integer, got ${describeValue(value)}`,
         typeof value === 'number' ? RangeError : TypeError);
  }
  return value;
}

// The C value of an op name of `table` (a TypeError naming the choices otherwise).
function opCode(who, op, table) {
  if (typeof op === 'string' && Object.prototype.hasOwnProperty.call(table, op)) return table[op];
  return fail(who, `unknown op ${quoted(op)} (expected ${Object.keys(table).join(', ')})`, TypeError);
}

// A parameter array given without a separate size (gamma, mean, slope): weights() of its own
// length, which sets the operator's size. Anything else is weights()' type error.
function sizedWeights(who, name, data) {
  let count = 0;
  if (Array.isArray(data)) count = data.length;
  else if (ArrayBuffer.isView(data) && !(data instanceof DataView)) count = lengthOf(data);
  return weights(who, name, data, count, false);
}

// Writes `values` (int32 or size_t, both 32-bit in wasm32) at scratch offset `at`.
function scratchWords(rt, at, values) {
  const view = rt.u32(rt.scratch + at, values.length);
  for (let i = 0; i < values.length; i++) view[i] = values[i] >>> 0;
}

/**
 * A reduction's op ('sum', 'mean', 'max', 'min') and parameters { axes (default none), keepDims },
 * each read once: { code (the C enum), axes, flags }.
 */
export function reduceArguments(who, op, parameters) {
  const code = opCode(who, op, REDUCE_OPS);
  const p = params(who, parameters);
  const axesArg = dims(who, 'axes', p.axes === undefined ? [] : p.axes);
  if (!Array.isArray(axesArg)) fail(who, `axes must be an array of integers, got ${describeValue(axesArg)}`, TypeError);
  if (axesArg.length > MAX_DIMS) fail(who, `axes has ${axesArg.length} entries, more than ${MAX_DIMS}`, RangeError);
  const axes = axesArg.map((a, i) => axisValue(who, `axes[${i}]`, a));
  const flags = boolean(who, 'keepDims', p.keepDims) ? FLAG_KEEP_DIMS : 0;
  return { code, axes, flags };
}

/** Reduction over a set of axes (pnn_*_reduce_nd_f32). */
export class Reduce extends Operator {
  /** op: 'sum', 'mean', 'max', 'min'; axes: up to 6 (negative count from the end), keepDims. */
  constructor(op, parameters) {
    super('Reduce');
    const who = 'Reduce';
    const { code, axes, flags } = reduceArguments(who, op, parameters);
    this.op = op;
    this.axes = Object.freeze(axes.slice());
    // The axes go through the scratch area of the runtime _create() uses (the current one).
    this._create('pnn_create_reduce_nd_f32', [], (mod, _, out) => {
      const rt = requireRuntime(who);
      scratchWords(rt, SCRATCH_DIMS_A, axes);
      return mod._pnn_create_reduce_nd_f32(code, axes.length, rt.scratch + SCRATCH_DIMS_A,
                                           flags, out);
    });
  }

  _shape(who, inputShape) {
    const shape = dims(who, 'input shape', inputShape);
    const count = checkShape(who, 'input shape', shape, 0, MAX_DIMS);
    return { who, shape, count };
  }

  _reshapeFor(rt, s) {
    return this._reshape(s.shape.join(','), 'pnn_reshape_reduce_nd_f32',
                         () => ` for input shape ${shapeString(s.shape)}`, (handle) => {
      scratchWords(rt, SCRATCH_DIMS_A, s.shape);
      return rt.mod._pnn_reshape_reduce_nd_f32(handle, s.shape.length, rt.scratch + SCRATCH_DIMS_A,
                                               rt.scratch + SCRATCH_OUT, rt.scratch + SCRATCH_DIMS_OUT,
                                               rt.pool);
    }, () => Array.from(rt.u32(rt.scratch + SCRATCH_DIMS_OUT, rt.u32(rt.scratch + SCRATCH_OUT, 1)[0])));
  }

  /** The output shape for an input of `inputShape` (throws with C's reason if it is invalid). */
  outputShape(inputShape) {
    return this._guard('outputShape', () => {
      const s = this._shape('Reduce.outputShape', inputShape);
      return this._reshapeFor(this._resume('outputShape'), s).slice();
    });
  }

  /** input: Float32Array of shape `inputShape` (0 to 6 dims); the output has the reduced shape. */
  run(input, inputShape, output) {
    return this._guard('run', () => {
      const s = this._shape('Reduce.run', inputShape);
      const rt = this._resume('run');
      return this._runSingle(s, input, output, () => this._reshapeFor(rt, s),
                             'pnn_setup_reduce_nd_f32', rt.mod._pnn_setup_reduce_nd_f32);
    });
  }
}

/** A normalization's parameters { axis = -1, epsilon = 1e-5 }, each read once. */
export function normArguments(who, parameters) {
  const p = params(who, parameters);
  const axis = axisValue(who, 'axis', p.axis === undefined ? -1 : p.axis);
  return { axis, epsilon: number(who, 'epsilon', p.epsilon, 1e-5) };
}

// LayerNorm and RmsNorm: parameters { axis = -1, epsilon = 1e-5 }, gamma (its length is the
// normalized size), beta (LayerNorm only; optional).
class RowNorm extends Operator {
  constructor(name, cName, parameters, gamma, beta) {
    super(name);
    const who = name;
    const { axis, epsilon } = normArguments(who, parameters);
    const g = sizedWeights(who, 'gamma', gamma);
    const size = g.count;
    const b = cName === 'layer_norm' ? weights(who, 'beta', beta, size, true) : null;
    this.normSize = size;
    this.axis = axis;
    this._cName = cName;
    const captured = [captureWeights(g), captureWeights(b)];
    this._create(`pnn_create_${cName}_nd_f32`, captured, (mod, [gp, bp], out) => (
      cName === 'layer_norm'
        ? mod._pnn_create_layer_norm_nd_f32(size, gp, bp, epsilon, 0, out)
        : mod._pnn_create_rms_norm_nd_f32(size, gp, epsilon, 0, out)));
  }

  /**
   * input: Float32Array of shape `inputShape` (1 to 6 dims, default [length / normSize,
   * normSize]) whose dims from `axis` on hold normSize elements; the output has its shape.
   */
  run(input, inputShape, output) {
    return this._guard('run', () => {
      const who = `${this._name}.run`;
      const n = this.normSize;
      let shape = inputShape;
      if (shape === undefined || shape === null) {
        const length = inputLength(who, 'input', input);
        if (length === 0 || length % n !== 0) {
          fail(who, `input has ${length} elements, not a positive multiple of normSize = ${n}`);
        }
        shape = [length / n, n];
      }
      shape = dims(who, 'input shape', shape);
      const count = checkShape(who, 'input shape', shape, 1, MAX_DIMS);
      const s = { who, shape, count };
      const rt = this._resume('run');
      const reshapeName = `pnn_reshape_${this._cName}_nd_f32`;
      const setupName = `pnn_setup_${this._cName}_nd_f32`;
      return this._runSingle(s, input, output, () => this._reshape(
        shape.join(','), reshapeName, () => ` for input shape ${shapeString(shape)}, axis ${this.axis}`,
        (handle) => {
          scratchWords(rt, SCRATCH_DIMS_A, shape);
          return rt.mod[`_${reshapeName}`](handle, shape.length, rt.scratch + SCRATCH_DIMS_A,
                                           this.axis, rt.pool);
        }, () => shape.slice()), setupName, rt.mod[`_${setupName}`]);
    });
  }
}

/** Layer normalization over the dims from `axis` on (pnn_*_layer_norm_nd_f32). */
export class LayerNorm extends RowNorm {
  constructor(parameters, gamma, beta) { super('LayerNorm', 'layer_norm', parameters, gamma, beta); }
}

/** RMS normalization over the dims from `axis` on (pnn_*_rms_norm_nd_f32). */
export class RmsNorm extends RowNorm {
  constructor(parameters, gamma) { super('RmsNorm', 'rms_norm', parameters, gamma, null); }
}

// BatchNorm and PRelu: NC rows of `channels` (the length of their first parameter array).
class ChannelOp extends Operator {
  _init(cName, channels, captured, create) {
    this.channels = channels;
    this._cName = cName;
    this._create(`pnn_create_${cName}_nc_f32`, captured, create);
  }

  /** input: Float32Array of shape [..., channels] (default [length / channels, channels]). */
  run(input, inputShape, output) {
    return this._guard('run', () => {
      const s = rowsShape(`${this._name}.run`, input, inputShape, this.channels, 'channels');
      const batch = s.count / this.channels;
      return this._runSingleReshaped(s, input, output, {
        reshapeName: `pnn_reshape_${this._cName}_nc_f32`, args: [batch],
        context: () => ` for batch ${batch}`, outShape: [s.count],
        setupName: `pnn_setup_${this._cName}_nc_f32`,
      });
    });
  }
}

/** Batch normalization, inference form (pnn_*_batch_norm_nc_f32), over the last axis. */
export class BatchNorm extends ChannelOp {
  constructor(parameters, mean, variance, gamma, beta) {
    super('BatchNorm');
    const who = 'BatchNorm';
    const epsilon = number(who, 'epsilon', params(who, parameters).epsilon, 1e-5);
    const m = sizedWeights(who, 'mean', mean);
    const c = m.count;
    const w = [m, weights(who, 'variance', variance, c, false),
               weights(who, 'gamma', gamma, c, false), weights(who, 'beta', beta, c, false)];
    this._init('batch_norm', c, w.map(captureWeights), (mod, [m, v, g, b], out) =>
      mod._pnn_create_batch_norm_nc_f32(c, m, v, g, b, epsilon, 0, out));
  }
}

/** PRelu with a per-channel slope over the last axis (pnn_*_prelu_nc_f32). */
export class PRelu extends ChannelOp {
  constructor(slope) {
    super('PRelu');
    const s = sizedWeights('PRelu', 'slope', slope);
    const c = s.count;
    this._init('prelu', c, [captureWeights(s)], (mod, [sp], out) =>
      mod._pnn_create_prelu_nc_f32(c, sp, 0, out));
  }
}
