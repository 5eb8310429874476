// The pooling operators: MaxPooling2D (with `argmax: true` also the indices of the maxima, C's
// argmax pooling), AveragePooling2D (2-D windows, window.js) and GlobalAveragePooling. The C
// library judges the window and reports the output shape.

import {
  boolean, captureInput, checkOutputLength, checkShape, dims, fail, integer, outputArgument,
  outputClamp, params, shapeString,
} from './check.js';
import { Operator } from './operator-base.js';
import { describeValue } from './runtime.js';
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
    const argmax = isMax && boolean(who, 'argmax', p.argmax);
    this.channels = channels;
    this._kind = argmax ? 'argmax' : isMax ? 'max' : 'average';
    if (isMax) this.argmax = argmax;
    this._create(`pnn_create_${this._kind}_pooling2d_nhwc_f32`, [], (mod, _, out) =>
      mod._pnnw_create_pooling2d_nhwc_f32(
        argmax ? 2 : isMax ? 1 : 0, ...pad, ph, pw, sh, sw, dh, dw, channels, min, max, flags, out));
  }

  _shape(method, inputShape) {
    return windowShape(this, method, inputShape, this.channels);
  }

  _reshapeFor(rt, s) {
    const name = `pnn_reshape_${this._kind}_pooling2d_nhwc_f32`;
    return reshapeWindow(this, rt, s, this.channels, name, rt.mod[`_${name}`]);
  }

  /** Output shape [N, OH, OW, channels] for an input shape [N, H, W, channels]. */
  outputShape(inputShape) { return windowOutputShape(this, inputShape); }

  /** input: Float32Array of shape [N, H, W, channels]. */
  run(input, shape, output) {
    if (this._kind === 'argmax') return this.runWithIndices(input, shape, output).output;
    const name = `pnn_setup_${this._kind}_pooling2d_nhwc_f32`;
    return windowRun(this, input, shape, output, name, (mod) => mod[`_${name}`]);
  }
}

/**
 * 2-D max pooling, NHWC. With `argmax: true`, runWithIndices() also gives, per output element,
 * the index iy * W + ix of the input pixel the maximum came from in its image and channel
 * (the first maximum in row-major window order; include/portnn.h, argmax pooling).
 */
export class MaxPooling2D extends Pooling2D {
  constructor(parameters) { super('MaxPooling2D', true, parameters); }

  /**
   * input: Float32Array of shape [N, H, W, channels]; returns { output, indices } (a
   * Float32Array and a Uint32Array of the output's shape), filling `output` and `indices` when
   * given. Needs `argmax: true`.
   */
  runWithIndices(input, shape, output, indices) {
    return this._guard('runWithIndices', () => {
      const who = 'MaxPooling2D.runWithIndices';
      if (this._kind !== 'argmax') fail(who, 'the operator was created without argmax: true');
      const s = this._shape('runWithIndices', shape);
      const rt = this._resume('runWithIndices');
      const data = captureInput(who, 'input', input, s.shape, s.count);
      const out = outputArgument(who, output);
      if (indices !== undefined && indices !== null && !(indices instanceof Uint32Array)) {
        fail(who, `indices must be a Uint32Array, got ${describeValue(indices)}`, TypeError);
      }
      const count = this._reshapeFor(rt, s).reduce((a, b) => a * b, 1);
      checkOutputLength(who, out, count);
      if (indices && indices.length !== count) {
        fail(who, `indices has ${indices.length} elements, expected ${count}`);
      }
      const ptrs = this._buffers('runWithIndices',
                                 [['input', s.count], ['output', count], ['indices', count]]);
      this._setup(ptrs, 'pnn_setup_argmax_pooling2d_nhwc_f32', (handle) =>
        rt.mod._pnn_setup_argmax_pooling2d_nhwc_f32(handle, ptrs[0], ptrs[1], ptrs[2]));
      const values = this._execute([[ptrs[0], data, s.count]], ptrs[1], count, out);
      const view = rt.u32(ptrs[2], count);  // taken after _execute: memory may have grown
      if (indices) {
        indices.set(view);
        return { output: values, indices };
      }
      return { output: values, indices: view.slice() };
    });
  }
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
