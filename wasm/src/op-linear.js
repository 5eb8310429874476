// The operators with weights or a reduction: Convolution2D, FullyConnected, BatchMatMul. Each
// reads its arguments once (check.js), lets the C library judge them, and takes output shapes
// from the C reshape (operator-base.js for the call discipline).

import {
  MAX_DIMS, boolean, captureWeights, checkShape, dims, fail, integer, outputClamp, params, rowsShape,
  shapeString, weights,
} from './check.js';
import { Operator, SCRATCH_DIMS_A, SCRATCH_DIMS_B, SCRATCH_DIMS_OUT } from './operator-base.js';
import {
  padding2d, reshapeWindow, window2d, windowFlags, windowOutputShape,
  windowRun, windowShape,
} from './op-window.js';

const FLAG_TRANSPOSE_WEIGHTS = 0x2;
const FLAG_TRANSPOSE_A = 0x4;
const FLAG_TRANSPOSE_B = 0x8;

/**
 * A convolution's parameters, each read once (Convolution2D's constructor and
 * Graph.convolution2D() take them alike): { pad: [4], kernelWindow: [kh, kw, sh, sw, dh, dw], groups,
 * gic, goc, min, max, flags } for the C create / define call.
 */
export function convolutionArguments(who, parameters) {
  const p = params(who, parameters);
  const pad = padding2d(who, p);
  const kernelWindow = window2d(who, p, 'kernel');
  const groups = integer(who, 'groups', p.groups, 1);
  const gic = integer(who, 'groupInputChannels', p.groupInputChannels);
  const goc = integer(who, 'groupOutputChannels', p.groupOutputChannels);
  const [min, max] = outputClamp(who, p);
  const flags = windowFlags(who, p, false);
  return { pad, kernelWindow, groups, gic, goc, min, max, flags };
}

/** 2-D convolution, NHWC (pnn_*_convolution2d_nhwc_f32). */
export class Convolution2D extends Operator {
  constructor(parameters, kernel, bias) {
    super('Convolution2D');
    const who = 'Convolution2D';
    const { pad, kernelWindow, groups, gic, goc, min, max, flags } = convolutionArguments(who, parameters);
    const [kh, kw] = kernelWindow;
    const k = weights(who, 'kernel', kernel, groups * goc * kh * kw * gic, false);
    const b = weights(who, 'bias', bias, groups * goc, true);
    this.inputChannels = groups * gic;
    this.outputChannels = groups * goc;
    const captured = [captureWeights(k), captureWeights(b)];
    this._create('pnn_create_convolution2d_nhwc_f32', captured, (mod, [kp, bp], out) =>
      mod._pnnw_create_convolution2d_nhwc_f32(
        ...pad, ...kernelWindow, groups, gic, goc, min, max, flags, kp, bp, out));
  }

  _shape(method, inputShape) {
    return windowShape(this, method, inputShape, this.inputChannels);
  }

  _reshapeFor(rt, s) {
    return reshapeWindow(this, rt, s, this.outputChannels, 'pnn_reshape_convolution2d_nhwc_f32',
                         rt.mod._pnn_reshape_convolution2d_nhwc_f32);
  }

  /** Output shape [N, OH, OW, outputChannels] for an input shape [N, H, W, inputChannels]. */
  outputShape(inputShape) { return windowOutputShape(this, inputShape); }

  /** input: Float32Array of shape [N, H, W, inputChannels]. */
  run(input, shape, output) {
    return windowRun(this, input, shape, output, 'pnn_setup_convolution2d_nhwc_f32',
                     (mod) => mod._pnn_setup_convolution2d_nhwc_f32);
  }
}

/** Fully connected layer, NC (pnn_*_fully_connected_nc_f32). */
export class FullyConnected extends Operator {
  constructor(parameters, kernel, bias) {
    super('FullyConnected');
    const who = 'FullyConnected';
    const p = params(who, parameters);
    const ic = integer(who, 'inputChannels', p.inputChannels);
    const oc = integer(who, 'outputChannels', p.outputChannels);
    const [min, max] = outputClamp(who, p);
    const flags = boolean(who, 'transposeWeights', p.transposeWeights) ? FLAG_TRANSPOSE_WEIGHTS : 0;
    const k = weights(who, 'kernel', kernel, ic * oc, false);
    const b = weights(who, 'bias', bias, oc, true);
    this.inputChannels = ic;
    this.outputChannels = oc;
    const captured = [captureWeights(k), captureWeights(b)];
    this._create('pnn_create_fully_connected_nc_f32', captured, (mod, [kp, bp], out) =>
      mod._pnn_create_fully_connected_nc_f32(ic, oc, kp, bp, min, max, flags, out));
  }

