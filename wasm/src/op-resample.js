// The operators that change an image's resolution: Deconvolution2D (transposed convolution).
// Each reads its arguments once (check.js) in the order the C glue takes them, lets the C
// library judge them, and takes the output shape from the C reshape (op-window.js).

import {
  captureWeights, integer, outputClamp, params, weights,
} from './check.js';
import { Operator } from './operator-base.js';
import {
  padding2d, reshapeWindow, window2d, windowOutputShape, windowRun, windowShape,
} from './op-window.js';

/**
 * 2-D deconvolution (transposed convolution), NHWC (pnn_*_deconvolution2d_nhwc_f32): ONNX
 * ConvTranspose with output_padding as adjustmentHeight / adjustmentWidth; kernel
 * [groups*GOC][kh][kw][GIC] as for Convolution2D.
 */
export class Deconvolution2D extends Operator {
  constructor(parameters, kernel, bias) {
    super('Deconvolution2D');
    const who = this._name;
    const p = params(who, parameters);
    const paddings = padding2d(who, p);
    const adjustments = ['adjustmentHeight', 'adjustmentWidth'].map((n) => integer(who, n, p[n], 0));
    const geometry = window2d(who, p, 'kernel');
    const [groups, gic, goc] = [['groups', 1], ['groupInputChannels'], ['groupOutputChannels']]
      .map(([n, fallback]) => integer(who, n, p[n], fallback));
    const clamp = outputClamp(who, p);
    const taps = geometry[0] * geometry[1];
    this.inputChannels = groups * gic;
    this.outputChannels = groups * goc;
    const captured = [
      captureWeights(weights(who, 'kernel', kernel, this.outputChannels * taps * gic, false)),
      captureWeights(weights(who, 'bias', bias, this.outputChannels, true)),
    ];
    this._create('pnn_create_deconvolution2d_nhwc_f32', captured, (mod, [kp, bp], out) =>
      mod._pnnw_create_deconvolution2d_nhwc_f32(
        ...paddings, ...adjustments, ...geometry, groups, gic, goc, ...clamp, kp, bp, out));
  }

  _shape(method, inputShape) {
    return windowShape(this, method, inputShape, this.inputChannels);
  }

  _reshapeFor(rt, s) {
    return reshapeWindow(this, rt, s, this.outputChannels, 'pnn_reshape_deconvolution2d_nhwc_f32',
                         rt.mod._pnn_reshape_deconvolution2d_nhwc_f32);
  }

  /** Output shape [N, OH, OW, outputChannels] for an input shape [N, H, W, inputChannels]. */
  outputShape(inputShape) { return windowOutputShape(this, inputShape); }

  /** input: Float32Array of shape [N, H, W, inputChannels]. */
  run(input, shape, output) {
    return windowRun(this, input, shape, output, 'pnn_setup_deconvolution2d_nhwc_f32',
                     (mod) => mod._pnn_setup_deconvolution2d_nhwc_f32);
  }
}
