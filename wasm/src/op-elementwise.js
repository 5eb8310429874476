// The elementwise operators and softmax: Unary, Binary (NumPy broadcasting, judged by C, which
// also reports the broadcast shape) and Softmax.

import {
  MAX_DIMS, boolean, checkShape, dims, fail, inputLength, integer, number, outputClamp, params,
  quoted, rowsShape, shapeString,
} from './check.js';
import {
  Operator, SCRATCH_DIMS_A, SCRATCH_DIMS_B, SCRATCH_DIMS_OUT, SCRATCH_OUT,
} from './operator-base.js';
import { describeValue } from './runtime.js';

const FLAG_GELU_TANH_APPROXIMATION = 0x20;

const UNARY_OPS = Object.freeze({
  clamp: 0, leakyRelu: 1, elu: 2, sigmoid: 3, tanh: 4, hardswish: 5, gelu: 6, silu: 7, abs: 8,
  negate: 9, square: 10, sqrt: 11, exp: 12, hardSigmoid: 13, erf: 14, log: 15, reciprocal: 16,
  rsqrt: 17, floor: 18, ceil: 19, round: 20, sin: 21, cos: 22, softplus: 23,
});

/**
 * A unary op and its parameters, each read once (as Unary's constructor and Graph.unary() take
 * them): { code, min, max, slope, alpha, beta, flags } for the C create / define call.
 */
export function unaryArguments(who, op, parameters) {
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
  const alpha = number(who, 'alpha', p.alpha, name === 'hardSigmoid' ? 0.2 : 1);
  const beta = number(who, 'beta', p.beta, 0.5);
  let flags = 0;
  if (name === 'gelu') {
    const approximate = p.approximate;
    if (approximate !== undefined && approximate !== 'none') {
      if (approximate !== 'tanh') {
        const got = typeof approximate === 'string' ? approximate : describeValue(approximate);
        fail(who, `approximate must be 'none' or 'tanh', got ${got}`, TypeError);
      }
      flags = FLAG_GELU_TANH_APPROXIMATION;
    }
  }
  return { code: UNARY_OPS[name], min, max, slope, alpha, beta, flags };
}

/** Unary elementwise operator (pnn_*_unary_elementwise_nc_f32). */
export class Unary extends Operator {
  /**
   * op: 'clamp' ({min, max}), 'relu' (clamp to [0, inf)), 'relu6' (clamp to [0, 6]),
   * 'leakyRelu' ({negativeSlope}, default 0.01), 'elu' ({alpha}, default 1), 'sigmoid', 'tanh',
   * 'hardswish', 'gelu' ({approximate: 'none' | 'tanh'}), 'silu', 'abs', 'negate', 'square',
   * 'sqrt', 'exp', 'hardSigmoid' ({alpha, beta}, defaults 0.2 and 0.5 as ONNX), 'erf', 'log',
   * 'reciprocal', 'rsqrt', 'floor', 'ceil', 'round' (halves to even), 'sin', 'cos', 'softplus'.
   */
  constructor(op, parameters) {
    super('Unary');
    const { code, min, max, slope, alpha, beta, flags } = unaryArguments('Unary', op, parameters);
    this.op = op;
    this._create('pnn_create_unary_elementwise_nc_f32', [], (mod, _, out) =>
      mod._pnnw_create_unary_elementwise_nc_f32(code, 1, min, max, slope, alpha, beta, flags, out));
  }

  /** input: Float32Array of any shape (default [input.length]); the output has the same shape. */
  run(input, inputShape, output) {
    return this._guard('run', () => {
      const who = 'Unary.run';
      const shape = dims(who, 'input shape', inputShape === undefined || inputShape === null
        ? [inputLength(who, 'input', input)] : inputShape);
      const count = checkShape(who, 'input shape', shape, 1, 32);
      const channels = shape[shape.length - 1];
      return this._runSingleReshaped({ who, shape, count }, input, output, {
        reshapeName: 'pnn_reshape_unary_elementwise_nc_f32', args: [count / channels, channels],
        context: () => ` for input shape ${shapeString(shape)}`, outShape: [count],
        setupName: 'pnn_setup_unary_elementwise_nc_f32',
      });
    });
  }
}

export const BINARY_OPS = Object.freeze({
  add: 0, subtract: 1, multiply: 2, divide: 3, minimum: 4, maximum: 5, squaredDifference: 6,
  pow: 7,
});

/** Binary elementwise operator with NumPy broadcasting (pnn_*_binary_elementwise_nd_f32). */
export class Binary extends Operator {
  /**
   * op: 'add', 'subtract', 'multiply', 'divide', 'minimum', 'maximum', 'squaredDifference',
   * 'pow' (ONNX Pow: a negative base with an integer exponent gives a real result).
   */
  constructor(op, parameters) {
    super('Binary');
    const who = 'Binary';
    const p = params(who, parameters);
    if (typeof op !== 'string' || !Object.prototype.hasOwnProperty.call(BINARY_OPS, op)) {
      fail(who, `unknown op ${quoted(op)} (expected ${Object.keys(BINARY_OPS).join(', ')})`, TypeError);
    }
    const [min, max] = outputClamp(who, p);
    this.op = op;
    this._create('pnn_create_binary_elementwise_nd_f32', [], (mod, _, out) =>
      mod._pnn_create_binary_elementwise_nd_f32(BINARY_OPS[op], min, max, 0, out));
  }

