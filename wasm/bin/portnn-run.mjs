#!/usr/bin/env node
// portnn-run (the npm package's bin): loads an ONNX model with portnn's WebAssembly build in Node,
// runs it, times it, profiles it, and can check it against ONNX Runtime. The same options and
// the same report as the native tool (tools/portnn-run.cc), plus --variant (a build of the
// package: scalar, simd, simd-threads, relaxed-simd, relaxed-simd-threads; by default what
// init() picks, a threaded one for --threads above 1) and --check-against-onnxruntime:
//
//   portnn-run model.onnx [--input NAME=random|FILE.npy] [--shape NAME=1x3x224x224]
//              [--threads N] [--variant V] [--iterations N] [--warmup N]
//              [--seed S] [--profile] [--save-outputs DIR] [--reference NAME=FILE.npy]
//              [--check-against-onnxruntime] [--tolerance T] [--json FILE]
//
// --check-against-onnxruntime runs the model once more in ONNX Runtime on the same inputs
// (onnxruntime-node if it is installed, else onnxruntime-web; neither is a dependency of portnn:
// `npm install onnxruntime-node --ignore-scripts`) and compares every output: max |difference| /
// max |ONNX Runtime's|, at most --tolerance (default 1e-4) for exit status 0, as --reference does
// with a file. Random inputs are uniform in [-1, 1) from a fixed-seed generator (--seed; not the
// native tool's generator, so the two draw different values).
//
// Exit status: 0, 1 when loading or running fails or a check disagrees, 2 for bad arguments.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { performance } from 'node:perf_hooks';

import { VARIANTS, info, terminate } from '../index.js';
import { loadOnnx } from '../src/onnx.js';
import { decodeNpy, encodeNpy } from '../src/npy.js';

const USAGE = `usage: portnn-run model.onnx [--input NAME=random|FILE.npy] [--shape NAME=1x3x224x224]
       [--threads N] [--variant ${VARIANTS.join('|')}] [--iterations N] [--warmup N] [--seed S]
       [--profile] [--save-outputs DIR] [--reference NAME=FILE.npy] [--check-against-onnxruntime]
       [--tolerance T] [--json FILE]`;

class UsageError extends Error {}

function splitEq(text, option) {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new UsageError(`${option} needs NAME=VALUE`);
  return [text.slice(0, eq), text.slice(eq + 1)];
}

function positiveInt(text, option, min = 1) {
  if (!/^\d+$/.test(text) || Number(text) < min) throw new UsageError(`${option} must be an integer >= ${min}`);
  return Number(text);
}

function parseArgs(argv) {
  const o = {
    model: null, inputs: new Map(), shapes: {}, references: new Map(), threads: 1, variant: undefined,
    iterations: 10, warmup: 2, seed: 1, profile: false, saveDir: null, checkOrt: false,
    tolerance: 1e-4, json: null,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new UsageError(`${a} needs a value`);
      return argv[++i];
    };
    switch (a) {
      case '--input': o.inputs.set(...splitEq(value(), a)); break;
      case '--reference': o.references.set(...splitEq(value(), a)); break;
      case '--shape': {
        const [name, text] = splitEq(value(), a);
        o.shapes[name] = text.split('x').map((d) => {
          if (!/^[1-9]\d*$/.test(d)) throw new UsageError('--shape dims are positive integers joined by x');
          return Number(d);
        });
        break;
      }
      case '--threads': o.threads = positiveInt(value(), a); break;
      case '--variant': {
        o.variant = value();
        if (!VARIANTS.includes(o.variant)) throw new UsageError(`--variant is one of ${VARIANTS.join(', ')}`);
        break;
      }
      case '--iterations': o.iterations = positiveInt(value(), a); break;
      case '--warmup': o.warmup = positiveInt(value(), a, 0); break;
      case '--seed': o.seed = positiveInt(value(), a, 0); break;
      case '--tolerance': {
        o.tolerance = Number(value());
        if (!(o.tolerance >= 0)) throw new UsageError('--tolerance must be a number >= 0');
        break;
      }
      case '--profile': o.profile = true; break;
      case '--check-against-onnxruntime': o.checkOrt = true; break;
      case '--save-outputs': o.saveDir = value(); break;
      case '--json': o.json = value(); break;
      case '--help': case '-h': throw new UsageError('run an ONNX model with portnn (WebAssembly)');
      default:
        if (a.startsWith('-')) throw new UsageError(`unknown option ${a}`);
        if (o.model !== null) throw new UsageError('one model at a time');
        o.model = a;
    }
  }
  if (o.model === null) throw new UsageError('no model given');
  return o;
}

