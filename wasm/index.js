// portnn for WebAssembly: init() loads the best (or the requested) build, then the operator
// classes run on it. See README.md and index.d.ts.
export { init, info, terminate, PortnnError, VARIANTS } from './src/runtime.js';
export { detectFeatures } from './src/features.js';
export {
  Convolution2D, FullyConnected, BatchMatMul, MaxPooling2D, AveragePooling2D,
  GlobalAveragePooling, Unary, Binary, Softmax,
} from './src/operators.js';