  // Copies of the shapes (a scalar, shape [], is a one-element vector) and their counts.
  _shapes(who, aShapeArg, bShapeArg) {
    const aShape = dims(who, 'A shape', aShapeArg);
    const bShape = dims(who, 'B shape', bShapeArg);
    if (!Array.isArray(aShape)) {
      fail(who, `A shape must be an array of dimensions, got ${describeValue(aShape)}`, TypeError);
    }
    if (!Array.isArray(bShape)) {
      fail(who, `B shape must be an array of dimensions, got ${describeValue(bShape)}`, TypeError);
    }
    const a = aShape.length === 0 ? [1] : aShape;
    const b = bShape.length === 0 ? [1] : bShape;
    const countA = checkShape(who, 'A shape', a, 1, MAX_DIMS);
    const countB = checkShape(who, 'B shape', b, 1, MAX_DIMS);
    return { who, aShape, bShape, a, b, countA, countB };
  }

  // Reshapes for checked shapes; the broadcast shape comes from C.
  _reshapeFor(rt, s) {
    return this._reshape(`${s.a.join(',')};${s.b.join(',')}`, 'pnn_reshape_binary_elementwise_nd_f32',
                         () => ` for shapes ${shapeString(s.aShape)} and ${shapeString(s.bShape)}`, (handle) => {
      rt.u32(rt.scratch + SCRATCH_DIMS_A, s.a.length).set(s.a);
      rt.u32(rt.scratch + SCRATCH_DIMS_B, s.b.length).set(s.b);
      return rt.mod._pnn_reshape_binary_elementwise_nd_f32(
        handle, s.a.length, rt.scratch + SCRATCH_DIMS_A, s.b.length,
        rt.scratch + SCRATCH_DIMS_B, rt.scratch + SCRATCH_OUT, rt.scratch + SCRATCH_DIMS_OUT,
        rt.pool);
    }, () => Array.from(rt.u32(rt.scratch + SCRATCH_DIMS_OUT, rt.u32(rt.scratch + SCRATCH_OUT, 1)[0])));
  }

  /** The broadcast shape of aShape and bShape (throws if they do not broadcast). */
  outputShape(aShape, bShape) { return this._pairOutputShape(aShape, bShape); }

  /** a, b: Float32Arrays of shapes aShape, bShape; the output has their broadcast shape. */
  run(a, aShape, b, bShape, output) {
    return this._pairRun(a, aShape, b, bShape, output, 'pnn_setup_binary_elementwise_nd_f32');
  }
}

const FLAG_LOG_SOFTMAX = 0x20000;

/**
 * Softmax (or log-softmax) over the last axis (pnn_*_softmax_nc_f32), or over `axis` of an N-D
 * input (pnn_reshape_softmax_nd_f32).
 */
export class Softmax extends Operator {
  /** channels: the softmax's length; axis: any (negative from the end), default the last. */
  constructor(parameters) {
    super('Softmax');
    const who = 'Softmax';
    const p = params(who, parameters);
    const channels = integer(who, 'channels', p.channels);
    const axis = p.axis;
    if (axis !== undefined && (typeof axis !== 'number' || !Number.isInteger(axis)
        || axis < -0x80000000 || axis > 0x7fffffff)) {
      fail(who, `axis must be an integer, got ${describeValue(axis)}`,
           typeof axis === 'number' ? RangeError : TypeError);
    }
    const flags = boolean(who, 'logSoftmax', p.logSoftmax) ? FLAG_LOG_SOFTMAX : 0;
    this.channels = channels;
    this.axis = axis === undefined ? -1 : axis;
    this.logSoftmax = flags !== 0;
    this._nd = axis !== undefined;
    this._create('pnn_create_softmax_nc_f32', [], (mod, _, out) =>
      mod._pnn_create_softmax_nc_f32(channels, flags, out));
  }

  /**
   * input: Float32Array of shape [..., channels] (default [length / channels, channels]); with
   * an axis given, any shape of 1 to 6 dims whose dim at `axis` is channels.
   */
  run(input, inputShape, output) {
    return this._guard('run', () => {
      if (this._nd) return this._runAxis(input, inputShape, output);
      const s = rowsShape('Softmax.run', input, inputShape, this.channels, 'channels');
      const batch = s.count / this.channels;
      return this._runSingleReshaped(s, input, output, {
        reshapeName: 'pnn_reshape_softmax_nc_f32', args: [batch], context: () => ` for batch ${batch}`,
        outShape: [s.count], setupName: 'pnn_setup_softmax_nc_f32',
      });
    });
  }

  _runAxis(input, inputShape, output) {
    const who = 'Softmax.run';
    const shape = dims(who, 'input shape', inputShape === undefined || inputShape === null
      ? [inputLength(who, 'input', input)] : inputShape);
    const count = checkShape(who, 'input shape', shape, 1, MAX_DIMS);
    const rt = this._resume('run');
    return this._runSingle({ who, shape, count }, input, output, () => this._reshape(
      shape.join(','), 'pnn_reshape_softmax_nd_f32',
      () => ` for input shape ${shapeString(shape)}, axis ${this.axis}`, (handle) => {
        const view = rt.u32(rt.scratch + SCRATCH_DIMS_A, shape.length);
        for (let i = 0; i < shape.length; i++) view[i] = shape[i];
        return rt.mod._pnn_reshape_softmax_nd_f32(handle, shape.length, rt.scratch + SCRATCH_DIMS_A,
                                                  this.axis, rt.pool);
      }, () => shape.slice()), 'pnn_setup_softmax_nc_f32', rt.mod._pnn_setup_softmax_nc_f32);
  }
}