// A small fixed-seed generator (mulberry32) for random inputs: uniform in [-1, 1).
function uniform(seed) {
  let s = (seed >>> 0) ^ 0x9e3779b9;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1;
  };
}

/** max |a - b| and that over max |b| (max |a - b| itself when b is all zeros). */
function compare(actual, expected) {
  let maxDiff = 0;
  let maxRef = 0;
  for (let i = 0; i < actual.length; i++) {
    const d = Math.abs(actual[i] - expected[i]);
    // A NaN on either side is a disagreement, not a zero difference.
    maxDiff = Number.isNaN(d) ? Infinity : Math.max(maxDiff, d);
    maxRef = Math.max(maxRef, Math.abs(expected[i]));
  }
  return { maxDiff, relative: maxRef > 0 ? maxDiff / maxRef : maxDiff };
}

function shapeText(shape) { return `[${shape.join('x')}]`; }
// Three or six significant digits, as C's %.3g and %.6g (0 stays "0").
function g3(x) { return String(Number(x.toPrecision(3))); }
function g6(x) { return String(Number(x.toPrecision(6))); }

async function onnxRuntime() {
  for (const name of ['onnxruntime-node', 'onnxruntime-web']) {
    try {
      const ort = await import(name);
      return { ort: ort.default ?? ort, name };
    } catch (e) {
      if (e?.code !== 'ERR_MODULE_NOT_FOUND') throw e;
    }
  }
  throw new Error('--check-against-onnxruntime needs onnxruntime-node or onnxruntime-web installed ' +
                  '(npm install onnxruntime-node --ignore-scripts)');
}

async function runOnnxRuntime(bytes, feeds, inputShapes) {
  const { ort, name } = await onnxRuntime();
  if (name === 'onnxruntime-web') ort.env.wasm.numThreads = 1;
  const session = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 1, executionProviders: ['cpu'] });
  const tensors = {};
  for (const [key, data] of Object.entries(feeds)) tensors[key] = new ort.Tensor('float32', data, inputShapes[key]);
  const results = await session.run(tensors);
  await session.release?.();
  return { name, results };
}

