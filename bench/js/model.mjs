// The model section of the JS benchmarks, shared by Node (bench/js/node.mjs --model) and the
// page (bench/web/page.mjs, plan=model and plan=model-threads): MobileNet v2 1.0 at 224x224 with
// the weights of examples/mobilenet-v2.mjs (build(42), the same floats as the native model
// benchmark bench/model.cc), one whole inference per call, three ways:
//
//   portnn     the graph runtime (pnn.Graph, defineGraph of the examples; model-portnn.mjs)
//   tfjs-wasm  the same layers as TF.js fused ops on its WebAssembly backend (model-tfjs.mjs)
//   ort-web    onnxruntime-web on the ONNX export of the same weights that
//              bench/models/mobilenet_v2_onnx.py writes (NCHW; model-ort.mjs)
//
// It runs on bench/js/runner.mjs as one "shape" (section model, name mobilenet_v2) with its own
// data, timing and cross-check: the implementations of a group take their timed samples
// round-robin, the thread-count pairs alternate in rounds. Each record adds create_ms (model ->
// runnable), first_ms (the first call, where TF.js creates its operators), the disagreement of
// its output with the group's first implementation (max |a - b| / max |ref|; check 'ok' when
// <= 1e-4, as issue 13 asks) and its shape is "model/mobilenet_v2", the native records' name.
//
// Parts (one page can hold only one TF.js binary and one ONNX Runtime thread count):
//   node           portnn simd + tfjs simd + ort 1 thread; portnn simd-threads 1 and N threads
//   model          (Chromium) portnn simd + tfjs simd + ort 1 thread
//   model-threads  (Chromium) portnn simd-threads 1 and N threads and ort N threads, alternating
import { MODEL_INPUT, build, image } from '../../examples/mobilenet-v2.mjs';
import { readBytes, readJson } from './env.mjs';
import { DEFAULT_TIMING } from './runner.mjs';
import { transposeImage } from './suite.mjs';
import { configLabel } from './table.mjs';
import { portnnModelImpl } from './model-portnn.mjs';
import { tfjsModelImpl } from './model-tfjs.mjs';
import { ortModelImpl } from './model-ort.mjs';

export const MODEL_SEED = 42;
export const IMAGE_SEED = 7;
export const MODEL_RECORD_SHAPE = 'model/mobilenet_v2';
/** Largest accepted max |a - b| / max |reference| between two implementations' logits. */
export const MODEL_TOLERANCE = 1e-4;
export const MODEL_PARTS = Object.freeze(['node', 'model', 'model-threads']);

// One inference takes tens of milliseconds: longer warm-up and more samples than an operator.
export const MODEL_TIMING = Object.freeze({
  ...DEFAULT_TIMING, warmupMs: 400, budgetMs: 2500, minSamples: 15, maxSamples: 60, slowMs: 2000,
});
export const MODEL_TIMING_QUICK = Object.freeze({ ...MODEL_TIMING, warmupMs: 50, budgetMs: 400, minSamples: 5 });

// build(MODEL_SEED, classes), made once (3.5 million parameters).
const built = new Map();
function modelOf(classes) {
  if (!built.has(classes)) built.set(classes, build(MODEL_SEED, classes));
  return built.get(classes);
}

/** The benchmark "shape": MobileNet v2 at size x size, its work counted as the suite counts it. */
export function modelShape(size = 224, classes = 1000) {
  const model = modelOf(classes);
  const dims = [];
  let flops = 0;
  for (const l of model.layers) {
    const x = l.input === MODEL_INPUT ? { h: size, w: size } : dims[l.input];
    if (l.kind === 'conv') {
      const p = l.kernel >> 1;
      const o = { h: Math.floor((x.h + 2 * p - l.kernel) / l.stride) + 1, w: Math.floor((x.w + 2 * p - l.kernel) / l.stride) + 1 };
      flops += 2 * o.h * o.w * l.cout * l.kernel * l.kernel * (l.cin / l.groups);
      dims.push(o);
    } else if (l.kind === 'add') {
      flops += x.h * x.w * l.cout;
      dims.push(x);
    } else if (l.kind === 'gap') {
      flops += x.h * x.w * l.cin;
      dims.push({ h: 1, w: 1 });
    } else {
      flops += 2 * l.cin * l.cout;
      dims.push({ h: 1, w: 1 });
    }
  }
  return {
    section: 'model', name: 'mobilenet_v2', size, classes, flops,
    inputShape: [1, size, size, 3], outputShape: [1, classes],
    inputCount: size * size * 3, outputCount: classes,
  };
}

