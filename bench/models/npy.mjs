// The .npy reader and writer live in the npm package (wasm/src/npy.js; portnn-run uses them).
export { decodeNpy, encodeNpy } from '../../wasm/src/npy.js';
