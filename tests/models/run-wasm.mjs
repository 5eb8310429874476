// The model zoo through loadOnnx ('portnn/onnx') in Node, on every WebAssembly variant: each
// model of build/models (bench/models/export_zoo.py; tests/models/run.sh exports them and writes
// ONNX Runtime's references) is loaded, run once on its fixed-seed input, and compared with the
// reference: max |portnn - ort| / max |ort| <= 1e-4. The threaded builds run with 2 threads.
//
//   node tests/models/run-wasm.mjs [--models DIR] [MODEL...]
// Exits 1 on any mismatch or failure, 2 when the zoo has not been exported.
import fs from 'node:fs';
import path from 'node:path';

import { VARIANTS, detectFeatures, init, terminate } from '../../wasm/index.js';
import { loadOnnx } from '../../wasm/src/onnx.js';
import { isThreaded } from '../../wasm/src/runtime.js';
import { decodeNpy } from '../../bench/models/npy.mjs';
import { disagreement } from '../../bench/models/reference.mjs';

const TOLERANCE = 1e-4;
const args = process.argv.slice(2);
let dir = 'build/models';
const only = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--models') dir = args[++i];
  else only.push(args[i]);
}
const indexFile = path.join(dir, 'index.json');
if (!fs.existsSync(indexFile)) {
  console.error(`models-wasm: ${indexFile} missing: run tests/models/run.sh (or bench/models/export_zoo.py) first`);
  process.exit(2);
}
const index = JSON.parse(fs.readFileSync(indexFile, 'utf8')).models;
const names = Object.keys(index).filter((n) => only.length === 0 || only.includes(n));
const read = (file) => decodeNpy(new Uint8Array(fs.readFileSync(file)));

let failed = 0;
console.log(`${'model'.padEnd(30)} ${'variant'.padEnd(13)} result`);
// The relaxed-SIMD builds need an engine with relaxed SIMD (Node 20: --experimental-wasm-relaxed-simd,
// which scripts/test-wasm-node.sh passes); without it they are reported as skipped, not passed.
const { relaxedSimd } = await detectFeatures();
for (const variant of VARIANTS) {
  if (variant.startsWith('relaxed') && !relaxedSimd) {
    console.log(`${'(every model)'.padEnd(30)} ${variant.padEnd(13)} skipped: this engine has no relaxed SIMD`);
    continue;
  }
  const threads = isThreaded(variant) ? 2 : 1;
  await init({ variant, threads });
  for (const name of names) {
    const m = index[name];
    const label = `${name.padEnd(30)} ${variant.padEnd(13)}`;
    let runtime = null;
    try {
      const t0 = performance.now();
      runtime = await loadOnnx(fs.readFileSync(path.join(dir, m.file)));
      const loadMs = performance.now() - t0;
      const inputs = {};
      for (const input of Object.keys(m.inputs)) inputs[input] = read(path.join(dir, `${name}.${input}.npy`)).data;
      const t1 = performance.now();
      const outputs = runtime.run(inputs);
      const runMs = performance.now() - t1;
      let worst = 0;
      for (const output of m.key.outputs) {
        const want = read(path.join(dir, `${name}.${output}.npy`)).data;
        const got = outputs[output];
        if (!got || got.length !== want.length) throw new Error(`output ${output}: ${got?.length} values, reference ${want.length}`);
        worst = Math.max(worst, disagreement(got, want));
      }
      const ok = worst <= TOLERANCE;  // NaN fails
      if (!ok) failed++;
      console.log(`${label} ${ok ? 'ok' : 'MISMATCH'} (max rel diff ${worst.toExponential(2)}, load ${loadMs.toFixed(0)} ms, run ${runMs.toFixed(0)} ms)`);
    } catch (e) {
      failed++;
      console.log(`${label} FAILED: ${e.message}`);
    } finally {
      runtime?.dispose();
    }
  }
  await terminate();
}
console.log(failed === 0 ? 'models-wasm: all passed' : `models-wasm: ${failed} FAILED`);
process.exit(failed === 0 ? 0 : 1);
