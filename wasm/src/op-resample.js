// The operators that change an image's resolution: Deconvolution2D (transposed convolution) and
// Resize2D (nearest / bilinear, ONNX Resize over H and W).
// Each reads its arguments once (check.js) in the order the C glue takes them, lets the C
// library judge them, and takes the output shape from the C reshape (op-window.js).

import {
  captureWeights, checkShape, dims, fail, integer, outputClamp, params, shapeString, weights,
} from './check.js';
import { Operator } from './operator-base.js';
import { installWindowMethods, padding2d, window2d, windowShape } from './op-window.js';

/**
 * A deconvolution's parameters, each read once: `args`, the arguments of the C glue's create and
 * define entry points before their own (paddings, adjustments, window, groups, channels, clamp),
 * and groups, gic, goc and the kernel's taps.
 */
export function deconvolutionArguments(who, parameters) {
  const p = params(who, parameters);
  const paddings = padding2d(who, p);
  const adjustments = ['adjustmentHeight', 'adjustmentWidth'].map((n) => integer(who, n, p[n], 0));
  const geometry = window2d(who, p, 'kernel');
  const [groups, gic, goc] = [['groups', 1], ['groupInputChannels'], ['groupOutputChannels']]
    .map(([n, fallback]) => integer(who, n, p[n], fallback));
  const clamp = outputClamp(who, p);
  return { args: [...paddings, ...adjustments, ...geometry, groups, gic, goc, ...clamp],
           groups, gic, goc, taps: geometry[0] * geometry[1] };
}

/**
 * 2-D deconvolution (transposed convolution), NHWC (pnn_*_deconvolution2d_nhwc_f32): ONNX
 * ConvTranspose with output_padding as adjustmentHeight / adjustmentWidth; kernel
 * [groups*GOC][kh][kw][GIC] as for Convolution2D.
 */
export class Deconvolution2D extends Operator {
  constructor(parameters, kernel, bias) {
    super('Deconvolution2D');
    const who = this._name;
    const { args, groups, gic, goc, taps } = deconvolutionArguments(who, parameters);
    this.inputChannels = groups * gic;
    this.outputChannels = groups * goc;
    const captured = [
      captureWeights(weights(who, 'kernel', kernel, this.outputChannels * taps * gic, false)),
      captureWeights(weights(who, 'bias', bias, this.outputChannels, true)),
    ];
    this._create('pnn_create_deconvolution2d_nhwc_f32', captured, (mod, [kp, bp], out) =>
      mod._pnnw_create_deconvolution2d_nhwc_f32(...args, kp, bp, out));
  }
}
installWindowMethods(Deconvolution2D, 'deconvolution2d_nhwc_f32');

const RESIZE_MODES = ['nearest', 'bilinear'];
const COORDINATE_MODES = ['half_pixel', 'pytorch_half_pixel', 'align_corners', 'asymmetric'];
const NEAREST_MODES = ['round_prefer_floor', 'round_prefer_ceil', 'floor', 'ceil'];

// The index of `value` in `names` (the C enum's value), `names[0]`'s when undefined.
function choice(who, name, value, names) {
  if (value === undefined) return 0;
  const i = names.indexOf(value);
  if (i < 0) {
    fail(who, `${name} must be one of ${names.map((n) => `'${n}'`).join(', ')}, got ${shapeString(value)}`,
         TypeError);
  }
  return i;
}

/**
 * A resize's parameters (of the object `p`, each read once): channels and the C enum values of
 * mode, coordinateTransformationMode and nearestMode.
 */
export function resizeArguments(who, p) {
  const channels = integer(who, 'channels', p.channels);
  const mode = choice(who, 'mode', p.mode, RESIZE_MODES);
  const coordinates = choice(who, 'coordinateTransformationMode', p.coordinateTransformationMode,
                             COORDINATE_MODES);
  const nearest = choice(who, 'nearestMode', p.nearestMode, NEAREST_MODES);
  return { channels, mode, coordinates, nearest };
}

/**
 * 2-D resize, NHWC (pnn_*_resize2d_nhwc_f32): { channels, mode ('nearest' | 'bilinear',
 * default 'nearest'), coordinateTransformationMode (default 'half_pixel'), nearestMode (default
 * 'round_prefer_floor') }, ONNX's names and defaults. The output size is given to run().
 */
export class Resize2D extends Operator {
  constructor(parameters) {
    super('Resize2D');
    const { channels, mode, coordinates, nearest } = resizeArguments(this._name, params(this._name, parameters));
    this.channels = channels;
    this.mode = RESIZE_MODES[mode];
    this._create('pnn_create_resize2d_nhwc_f32', [], (mod, _, out) =>
      mod._pnnw_create_resize2d_nhwc_f32(channels, mode, coordinates, nearest, out));
  }

  // The input shape [N, H, W, channels] and output size [OH, OW], each read once.
  _sizes(method, inputShape, outputSize) {
    const s = windowShape(this, method, inputShape, this.channels);
    const size = dims(s.who, 'output size', outputSize);
    checkShape(s.who, 'output size', size, 2, 2);
    s.out = [s.shape[0], size[0], size[1], this.channels];
    return s;
  }

  /** [N, OH, OW, channels] for an input [N, H, W, channels] and outputSize [OH, OW]. */
  outputShape(inputShape, outputSize) {
    return this._guard('outputShape', () => this._sizes('outputShape', inputShape, outputSize).out);
  }

  /** input: [N, H, W, channels]; outputSize: [OH, OW]. Fills `output` when given. */
  run(input, inputShape, outputSize, output) {
    return this._guard('run', () => {
      const s = this._sizes('run', inputShape, outputSize);
      const [n, h, w] = s.shape;
      return this._runSingleReshaped(s, input, output, {
        reshapeName: 'pnn_reshape_resize2d_nhwc_f32', args: [n, h, w, s.out[1], s.out[2]],
        context: () => ` for input shape ${shapeString(s.shape)} to ${s.out[1]}x${s.out[2]}`,
        outShape: s.out, setupName: 'pnn_setup_resize2d_nhwc_f32',
      });
    });
  }
}