  /**
   * input: Float32Array of shape [..., inputChannels] (default [length / inputChannels,
   * inputChannels]); the output has shape [..., outputChannels].
   */
  run(input, inputShape, output) {
    return this._guard('run', () => {
      const s = rowsShape('FullyConnected.run', input, inputShape, this.inputChannels, 'inputChannels');
      const batch = s.count / this.inputChannels;
      return this._runSingleReshaped(s, input, output, {
        reshapeName: 'pnn_reshape_fully_connected_nc_f32', args: [batch],
        context: () => ` for batch ${batch}`, outShape: [batch, this.outputChannels],
        setupName: 'pnn_setup_fully_connected_nc_f32',
      });
    });
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

  // The shapes (read once) and what the C reshape takes: batch dims right-aligned (missing ones
  // = 1), m, k, n. The inner dimensions are one argument of the C call, so they must agree here.
  _shapes(who, aShapeArg, bShapeArg) {
    const aShape = dims(who, 'A shape', aShapeArg);
    const bShape = dims(who, 'B shape', bShapeArg);
    const countA = checkShape(who, 'A shape', aShape, 2, MAX_DIMS + 2);
    const countB = checkShape(who, 'B shape', bShape, 2, MAX_DIMS + 2);
    const [m, ak] = this.transposeA ? [aShape.at(-1), aShape.at(-2)] : [aShape.at(-2), aShape.at(-1)];
    const [bk, n] = this.transposeB ? [bShape.at(-1), bShape.at(-2)] : [bShape.at(-2), bShape.at(-1)];
    if (ak !== bk) {
      fail(who, `inner dimensions differ: A ${shapeString(aShape)} has K = ${ak}, B ${shapeString(bShape)} has K = ${bk}`);
    }
    const rank = Math.max(aShape.length, bShape.length) - 2;
    const pad = (s) => new Array(rank - (s.length - 2)).fill(1).concat(s.slice(0, -2));
    return { who, aShape, bShape, countA, countB, batchA: pad(aShape), batchB: pad(bShape),
             m, k: ak, n };
  }

  // Reshapes for checked shapes; the output shape [...batch, M, N] comes from C.
  _reshapeFor(rt, d) {
    const rank = d.batchA.length;
    return this._reshape(`${d.aShape.join(',')};${d.bShape.join(',')}`, 'pnn_reshape_batch_matmul_f32',
                         () => ` for A ${shapeString(d.aShape)} and B ${shapeString(d.bShape)}`, (handle) => {
      rt.u32(rt.scratch + SCRATCH_DIMS_A, rank).set(d.batchA);
      rt.u32(rt.scratch + SCRATCH_DIMS_B, rank).set(d.batchB);
      return rt.mod._pnn_reshape_batch_matmul_f32(
        handle, rank, rt.scratch + SCRATCH_DIMS_A, rt.scratch + SCRATCH_DIMS_B,
        d.m, d.k, d.n, rt.scratch + SCRATCH_DIMS_OUT, rt.pool);
    }, () => [...rt.u32(rt.scratch + SCRATCH_DIMS_OUT, rank), d.m, d.n]);
  }

  /** Output shape [...broadcast batch, M, N]. */
  outputShape(aShape, bShape) { return this._pairOutputShape(aShape, bShape); }

  /**
   * a: [...batchA, M, K] ([..., K, M] with transposeA); b: [...batchB, K, N] ([..., N, K] with
   * transposeB). Batch dims broadcast NumPy-style. Output: [...batch, M, N].
   */
  run(a, aShape, b, bShape, output) {
    return this._pairRun(a, aShape, b, bShape, output, 'pnn_setup_batch_matmul_f32');
  }
}
