// ONNX Runtime on the model zoo (export_zoo.py's build/models): the reference outputs the ONNX
// importer's tests compare against, and the figures of the `models` benchmark.
//
//   node bench/models/reference.mjs [--models DIR] [--only NAME,...] [--force]
//   node bench/models/reference.mjs --time [--portnn-run PATH] [--impls portnn,portnn-wasm,ort-node,ort-web]
//          [--threads 1,2] [--runs N] [--quick] [--json FILE] [--models DIR] [--only NAME,...]
//          [--filter REGEX] [--rounds R]
//
// References (always, before timing): for each model of DIR/index.json, its inputs and outputs
// as .npy files next to it, named <model>.<tensor name>.npy (build/models/mobilenet_v2.input.npy,
// mobilenet_v2.output.npy, deeplabv3_mobilenet_v3_large.out.npy), float32, the model's NCHW
// shapes. The outputs come from onnxruntime-node (native ONNX Runtime, CPU, MLAS kernels) with
// one intra-op and one inter-op thread, sequential execution and graph optimization level
// 'all'. A model whose .npy files are all newer than its .onnx is skipped (--force: redo).
//
// The input generator (zooInput below; any implementation can reproduce it bit for bit): a
// 32-bit linear congruential generator x <- 1664525 * x + 1013904223 (mod 2^32), seeded with the
// FNV-1a 32-bit hash of "<model>.<input name>"; element i of the input in C (NCHW) order is
// (x_(i+1) >>> 8) / 2^23 - 1, where x_(i+1) is the generator's (i+1)-th state: uniform in
// [-1, 1) in steps of 2^-23, every value exact in float32.
//
// Timing (--time): per model, each implementation and thread count in a process of its own
// (ONNX Runtime Web fixes its thread count when its module starts, and a process of its own
// gives each its own peak memory):
//   ort-node  onnxruntime-node, intra-op threads 1 and 2 (target "native": it is native code);
//   ort-web   onnxruntime-web's WebAssembly build in Node (SIMD, threads over worker_threads),
//             numThreads 1 and 2 (target "node");
//   portnn    with --portnn-run PATH: portnn natively, the `portnn-run` tool on the same files
//             (--input, --reference, --threads, --iterations; its warm-up), which writes the
//             record itself (--json; target "native", variant = the level that ran);
//   portnn-wasm  portnn's WebAssembly build in Node: loadOnnx ('portnn/onnx', wasm/dist from
//             scripts/build-wasm.sh), simd on 1 thread and simd-threads on more, the same warm-up
//             and runs; the timed call is OnnxRuntime.run(inputs, outputs) with the output arrays
//             reused (records: impl "portnn", target "node"); its load time includes init() (the
//             module's start), as ort-web's first session includes its module's.
// The web implementations' measurement is shared with the Chromium rows (measure.mjs;
// bench/models/chromium.mjs runs them in headless Chromium, target "chromium").
// --rounds R (default 1): the configurations of a model take turns R times, each in a fresh
// process, and the record is the median of the R medians (measure.mjs combineRounds()).
// A child reads the model file, then times InferenceSession.create from the bytes in memory
// (load_ms; for ort-web the first session also starts the WebAssembly module, as a page's
// would), times the first run on its own (first_run_ms), warms up (at least 3 runs and 0.5 s:
// ort-web's code tiers up over its first runs), then times --runs runs (default 10, --quick 3)
// one by one and reports their median. The timed call is session.run(feeds, fetches) with the
// input tensor and a pre-allocated output tensor reused across runs (onnxruntime-node writes
// the result into it; onnxruntime-web leaves it in module memory), the cheapest call of each.
// The output of a plain run is checked against the reference: disagreement = max |out - ref| /
// max |ref| over every output (a run above 1e-4 makes the exit status 1).
// Peak memory is the child's peak resident set (process.resourceUsage().maxRSS: Node itself,
// the runtime, the model), reported with the resident set before the runtime was imported.
// Multi-thread runs first wait (bounded) for idle CPUs (bench/js/idle.mjs).
//
// Prints a progress line per run and a table; appends records to --json (default
// build/bench-results.json; bench/js/results.mjs merges them) in the bench's format:
//   {"target": "native"|"node", "impl": "ort-node"|"ort-web", "variant": "cpu"|"simd-threaded",
//    "threads", "shape": "models/<model>", "section": "models", "median_us", "gflops": null,
//    "load_ms", "first_run_ms", "runs", "disagreement", "peak_rss_bytes", "base_rss_bytes", "idle",
//    "version", "includes"}
// The `models` section of scripts/bench.sh runs this; portnn's rows come from the importer.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

