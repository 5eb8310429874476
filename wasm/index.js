// portnn for WebAssembly: init() loads the best (or the requested) build, then the operator
// classes run on it. See README.md and index.d.ts.
export { init, info, terminate, PortnnError, VARIANTS } from './src/runtime.js';
export { detectFeatures } from './src/features.js';
export { BatchMatMul, Convolution2D, FullyConnected } from './src/op-linear.js';
export { AveragePooling2D, GlobalAveragePooling, MaxPooling2D } from './src/op-pooling.js';
export { Binary, Softmax, Unary } from './src/op-elementwise.js';
export { Graph } from './src/graph.js';
export { Deconvolution2D, Resize2D } from './src/op-resample.js';
export {
  Concatenate, DepthToSpace, Pad, Slice, SpaceToDepth, Split, Transpose,
} from './src/op-data.js';
export { BatchNorm, LayerNorm, PRelu, Reduce, RmsNorm } from './src/op-normalization.js';