// The data of one run, made once: the model, the image (NHWC, and NCHW for ONNX Runtime), the
// ONNX file's bytes, after comparing the Python generator's parameters with this one's.
const dataCache = new Map();

async function loadModelData(shape, modelsDir) {
  const dir = modelsDir.replace(/\/?$/, '/');
  const model = modelOf(shape.classes);
  let check;
  let onnx;
  try {
    check = await readJson(`${dir}mobilenet_v2.check.json`);
    onnx = new Uint8Array(await readBytes(`${dir}mobilenet_v2.onnx`));
  } catch (e) {
    throw new Error(`${e.message} (run /usr/bin/python3 bench/models/mobilenet_v2_onnx.py --out ${modelsDir}; scripts/bench.sh does)`);
  }
  const p = model.params;
  const bad = [];
  if (check.seed !== MODEL_SEED || check.count !== p.length || check.size !== shape.size || check.classes !== shape.classes) {
    bad.push(`seed ${check.seed}, ${check.count} parameters, size ${check.size}, ${check.classes} classes ` +
             `(here: ${MODEL_SEED}, ${p.length}, ${shape.size}, ${shape.classes})`);
  }
  for (const [i, v] of Object.entries(check.samples)) {
    if (p[Number(i)] !== v) bad.push(`parameter ${i}: ${v} there, ${p[Number(i)]} here`);
  }
  let sum = 0;
  for (let i = 0; i < p.length; i++) sum += p[i];
  if (Math.abs(sum - check.sum) > 1e-9 * Math.max(1, Math.abs(check.sum))) bad.push(`sum ${check.sum} there, ${sum} here`);
  if (bad.length) {
    throw new Error(`${dir}mobilenet_v2.check.json: the ONNX model's weights are not examples/mobilenet-v2.mjs's: ` +
                    `${bad.slice(0, 3).join('; ')} (stale file? rerun bench/models/mobilenet_v2_onnx.py)`);
  }
  const x = image(shape.size, shape.size, IMAGE_SEED);
  return {
    model, image: x, imageNchw: transposeImage(x, shape.size, shape.size, 3), onnx,
    checked: Object.keys(check.samples).length,
  };
}

/** runner.mjs's makeData for the model shape (cached: every group reads the same data). */
export function modelData(shape, modelsDir) {
  const key = `${modelsDir}|${shape.size}|${shape.classes}`;
  if (!dataCache.has(key)) dataCache.set(key, loadModelData(shape, modelsDir));
  return dataCache.get(key);
}

/** runner.mjs's compare for the model: the disagreement of issue 13's acceptance. */
export function compareModelOutputs(ref, output) {
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < ref.output.length; i++) {
    const d = Math.abs(ref.output[i] - output[i]);
    diff = d > diff || Number.isNaN(d) ? d : diff;
    scale = Math.max(scale, Math.abs(ref.output[i]));
  }
  const d = output.length === ref.output.length && scale > 0 ? diff / scale : Infinity;
  return {
    disagreement: Number.isNaN(d) ? Infinity : Number(d.toPrecision(3)),
    reference: ref.label,
    check: d <= MODEL_TOLERANCE ? 'ok' : `differs from ${ref.label} by ${d.toExponential(1)} (> ${MODEL_TOLERANCE})`,
  };
}

// An implementation whose records carry the model's name and its creation times, rounded.
function recorded(impl) {
  const prepare = impl.prepare;
  impl.prepare = async (shape, data) => {
    const inst = await prepare(shape, data);
    const fields = { ...inst.fields, shape: MODEL_RECORD_SHAPE };
    for (const k of ['create_ms', 'first_ms']) fields[k] = Math.round(fields[k] * 1000) / 1000;
    inst.fields = fields;
    return inst;
  };
  return impl;
}