import { parseOptions } from '../js/args.mjs';
import { idleWaiter } from '../js/idle.mjs';
import { appendRecords } from '../js/results.mjs';
import { combineRounds, disagreement, measure, ortWebImpl, portnnImpl } from './measure.mjs';
import { decodeNpy, encodeNpy } from './npy.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..', '..');
const IMPLS = {
  'ort-node': { target: 'native', variant: 'cpu' },
  'ort-web': { target: 'node', variant: 'simd-threaded' },
  portnn: { target: 'native' },  // portnn-run --json; the variant is the level that ran
  // loadOnnx ('portnn/onnx') in Node: simd on 1 thread, simd-threads on more (the variant is set
  // by the child from the thread count).
  'portnn-wasm': { target: 'node' },
};

function usage(code) {
  const text = fs.readFileSync(fileURLToPath(import.meta.url), 'utf8')
    .split('\n').filter((l) => l.startsWith('//')).slice(0, 7).map((l) => l.slice(3)).join('\n');
  (code === 0 ? console.log : console.error)(`Usage:\n${text}`);
  process.exit(code);
}

/** FNV-1a, 32 bits, of a string's UTF-16 code units (ASCII names: their bytes). */
function fnv1a(text) {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/** The zoo's input for tensor `input` of `model`: see the header. */
export function zooInput(model, input, count) {
  const out = new Float32Array(count);
  let x = fnv1a(`${model}.${input}`);
  for (let i = 0; i < count; i++) {
    x = (Math.imul(1664525, x) + 1013904223) >>> 0;
    out[i] = (x >>> 8) / 8388608 - 1;
  }
  return out;
}

const npyPath = (dir, model, tensor) => path.join(dir, `${model}.${tensor}.npy`);
const count = (shape) => shape.reduce((a, d) => a * d, 1);

function readIndex(dir) {
  const file = path.join(dir, 'index.json');
  if (!fs.existsSync(file)) {
    throw new Error(`${file} not found: export the zoo first (/usr/bin/python3 bench/models/export_zoo.py)`);
  }
  return JSON.parse(fs.readFileSync(file, 'utf8')).models;
}

function readNpy(file) {
  return decodeNpy(new Uint8Array(fs.readFileSync(file)));
}

function writeNpy(file, data, shape) {
  fs.writeFileSync(`${file}.tmp`, encodeNpy(data, shape));
  fs.renameSync(`${file}.tmp`, file);
}

// Re-exported: tests/models/run-wasm.mjs takes it from here.
export { disagreement };

async function loadOrt(impl, threads) {
  if (impl === 'ort-node') return (await import('onnxruntime-node')).default;
  const ort = await import('onnxruntime-web');
  ort.env.wasm.numThreads = threads;
  ort.env.wasm.proxy = false;
  ort.env.logLevel = 'error';
  return ort;
}

function sessionOptions(impl, threads) {
  const common = { graphOptimizationLevel: 'all', intraOpNumThreads: threads };
  if (impl === 'ort-node') return { ...common, interOpNumThreads: 1, executionMode: 'sequential' };
  return { ...common, executionProviders: ['wasm'] };
}

/** Feeds of the zoo inputs (from their .npy files) for a model of the index. */
function zooFeeds(ort, dir, name, entry) {
  const feeds = {};
  for (const [input, shape] of Object.entries(entry.inputs)) {
    const npy = readNpy(npyPath(dir, name, input));
    feeds[input] = new ort.Tensor('float32', npy.data, npy.shape);
  }
  return feeds;
}

/** Writes the inputs and onnxruntime-node's outputs of one model; false when up to date. */
async function writeReferences(ort, dir, name, entry, force) {
  const model = path.join(dir, entry.file);
  const files = Object.keys(entry.inputs).concat(Object.keys(entry.outputs))
    .map((t) => npyPath(dir, name, t));
  const built = fs.statSync(model).mtimeMs;
  if (!force && files.every((f) => fs.existsSync(f) && fs.statSync(f).mtimeMs > built)) return false;
  for (const [input, shape] of Object.entries(entry.inputs)) {
    if (!shape.every((d) => Number.isInteger(d) && d > 0)) {
      throw new Error(`${name}: input ${input} has shape [${shape}]; the zoo needs fixed dims`);
    }
    writeNpy(npyPath(dir, name, input), zooInput(name, input, count(shape)), shape);
  }
  const session = await ort.InferenceSession.create(fs.readFileSync(model), sessionOptions('ort-node', 1));
  const results = await session.run(zooFeeds(ort, dir, name, entry));
  for (const output of Object.keys(entry.outputs)) {
    const t = results[output];
    if (!t) throw new Error(`${name}: onnxruntime returned no output '${output}'`);
    writeNpy(npyPath(dir, name, output), Float32Array.from(t.data), t.dims.map(Number));
  }
  await session.release();
  return true;
}

/** Reads a model's file and references, then measures it (measure.mjs) in this child process. */
async function measureHere({ dir, name, runs, baseRss }, impl) {
  const entry = readIndex(dir)[name];
  const bytes = fs.readFileSync(path.join(dir, entry.file));
  const references = {};
  for (const output of Object.keys(entry.outputs)) references[output] = readNpy(npyPath(dir, name, output)).data;
  const figures = await measure({ bytes, entry, runs, references }, impl);
  return { ...figures, peak_rss_bytes: process.resourceUsage().maxRSS * 1024, base_rss_bytes: baseRss };
}

/** The zoo inputs of a model as { name: Float32Array } (from their .npy files). */
function zooInputs(dir, name) {
  const entry = readIndex(dir)[name];
  return Object.fromEntries(Object.keys(entry.inputs).map((input) => [input, readNpy(npyPath(dir, name, input)).data]));
}

/** One implementation, thread count and model, in this (child) process; returns its figures. */
async function child({ impl, threads, dir, name, runs }) {
  const baseRss = process.memoryUsage().rss;
  if (impl === 'portnn-wasm') {
    // portnn's WebAssembly build from the package's sources (built by scripts/build-wasm.sh).
    const pnn = await import('../../wasm/index.js');
    const { loadOnnx } = await import('../../wasm/src/onnx.js');
    const p = portnnImpl({ pnn, loadOnnx, threads, inputs: zooInputs(dir, name) });
    return { variant: p.variant, ...(await measureHere({ dir, name, runs, baseRss }, p)) };
  }
  const ort = await loadOrt(impl, threads);
  if (impl === 'ort-web') {
    return measureHere({ dir, name, runs, baseRss }, ortWebImpl({ ort, threads, inputs: zooInputs(dir, name) }));
  }
  let session = null;
  let feeds = null;
  const fetches = {};
  return measureHere({ dir, name, runs, baseRss }, {
    async load(bytes, entry) {
      session = await ort.InferenceSession.create(bytes, sessionOptions(impl, threads));
      feeds = zooFeeds(ort, dir, name, entry);
      for (const [output, shape] of Object.entries(entry.outputs)) {
        fetches[output] = new ort.Tensor('float32', new Float32Array(count(shape)), shape);
      }
    },
    run: () => session.run(feeds, fetches),
    async outputs() {
      const plain = await session.run(feeds);
      return Object.fromEntries(Object.entries(plain).map(([k, v]) => [k, v.data]));
    },
    version() {
      const versions = ort.env.versions || {};
      return versions.node || versions.web || versions.common || '?';
    },
    release: () => session.release(),
  });
}

/**
 * portnn natively: `portnn-run` (tools/portnn-run.cc) on the same model, inputs and references,
 * --threads, --iterations runs after its warm-up; resolves to the record its --json writes.
 */
function runPortnn(job) {
  const entry = readIndex(job.dir)[job.name];
  const json = path.join(os.tmpdir(), `portnn-run-${process.pid}.json`);
  const args = [path.join(job.dir, entry.file), '--threads', String(job.threads),
                '--iterations', String(job.runs), '--json', json];
  for (const t of Object.keys(entry.inputs)) args.push('--input', `${t}=${npyPath(job.dir, job.name, t)}`);
  for (const t of Object.keys(entry.outputs)) args.push('--reference', `${t}=${npyPath(job.dir, job.name, t)}`);
  return new Promise((resolve, reject) => {
    const p = spawn(job.portnnRun, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (d) => { out += d; });
    p.stderr.on('data', (d) => { out += d; });
    p.on('error', reject);
    p.on('close', (code) => {
      // Exit 1 with a record: a reference check above the tolerance, reported as such.
      if (fs.existsSync(json)) {
        const r = JSON.parse(fs.readFileSync(json, 'utf8'));
        fs.unlinkSync(json);
        resolve(r);
      } else {
        reject(new Error(`portnn-run exited with ${code}:\n${out.trim()}`));
      }
    });
  });
}

/** Runs `child` in a fresh Node process; resolves to its figures. */
function runChild(job) {
  if (job.impl === 'portnn') return runPortnn(job);
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [fileURLToPath(import.meta.url), '--child', JSON.stringify(job)],
                    { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.on('data', (d) => { out += d; });
    p.on('error', reject);
    p.on('close', (code) => {
      const last = out.trim().split('\n').pop();
      if (code === 0 && last) resolve(JSON.parse(last));
      else reject(new Error(`${job.impl} ${job.threads}T ${job.name}: child exited with ${code}`));
    });
  });
}

