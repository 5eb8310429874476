// Emscripten 3.1.6's loader fetches the .wasm through fetch() on Node 20, which rejects a file
// path ("Failed to parse URL"); handing it the bytes (wasmBinary) skips that path. The .wasm sits
// next to the .js program with the same base name.
Module['wasmBinary'] = require('fs').readFileSync(__filename.replace(/\.js$/, '.wasm'));
