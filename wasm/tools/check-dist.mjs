// The package's prepack check: `npm pack` / `npm publish` stop here unless dist/ holds every
// file the loader refers to (three .wasm files with the WebAssembly magic, their glue modules,
// the threads' worker script and its text as a module; the importer modules and the ONNX schema), so that a package is never packed before scripts/build-wasm.sh ran.
// Usage: node tools/check-dist.mjs [dir]   (default: dist/; exit 1 and the problems on failure)
import { readFileSync, statSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

import { FILE_NAMES, ONNX_SCHEMA, WORKER_SOURCE } from '../src/runtime.js';

const dist = process.argv[2] ? pathToFileURL(`${process.argv[2]}/`)
                             : new URL('../dist/', import.meta.url);
const problems = [];
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
    const head = readFileSync(url).subarray(0, 4);
    if (head.toString('latin1') !== '\0asm') problems.push(`${name} is not a WebAssembly binary`);
  }
}
if (problems.length > 0) {
  console.error(`portnn: cannot pack: ${problems.join('; ')} in ${dist.pathname}; run scripts/build-wasm.sh at the repository root first`);
  process.exit(1);
}
console.log(`portnn: dist/ has all ${names.length} files`);
