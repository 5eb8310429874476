#!/usr/bin/env node
// The JS benchmarks in Node: every shape of bench/suite.json for each portnn variant, and, next to
// portnn simd on the same shapes in the same run, TF.js's WebAssembly backend and ONNX Runtime
// Web. Progress per shape, then one table per section (bench/js/table.mjs says what each figure
// includes), and the records appended to a JSON results file.
//
//   node bench/js/node.mjs [--suite FILE] [--models DIR] [--variants simd,scalar,simd-threads]
//                          [--threads N] [--no-peers] [--filter REGEX] [--json FILE] [--quick]
//                          [--no-wait-idle] [--model]
//
//   --models DIR   the ONNX models and weights of bench/models/make_models.py (default
//                  build/bench-models, relative to the repository root)
//   --threads N    pool size of the simd-threads runs (default 2); they also run with 1 thread
//   --quick        shorter timing (for smoke tests; figures are noisier)
//   --no-wait-idle the thread speed-up runs do not wait for idle CPUs (bench/js/idle.mjs; by
//                  default each shape waits up to 20 s, all shapes 2 min in all)
//   --model        the model section instead of the suite: MobileNet v2 on portnn simd, TF.js
//                  and ONNX Runtime Web, and on portnn simd-threads with 1 and N threads
//                  (bench/js/model.mjs; --variants does not apply)
// Needs wasm/dist (scripts/build-wasm.sh) and the npm dev dependencies (npm ci).
import path from 'node:path';
import process from 'node:process';

import { parseOptions } from './args.mjs';
import * as env from './env.mjs';
import { idleWaiter } from './idle.mjs';
import { formatModelTable, modelBenchmark } from './model.mjs';
import { plan, parseVariants } from './plan.mjs';
import { appendRecords } from './results.mjs';
import { DEFAULT_TIMING, runBenchmarks } from './runner.mjs';
import { filterShapes, loadSuite } from './suite.mjs';
import { formatTables } from './table.mjs';

function usage(code) {
  console.log('usage: node bench/js/node.mjs [--suite FILE] [--models DIR] [--variants LIST] [--threads N]\n' +
              '                              [--no-peers] [--filter REGEX] [--json FILE] [--quick] [--no-wait-idle] [--model]');
  process.exit(code);
}

const opts = parseOptions('node.mjs', process.argv.slice(2), {
  suite: 'bench/suite.json', models: 'build/bench-models', variants: null, threads: 2, peers: true,
  filter: '', json: null, quick: false, waitIdle: true, model: false,
}, {
  '--suite': ['suite', String], '--models': ['models', String], '--variants': ['variants', String],
  '--threads': ['threads', Number], '--no-peers': ['peers', false], '--filter': ['filter', String],
  '--json': ['json', String], '--quick': ['quick', true], '--no-wait-idle': ['waitIdle', false],
  '--model': ['model', true],
}, usage);

// Paths on the command line are relative to the working directory; the modules take them
// relative to the repository root.
const root = path.resolve(new URL(env.REPO_ROOT).pathname);
const rel = (p) => path.relative(root, path.resolve(p)).split(path.sep).join('/');

const model = opts.model
  ? modelBenchmark({ part: 'node', threads: opts.threads, modelsDir: rel(opts.models), env, quick: opts.quick })
  : null;
const shapes = filterShapes(model ? model.shapes : await loadSuite(rel(opts.suite)), opts.filter);
if (shapes.length === 0) {
  console.error('node.mjs: no shape matches');
  process.exit(2);
}
const groups = model ? model.groups
  : plan({ variants: parseVariants(opts.variants), threads: opts.threads, peers: opts.peers, modelsDir: rel(opts.models), env });
const timing = opts.quick ? { ...DEFAULT_TIMING, budgetMs: 60, minSamples: 3, warmupMs: 10 } : DEFAULT_TIMING;
const info = await env.engineInfo();
const total = shapes.length * groups.reduce((n, g) => n + g.length, 0);
console.log(`node: ${info.engine} on ${info.cpu} (${info.cores} logical CPUs); ${shapes.length} shape(s), ` +
            `${total} measurement(s), ${groups.map((g) => g.map((i) => i.label).join(' + ')).join(' | ')}`);

const started = Date.now();
const width = String(total).length;
let line = [];
const result = await runBenchmarks(groups, shapes, {
  target: 'node',
  modelsDir: rel(opts.models),
  timing,
  ...(model ? model.options : {}),
  waitIdle: opts.waitIdle ? idleWaiter() : null,
  onLog: (m) => { if (/^(FAILED|WARNING|waited)/.test(m)) console.log(`  ${m}`); },
  onProgress: ({ done, shape, impl, record }) => {
    const r = record;
    line.push(r ? `${impl.label} ${r.median_us.toFixed(1)} us${r.run_us !== undefined ? ` (run() ${r.run_us.toFixed(1)})` : ''}`
                : `${impl.label} FAILED`);
    const group = groups.find((g) => g.includes(impl));
    if (impl === group[group.length - 1]) {
      const secs = ((Date.now() - started) / 1000).toFixed(0);
      console.log(`[${String(done).padStart(width)}/${total} ${secs.padStart(4)}s] node ${`${shape.section}/${shape.name}`.padEnd(30)} ${line.join(', ')}`);
      line = [];
    }
  },
});

const includes = result.opened.map((o) => `  ${o.label}: ${o.includes}; ${JSON.stringify(o.info)}`);
console.log('\n' + (model ? formatModelTable : formatTables)(result.records, {
  title: `== node: ${info.engine}, ${info.cpu}, ${info.cores} logical CPUs (${((Date.now() - started) / 1000).toFixed(0)} s)`,
  includes: ['what each figure includes:', ...includes],
}));

if (opts.json) {
  const n = appendRecords(opts.json, result.records);
  console.log(`\nappended ${result.records.length} node records to ${opts.json} (${n} records in all)`);
}
if (result.failures.length) {
  console.error(`\n${result.failures.length} failure(s):`);
  for (const f of result.failures) console.error(`  ${f}`);
}
// Idle portnn workers are unref'd, but ONNX Runtime or TF.js may keep handles: exit explicitly.
process.exit(result.failures.length ? 1 : 0);
