// What the 2-D window operators (Convolution2D, MaxPooling2D, AveragePooling2D) share: the
// paddings, the [N, H, W, C] input shape, and the output shape as the C reshape reports it.
// The window arithmetic itself (output size, SAME padding, what C rejects) stays in C.

import { boolean, checkShape, dims, fail, integer, shapeString } from './check.js';
import { SCRATCH_OUT } from './operator-base.js';

const FLAG_TENSORFLOW_SAME_PADDING = 0x1;
const FLAG_SAME_LOWER_PADDING = 0x40;
const FLAG_CEIL_MODE = 0x80;

/**
 * The padding-mode options, each read once: tensorflowSamePadding (SAME_UPPER),
 * sameLowerPadding (ONNX SAME_LOWER) and, for pooling (`ceil`), ceilMode. C rejects the
 * combinations it does not take (both SAME modes; SAME with explicit paddings or ceil mode).
 */
export function windowFlags(who, p, ceil) {
  return (boolean(who, 'tensorflowSamePadding', p.tensorflowSamePadding) ? FLAG_TENSORFLOW_SAME_PADDING : 0) |
         (boolean(who, 'sameLowerPadding', p.sameLowerPadding) ? FLAG_SAME_LOWER_PADDING : 0) |
         (ceil && boolean(who, 'ceilMode', p.ceilMode) ? FLAG_CEIL_MODE : 0);
}

/** The four paddings, each read once (default 0). */
export function padding2d(who, p) {
  return [
    integer(who, 'paddingTop', p.paddingTop, 0),
    integer(who, 'paddingRight', p.paddingRight, 0),
    integer(who, 'paddingBottom', p.paddingBottom, 0),
    integer(who, 'paddingLeft', p.paddingLeft, 0),
  ];
}

/**
 * The window's size (`noun`: 'kernel' or 'pooling'), strides and dilations, each read once:
 * [height, width, strideHeight, strideWidth, dilationHeight, dilationWidth].
 */
export function window2d(who, p, noun) {
  return [
    integer(who, `${noun}Height`, p[`${noun}Height`]),
    integer(who, `${noun}Width`, p[`${noun}Width`]),
    integer(who, 'strideHeight', p.strideHeight, 1),
    integer(who, 'strideWidth', p.strideWidth, 1),
    integer(who, 'dilationHeight', p.dilationHeight, 1),
    integer(who, 'dilationWidth', p.dilationWidth, 1),
  ];
}

/** The input shape [N, H, W, channels], read once: { who, shape, count }. */
export function windowShape(op, method, inputShape, channels) {
  const who = `${op._name}.${method}`;
  const shape = dims(who, 'input shape', inputShape);
  const count = checkShape(who, 'input shape', shape, 4, 4);
  if (shape[3] !== channels) {
    fail(who, `input shape ${shapeString(shape)} has ${shape[3]} channels, expected ${channels}`);
  }
  return { who, shape, count };
}

/**
 * Reshapes `op` for a checked shape with `reshape(op, n, h, w, ohOut, owOut, pool)`; returns
 * the output shape [N, OH, OW, outChannels].
 */
export function reshapeWindow(op, rt, s, outChannels, cName, reshape) {
  const [n, h, w] = s.shape;
  return op._reshape(`${n},${h},${w}`, cName, () => ` for input shape ${shapeString(s.shape)}`,
    (handle) => reshape(handle, n, h, w, rt.scratch + SCRATCH_OUT, rt.scratch + SCRATCH_OUT + 4,
                  rt.pool),
    () => {
      const [oh, ow] = rt.u32(rt.scratch + SCRATCH_OUT, 2);
      return [n, oh, ow, outChannels];
    });
}

/** The window operators' outputShape(): reshapes for `inputShape` and reports the result. */
export function windowOutputShape(op, inputShape) {
  return op._guard('outputShape', () => {
    const s = op._shape('outputShape', inputShape);
    return op._reshapeFor(op._resume('outputShape'), s).slice();
  });
}

/** The window operators' run(). */
export function windowRun(op, input, inputShape, output, setupName, setup) {
  return op._guard('run', () => {
    const s = op._shape('run', inputShape);
    const rt = op._resume('run');
    return op._runSingle(s, input, output, () => op._reshapeFor(rt, s), setupName, setup(rt.mod));
  });
}

/**
 * Gives `Class` (an Operator with inputChannels and outputChannels, like Convolution2D and
 * Deconvolution2D) the window operators' input-shape check, reshape, outputShape() and run()
 * over the C functions pnn_reshape_<cName> and pnn_setup_<cName>.
 */
export function installWindowMethods(Class, cName) {
  const reshapeName = `pnn_reshape_${cName}`;
  const setupName = `pnn_setup_${cName}`;
  Object.assign(Class.prototype, {
    _shape(method, inputShape) { return windowShape(this, method, inputShape, this.inputChannels); },
    _reshapeFor(rt, s) {
      return reshapeWindow(this, rt, s, this.outputChannels, reshapeName, rt.mod[`_${reshapeName}`]);
    },
    /** Output shape [N, OH, OW, outputChannels] for an input shape [N, H, W, inputChannels]. */
    outputShape(inputShape) { return windowOutputShape(this, inputShape); },
    /** input: Float32Array of shape [N, H, W, inputChannels]. */
    run(input, shape, output) {
      return windowRun(this, input, shape, output, setupName, (mod) => mod[`_${setupName}`]);
    },
  });
}
