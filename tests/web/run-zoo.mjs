#!/usr/bin/env node
// One model of the public zoo (bench/models/export_zoo.py) in Chromium, through loadOnnx
// ('portnn/onnx' from protobufjs's browser build, as a page without a bundler loads it), on every
// WebAssembly variant: scalar, simd and simd-threads with 2 threads (cross-origin-isolated page).
// Each check opens bench/web/zoo.html (the benchmark's page, so the test covers what the Chromium
// rows of the `models` benchmark run) in a fresh browser with one timed run and checks its output
// against onnxruntime's reference (reference.mjs's .npy, onnxruntime-node on the same input):
// max |portnn - ort| / max |ort| <= 1e-4.
//
//   node tests/web/run-zoo.mjs [--models DIR] [--model NAME]     (default build/models, squeezenet1_1)
// Exits 1 on a failure or mismatch, 2 when the model or its references are missing
// (scripts/test-web.sh exports the one model and writes its references first).
import fs from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

import { runZooPage } from '../../bench/models/chromium.mjs';
import { startServer } from './server.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const TOLERANCE = 1e-4;
const args = process.argv.slice(2);
let dir = process.env.PORTNN_ZOO_DIR || path.join(ROOT, 'build', 'models');
let model = 'squeezenet1_1';
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--models') dir = args[++i];
  else if (args[i] === '--model') model = args[++i];
  else {
    console.error('usage: node tests/web/run-zoo.mjs [--models DIR] [--model NAME]');
    process.exit(2);
  }
}
dir = path.resolve(dir);
const indexFile = path.join(dir, 'index.json');
const entry = fs.existsSync(indexFile) ? JSON.parse(fs.readFileSync(indexFile, 'utf8')).models[model] : null;
const missing = !entry ? [`${model} in ${indexFile}`]
  : [entry.file, ...Object.keys(entry.inputs).concat(Object.keys(entry.outputs)).map((t) => `${model}.${t}.npy`)]
    .filter((f) => !fs.existsSync(path.join(dir, f)));
if (missing.length) {
  console.error(`zoo-chromium: missing ${missing.join(', ')} (bench/models/export_zoo.py --only ${model}, then bench/models/reference.mjs --only ${model})`);
  process.exit(2);
}

const CHECKS = [
  { variant: 'scalar', threads: 1 },
  { variant: 'simd', threads: 1 },
  { variant: 'simd-threads', threads: 2 },
];

const server = await startServer({ root: ROOT, isolated: true, mounts: { '/zoo/': dir } });
let passed = 0;
let failed = 0;
try {
  for (const c of CHECKS) {
    const t0 = Date.now();
    const q = new URLSearchParams({ model, impl: 'portnn', variant: c.variant, threads: String(c.threads), runs: '1', models: 'zoo/' });
    const { result, errors } = await runZooPage(`${server.url}bench/web/zoo.html?${q}`, { timeoutMs: 5 * 60000 });
    const r = result && result.record;
    const problems = [];
    if (!r) {
      problems.push(result && result.error ? result.error.split('\n')[0] : 'the page did not finish', ...errors.slice(0, 10));
    } else {
      if (r.variant !== c.variant) problems.push(`ran variant ${r.variant}, expected ${c.variant}`);
      if (!(typeof r.disagreement === 'number' && r.disagreement <= TOLERANCE)) {
        problems.push(`max |portnn - ort| / max |ort| = ${r.disagreement} (tolerance ${TOLERANCE})`);
      }
      if (c.variant !== 'scalar' && !/wasmsimd/.test(r.version)) problems.push(`ISA '${r.version}', expected wasmsimd`);
    }
    const seconds = ((Date.now() - t0) / 1000).toFixed(1);
    const what = `zoo ${model} via loadOnnx, ${c.variant} ${c.threads}T`;
    if (problems.length === 0) {
      passed++;
      console.log(`PASS chromium ${what}: max rel diff ${r.disagreement.toExponential(2)} vs onnxruntime, ` +
                  `load ${r.load_ms.toFixed(0)} ms, run ${(r.median_us / 1e3).toFixed(1)} ms (${r.version}) [${seconds} s]`);
    } else {
      failed++;
      console.log(`FAIL chromium ${what} [${seconds} s]`);
      for (const p of problems) console.log(`    ${p}`);
    }
  }
} finally {
  await server.close();
}
console.log(`zoo-chromium: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed === CHECKS.length ? 0 : 1);