/** The groups of one part (see the top of this file); `threads` is N (at least 2). */
export function modelPlan({ part, threads = 2, modelsDir, env }) {
  if (!MODEL_PARTS.includes(part)) throw new Error(`unknown model part '${part}' (expected ${MODEL_PARTS.join(', ')})`);
  const n = Math.max(2, threads);
  const groups = [];
  if (part !== 'model-threads') {
    groups.push([portnnModelImpl({ variant: 'simd' }), tfjsModelImpl({ env }),
                 ortModelImpl({ threads: 1, modelsDir, env })]);
  }
  if (part !== 'model') {
    const pair = [portnnModelImpl({ variant: 'simd-threads', threads: 1 }),
                  portnnModelImpl({ variant: 'simd-threads', threads: n })];
    if (part === 'model-threads') pair.push(ortModelImpl({ threads: n, modelsDir, env }));
    pair.exclusive = true;
    pair.rounds = 3;
    pair.waitEach = true;  // each measurement lasts seconds: wait for idle CPUs before each
    groups.push(pair);
  }
  for (const g of groups) g.forEach(recorded);
  return groups;
}

/** Everything a driver needs to run one part on runner.mjs. */
export function modelBenchmark({ part, threads, modelsDir, env, quick = false, size = 224 }) {
  return {
    groups: modelPlan({ part, threads, modelsDir, env }),
    shapes: [modelShape(size)],
    options: { makeData: modelData, compare: compareModelOutputs, timing: quick ? MODEL_TIMING_QUICK : MODEL_TIMING },
  };
}

function fmt(x, digits = 1) {
  return x === undefined || x === null || !Number.isFinite(x) ? '-' : x.toFixed(digits);
}

/**
 * The text report of model records (one target): per configuration the median and spread, the
 * creation and first-call times, GFLOP/s, portnn's time over the peer's (1-thread peers against
 * portnn simd, N-thread peers against portnn simd-threads on N threads), the N-thread speed-up
 * and the cross-check.
 */
export function formatModelTable(records, { title = '', includes = [] } = {}) {
  const rs = records.filter((r) => r.shape === MODEL_RECORD_SHAPE);
  const out = [];
  if (title) out.push(title);
  out.push(...includes);
  out.push('MobileNet v2 1.0, 224x224, weights of examples/mobilenet-v2.mjs (seed 42): median ms per inference;');
  out.push('create = model -> runnable (portnn: define + createRuntime; tfjs: weights uploaded; ort: InferenceSession.create);');
  out.push('first = the first call (TF.js creates and packs its operators there). portnn/peer < 1: portnn faster.');
  const order = { portnn: 0, 'tfjs-wasm': 1, 'ort-web': 2 };
  rs.sort((a, b) => (order[a.impl] ?? 9) - (order[b.impl] ?? 9) || a.threads - b.threads ||
                    String(a.variant).localeCompare(String(b.variant)));
  const find = (impl, variant, threads) => rs.find((r) => r.impl === impl && r.variant === variant && r.threads === threads);
  const partner = (r) => (r.threads === 1 ? find('portnn', 'simd', 1) : find('portnn', 'simd-threads', r.threads));
  const t1 = find('portnn', 'simd-threads', 1);
  const table = [['configuration', 'median ms', 'spread', 'create ms', 'first ms', 'GFLOP/s', 'portnn/peer', 'speed-up', 'check']];
  for (const r of rs) {
    const p = r.impl === 'portnn' ? null : partner(r);
    const speedup = r.impl === 'portnn' && r.variant === 'simd-threads' && r.threads > 1 && t1 ? t1.median_us / r.median_us : null;
    table.push([configLabel(r), fmt(r.median_us / 1000, 2), `${fmt((r.spread || 0) * 100, 0)}%`, fmt(r.create_ms),
                fmt(r.first_ms), fmt(r.gflops, 2), p ? `${fmt(p.median_us / r.median_us, 2)} (${configLabel(p)})` : '-',
                speedup ? `${speedup.toFixed(2)}x` : '-',
                r.check ? `${r.check}${r.disagreement !== undefined ? ` (${r.disagreement.toExponential(1)} vs ${r.reference})` : ''}` : 'reference']);
  }
  const widths = table[0].map((_, i) => Math.max(...table.map((row) => row[i].length)));
  const left = new Set([0, 6, 8]);
  table.forEach((row, n) => {
    out.push(row.map((c, i) => (left.has(i) ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd());
    if (n === 0) out.push(widths.map((w) => '-'.repeat(w)).join('  '));
  });
  const idle = rs.filter((r) => typeof r.idle === 'number');
  if (idle.length) {
    const v = idle.map((r) => Math.round(r.idle * 100));
    out.push(`thread runs: the CPUs were ${Math.min(...v)}-${Math.max(...v)}% idle when they started (others' load slows the 2-thread runs most)`);
  }
  return out.join('\n');
}
