// The package's prepack check: `npm pack` / `npm publish` stop here unless dist/ holds every
// file the loader refers to (five .wasm files with the WebAssembly magic, their glue modules,
// the threads' worker script and its text as a module; the importer modules and the ONNX schema), so that a package is never packed before scripts/build-wasm.sh ran.
// Every .wasm must validate, the relaxed-SIMD ones with relaxed SIMD switched on (so a relaxed
// build whose prototype opcodes were not re-encoded by tools/relaxed-opcodes.mjs is caught).
// Usage: node tools/check-dist.mjs [dir]   (default: dist/; exit 1 and the problems on failure)
import { readFileSync, statSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';

import { FILE_NAMES, ONNX_SCHEMA, WORKER_SOURCE } from '../src/runtime.js';

const dist = process.argv[2] ? pathToFileURL(`${process.argv[2]}/`)
                             : new URL('../dist/', import.meta.url);
const problems = [];
// Node 20 validates relaxed SIMD only behind this flag.
setFlagsFromString('--experimental-wasm-relaxed-simd');
const names = [...FILE_NAMES, WORKER_SOURCE, ONNX_SCHEMA];
for (const name of names) {
  const url = new URL(name, dist);
  let size = 0;
  try {
    size = statSync(url).size;
  } catch {
    problems.push(`${name} is missing`);
    continue;
  }
  if (size === 0) problems.push(`${name} is empty`);
  if (name.endsWith('.wasm')) {
    const bytes = readFileSync(url);
    if (bytes.subarray(0, 4).toString('latin1') !== '\0asm') {
      problems.push(`${name} is not a WebAssembly binary`);
    } else if (!WebAssembly.validate(bytes)) {
      problems.push(`${name} does not validate`);
    }
  }
}
if (problems.length > 0) {
  console.error(`portnn: cannot pack: ${problems.join('; ')} in ${dist.pathname}; run scripts/build-wasm.sh at the repository root first`);
  process.exit(1);
}
console.log(`portnn: dist/ has all ${names.length} files`);