async function main(argv) {
  const o = parseArgs(argv);
  const bytes = readFileSync(o.model);
  const inputArrays = new Map();
  for (const [name, source] of o.inputs) {
    if (source === 'random') continue;
    const array = decodeNpy(readFileSync(source));
    if (array.descr !== '<f4') throw new Error(`${source}: ${array.descr} data; graph inputs are float32`);
    if (!(name in o.shapes)) o.shapes[name] = array.shape;
    inputArrays.set(name, array.data);
  }

  const threads = o.threads;
  const variant = o.variant ?? 'auto';
  const t0 = performance.now();
  const runtime = await loadOnnx(bytes, { inputShapes: o.shapes, profile: o.profile, threads, variant });
  const loadMs = performance.now() - t0;
  const { variant: loaded } = info();
  const memory = runtime.memory();
  console.log(`model      ${o.model} (${bytes.length} bytes)`);
  console.log(`load       ${loadMs.toFixed(1)} ms (module, decode, import, runtime creation)`);
  console.log(`memory     arena ${(memory.arenaBytes / 1e6).toFixed(2)} MB, packed weights ${(memory.packedWeightBytes / 1e6).toFixed(2)} MB`);

  const random = uniform(o.seed);
  const feeds = {};
  const feedShapes = {};
  for (const { name, shape } of runtime.inputs) {
    const count = shape.reduce((a, d) => a * d, 1);
    let data = inputArrays.get(name);
    if (data && data.length !== count) throw new Error(`input ${name}: the file holds ${data.length} values, the input ${count}`);
    if (!data) data = Float32Array.from({ length: count }, random);
    feeds[name] = data;
    feedShapes[name] = shape;
    console.log(`input      ${name} ${shapeText(shape)} (${inputArrays.has(name) ? o.inputs.get(name) : 'random uniform [-1, 1)'})`);
  }
  const outputs = Object.fromEntries(runtime.outputs.map(({ name, shape }) => [name, new Float32Array(shape.reduce((a, d) => a * d, 1))]));

  const tFirst = performance.now();
  runtime.run(feeds, outputs);
  const firstRunMs = performance.now() - tFirst;
  for (let w = 1; w < o.warmup; w++) runtime.run(feeds, outputs);
  const times = [];
  const nodeMs = [];
  for (let it = 0; it < o.iterations; it++) {
    const start = performance.now();
    runtime.run(feeds, outputs);
    times.push(performance.now() - start);
    if (o.profile) runtime.profile().forEach((p, k) => { nodeMs[k] = (nodeMs[k] ?? 0) + p.timeMs; });
    if (process.stderr.isTTY) process.stderr.write(`\rrun ${it + 1}/${o.iterations}: ${times.at(-1).toFixed(2)} ms`);
  }
  if (process.stderr.isTTY) process.stderr.write(`\r${' '.repeat(40)}\r`);
  const sorted = [...times].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  console.log(`run        median ${median.toFixed(3)} ms, min ${sorted[0].toFixed(3)} ms over ${o.iterations} runs, ` +
              `${threads} thread${threads === 1 ? '' : 's'}, variant ${loaded}`);

  let status = 0;
  let worst = null;
  const check = (name, expected, source) => {
    const { maxDiff, relative } = compare(outputs[name], expected);
    const ok = relative <= o.tolerance;
    worst = Math.max(worst ?? 0, relative);
    console.log(`check      ${name} vs ${source}: max |diff| ${g3(maxDiff)}, / max |ref| = ` +
                `${g3(relative)} (tolerance ${o.tolerance}) ${ok ? 'OK' : 'MISMATCH'}`);
    if (!ok) status = 1;
  };
  for (const { name, shape } of runtime.outputs) {
    const out = outputs[name];
    let min = Infinity; let max = -Infinity; let sum = 0;
    for (const v of out) { min = Math.min(min, v); max = Math.max(max, v); sum += v; }
    const first = Array.from(out.subarray(0, 5), (v) => g6(v)).join(' ');
    console.log(`output     ${name} ${shapeText(shape)} min ${g6(min)} max ${g6(max)} ` +
                `mean ${g6(sum / out.length)} first ${first}`);
    if (o.saveDir !== null) {
      mkdirSync(o.saveDir, { recursive: true });
      writeFileSync(join(o.saveDir, `${name}.npy`), encodeNpy(out, shape));
    }
    const ref = o.references.get(name);
    if (ref !== undefined) {
      const expected = decodeNpy(readFileSync(ref));
      if (expected.data.length !== out.length) {
        console.error(`portnn-run: reference ${ref}: ${expected.data.length} values, the output ${out.length}`);
        status = 1;
      } else {
        check(name, expected.data, ref);
      }
    }
  }
  for (const name of o.references.keys()) {
    if (!(name in outputs)) throw new UsageError(`--reference ${name}: the model has no output of that name`);
  }
  if (o.checkOrt) {
    const { name: ortName, results } = await runOnnxRuntime(bytes, feeds, feedShapes);
    for (const { name } of runtime.outputs) {
      const r = results[name];
      if (!r || r.data.length !== outputs[name].length) {
        console.error(`portnn-run: ${ortName} gave no output ${name} of ${outputs[name].length} values`);
        status = 1;
      } else {
        check(name, r.data, ortName);
      }
    }
  }

  if (o.profile) {
    const nodes = runtime.profile();
    const total = nodeMs.reduce((a, b) => a + (b ?? 0), 0);
    const order = nodes.map((_, k) => k).sort((a, b) => (nodeMs[b] ?? 0) - (nodeMs[a] ?? 0));
    console.log(`\n${'node'.padEnd(40)} ${'operator'.padEnd(20)} ${'kernel'.padEnd(44)} ${'time (us)'.padStart(10)} ${'share'.padStart(6)}`);
    for (const k of order) {
      const n = nodes[k];
      if (n.fusedInto >= 0) continue;
      const us = ((nodeMs[k] ?? 0) * 1e3) / o.iterations;
      const share = total > 0 ? (100 * (nodeMs[k] ?? 0)) / total : 0;
      console.log(`${String(n.name).slice(0, 40).padEnd(40)} ${String(n.operator).slice(0, 20).padEnd(20)} ` +
                  `${String(n.kernel).slice(0, 44).padEnd(44)} ${us.toFixed(1).padStart(10)} ${share.toFixed(1).padStart(5)}%`);
    }
  }
  if (o.json !== null) {
    const record = {
      target: 'node', impl: 'portnn', variant: loaded, threads, shape: `models/${basename(o.model, '.onnx')}`,
      section: 'models', median_us: median * 1e3, gflops: null, load_ms: loadMs, first_run_ms: firstRunMs,
      runs: o.iterations, disagreement: worst, arena_bytes: memory.arenaBytes,
      packed_weight_bytes: memory.packedWeightBytes, peak_rss_bytes: process.resourceUsage().maxRSS * 1024,
    };
    writeFileSync(o.json, `${JSON.stringify(record)}\n`);
  }
  runtime.dispose();
  return status;
}

{
  let code;
  try {
    code = await main(process.argv.slice(2));
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`portnn-run: ${e.message}\n${USAGE}`);
      code = 2;
    } else {
      console.error(`portnn-run: ${e.message}`);
      code = 1;
    }
  }
  terminate();
  process.exitCode = code;
}
