// The pooling operators: MaxPooling2D, AveragePooling2D (2-D windows, window.js) and
// GlobalAveragePooling. The C library judges the window and reports the output shape.

import {
  boolean, checkShape, dims, fail, integer, outputClamp, params, shapeString,
} from './check.js';
import { Operator } from './operator-base.js';
import {
  padding2d, reshapeWindow, window2d, windowFlags, windowOutputShape,
  windowRun, windowShape,
} from './op-window.js';

const FLAG_COUNT_INCLUDE_PAD = 0x10;

/** Shared by max and average pooling. */
class Pooling2D extends Operator {
  constructor(name, isMax, parameters) {
    super(name);
    const who = name;
    const p = params(who, parameters);
    const pad = padding2d(who, p);
    const [ph, pw, sh, sw, dh, dw] = window2d(who, p, 'pooling');
    const channels = integer(who, 'channels', p.channels);
    const [min, max] = outputClamp(who, p);
    let flags = windowFlags(who, p, true);
    if (!isMax && boolean(who, 'countIncludePad', p.countIncludePad)) flags |= FLAG_COUNT_INCLUDE_PAD;
    this.channels = channels;
    this._kind = isMax ? 'max' : 'average';
    this._create(`pnn_create_${this._kind}_pooling2d_nhwc_f32`, [], (mod, _, out) =>
      mod._pnnw_create_pooling2d_nhwc_f32(
        isMax ? 1 : 0, ...pad, ph, pw, sh, sw, dh, dw, channels, min, max, flags, out));
  }

  _shape(method, inputShape) {
    return windowShape(this, method, inputShape, this.channels);
  }

  _reshapeFor(rt, s) {
    const reshape = this._kind === 'max' ? rt.mod._pnn_reshape_max_pooling2d_nhwc_f32
                                         : rt.mod._pnn_reshape_average_pooling2d_nhwc_f32;
    return reshapeWindow(this, rt, s, this.channels, `pnn_reshape_${this._kind}_pooling2d_nhwc_f32`,
                         reshape);
  }

  /** Output shape [N, OH, OW, channels] for an input shape [N, H, W, channels]. */
  outputShape(inputShape) { return windowOutputShape(this, inputShape); }

  /** input: Float32Array of shape [N, H, W, channels]. */
  run(input, shape, output) {
    const isMax = this._kind === 'max';
    return windowRun(this, input, shape, output, `pnn_setup_${this._kind}_pooling2d_nhwc_f32`,
                     (mod) => (isMax ? mod._pnn_setup_max_pooling2d_nhwc_f32
                                     : mod._pnn_setup_average_pooling2d_nhwc_f32));
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
    const channels = integer(who, 'channels', p.channels);
    const [min, max] = outputClamp(who, p);
    this.channels = channels;
    this._create('pnn_create_global_average_pooling_nwc_f32', [], (mod, _, out) =>
      mod._pnn_create_global_average_pooling_nwc_f32(channels, min, max, 0, out));
  }

  run(input, inputShape, output) {
    return this._guard('run', () => {
      const who = 'GlobalAveragePooling.run';
      const shape = dims(who, 'input shape', inputShape);
      const count = checkShape(who, 'input shape', shape, 3, 4);
      if (shape[shape.length - 1] !== this.channels) {
        fail(who, `input shape ${shapeString(shape)} has ${shape[shape.length - 1]} channels, expected ${this.channels}`);
      }
      const batch = shape[0];
      return this._runSingleReshaped({ who, shape, count }, input, output, {
        reshapeName: 'pnn_reshape_global_average_pooling_nwc_f32',
        args: [batch, count / (batch * this.channels)],
        context: () => ` for input shape ${shapeString(shape)}`, outShape: [batch, this.channels],
        setupName: 'pnn_setup_global_average_pooling_nwc_f32',
      });
    });
  }
}