const fmtMs = (ms) => (ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2));

function printTable(rows, configs, names) {
  const head = ['model'].concat(configs.map(([impl, t]) => `${impl} ${t}T`));
  const lines = [head];
  for (const name of names) {
    lines.push([name].concat(configs.map(([impl, t]) => {
      const recordImpl = impl === 'portnn-wasm' ? 'portnn' : impl;
      const r = rows.find((x) => x.shape === `models/${name}` && x.impl === recordImpl &&
                                 x.target === IMPLS[impl].target && x.threads === t);
      return r ? `${fmtMs(r.median_us / 1e3)} (${fmtMs(r.load_ms)})` : '-';
    })));
  }
  const widths = head.map((_, i) => Math.max(...lines.map((l) => l[i].length)));
  console.log('\n== models: median ms per run (load ms)');
  for (const l of lines) console.log('  ' + l.map((c, i) => (i ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  '));
}

async function main(argv) {
  if (argv[0] === '--child') {
    console.log(JSON.stringify(await child(JSON.parse(argv[1]))));
    return 0;
  }
  const opts = parseOptions('reference.mjs', argv, {
    models: path.join(ROOT, 'build', 'models'), only: '', force: false, time: false,
    impls: '', threadList: '1,2', runs: 0, quick: false, filter: '', portnnRun: '',
    json: path.join(ROOT, 'build', 'bench-results.json'), threads: 1, rounds: 1,
  }, {
    '--models': ['models', String], '--only': ['only', String], '--force': ['force', true],
    '--time': ['time', true], '--impls': ['impls', String], '--threads': ['threadList', String],
    '--runs': ['runs', Number], '--quick': ['quick', true], '--json': ['json', String],
    '--filter': ['filter', String], '--portnn-run': ['portnnRun', String], '--rounds': ['rounds', Number],
  }, usage);
  if (!Number.isInteger(opts.rounds) || opts.rounds < 1) throw new Error('--rounds: a positive integer');
  const dir = path.resolve(opts.models);
  const index = readIndex(dir);
  // --filter as scripts/bench.sh's: a regular expression over "models/<name>".
  const filter = opts.filter ? new RegExp(opts.filter) : null;
  const names = (opts.only ? opts.only.split(',').filter(Boolean) : Object.keys(index))
    .filter((n) => !filter || filter.test(`models/${n}`));
  for (const n of names) if (!index[n]) throw new Error(`${n}: not in ${dir}/index.json`);

  const ortNode = await loadOrt('ort-node', 1);
  for (const [i, name] of names.entries()) {
    const t = performance.now();
    const wrote = await writeReferences(ortNode, dir, name, index[name], opts.force);
    console.log(`reference [${i + 1}/${names.length}] ${name}: ${wrote ? `written (${fmtMs(performance.now() - t)} ms)` : 'up to date'}`);
  }
  if (!opts.time) return 0;

  const impls = (opts.impls || (opts.portnnRun ? 'portnn,portnn-wasm,ort-node,ort-web' : 'portnn-wasm,ort-node,ort-web'))
    .split(',').filter(Boolean);
  for (const impl of impls) if (!IMPLS[impl]) throw new Error(`unknown implementation '${impl}' (${Object.keys(IMPLS)})`);
  if (impls.includes('portnn') && !opts.portnnRun) throw new Error('portnn needs --portnn-run PATH');
  const threadList = opts.threadList.split(',').map(Number);
  if (!threadList.every((t) => Number.isInteger(t) && t > 0)) throw new Error('--threads: a list of positive integers');
  const runs = opts.runs > 0 ? opts.runs : (opts.quick ? 3 : 10);
  const configs = impls.flatMap((impl) => threadList.map((t) => [impl, t]));
  const waitIdle = idleWaiter();
  const rows = [];
  let status = 0;
  let k = 0;
  console.log(`models: ${names.length} models x ${configs.length} configurations, ${runs} runs each; ` +
              `load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  const total = names.length * configs.length * opts.rounds;
  for (const name of names) {
    const perConfig = configs.map(() => []);
    for (let round = 0; round < opts.rounds; round++) {
      for (const [c, [impl, threads]] of configs.entries()) {
        k++;
        const prefix = `models [${k}/${total}] ${impl} ${threads}T ${name}` +
                       (opts.rounds > 1 ? ` (round ${round + 1}/${opts.rounds})` : '');
        const idle = threads > 1 ? await waitIdle() : null;
        try {
          const r = await runChild({ impl, threads, dir, name, runs, portnnRun: opts.portnnRun });
          const ok = typeof r.disagreement === 'number' && r.disagreement <= 1e-4;
          if (!ok) status = 1;
          console.log(`${prefix}: load ${fmtMs(r.load_ms)} ms, first run ${fmtMs(r.first_run_ms)} ms, ` +
                      `median ${fmtMs(r.median_us / 1e3)} ms, peak RSS ${(r.peak_rss_bytes / 2 ** 20).toFixed(0)} MB, ` +
                      `max |out - ref| / max |ref| ${ok || typeof r.disagreement === 'number' ? r.disagreement.toExponential(2) : 'not checked'}${ok ? '' : ' ABOVE 1e-4'}` +
                      (idle ? `, idle ${idle.idle}` : ''));
          perConfig[c].push({
            // portnn's WebAssembly rows are impl "portnn" on target "node", as bench/zoo.py reads them.
            target: IMPLS[impl].target, impl: impl === 'portnn-wasm' ? 'portnn' : impl,
            variant: IMPLS[impl].variant || r.variant, threads,
            shape: `models/${name}`, section: 'models', gflops: null, ...r,
            memory: impl === 'portnn' ? "portnn-run's peak RSS"
              : "the process's peak RSS (process.resourceUsage().maxRSS; Node itself included)",
            ...(idle ? { idle: idle.idle } : {}),
            includes: impl === 'portnn'
              ? 'pnn_invoke_runtime on bound NCHW input and output buffers (portnn-run)'
              : impl === 'portnn-wasm'
                ? 'OnnxRuntime.run(inputs, outputs) with the output arrays reused (copies in and out of module memory)'
                : 'session.run(feeds, fetches) with the input and a pre-allocated output reused (NCHW model)',
          });
        } catch (e) {
          status = 1;
          console.log(`${prefix}: FAILED: ${e.message}`);
        }
      }
    }
    for (const records of perConfig) if (records.length) rows.push(combineRounds(records));
  }
  printTable(rows, configs, names);
  if (rows.length) console.log(`models: ${appendRecords(opts.json, rows)} records in ${opts.json}`);
  return status;
}

// Run as a program (imported, e.g. by the tests, it only exports zooInput and disagreement).
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (e) => {
    console.error(`reference.mjs: ${e.message}`);
    process.exitCode = 1;
  });
}
