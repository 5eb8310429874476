// The measurement of one zoo model on one implementation, shared by Node (reference.mjs's
// children) and Chromium (bench/web/zoo.mjs, driven by bench/models/chromium.mjs), so that both
// targets' figures mean the same thing. Plain ES module: no Node built-ins.
//
// measure(): the load (from the model's bytes already in memory), the first run on its own, a
// warm-up (at least 3 runs and 0.5 s: WebAssembly code tiers up over its first runs), `runs`
// timed runs one by one (their median), then the outputs of a plain run against the references
// (max |out - ref| / max |ref| over every output). Memory is the caller's (it depends on the
// target: the process's peak RSS in Node, the renderer's in Chromium).
//
// The two web implementations, in the same form for both targets:
//   portnnImpl  loadOnnx ('portnn/onnx'), simd on 1 thread, simd-threads on more; the timed call
//               is OnnxRuntime.run(inputs, outputs) with the output arrays reused (the inputs are
//               copied into module memory, the outputs out of it, every run);
//   ortWebImpl  onnxruntime-web (its wasm execution provider, numThreads fixed before its module
//               starts); the timed call is session.run(feeds, fetches) with the input tensor and
//               a pre-allocated output tensor reused (the result stays in module memory).

/** max |a - b| / max |b| over two equal-length arrays (Infinity when b is all zeros). */
export function disagreement(a, b) {
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < b.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  if (Number.isNaN(diff) || a.length !== b.length) return NaN;
  return scale > 0 ? diff / scale : (diff === 0 ? 0 : Infinity);
}

export const median = (v) => {
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const count = (shape) => shape.reduce((a, d) => a * d, 1);

/**
 * Measures `impl` ({ load(bytes, entry), run(), outputs(), version(), release() }) on a model:
 * `bytes` its file, `entry` its index.json record, `references` { output name: Float32Array }.
 * `onRun(i, ms)`, optional, sees each timed run. Returns { median_us, load_ms, first_run_ms,
 * runs, disagreement, version }.
 */
export async function measure({ bytes, entry, runs, references, onRun = null }, impl) {
  let t = performance.now();
  await impl.load(bytes, entry);
  const loadMs = performance.now() - t;
  t = performance.now();
  await impl.run();
  const firstRunMs = performance.now() - t;
  const warmStart = performance.now();
  for (let i = 0; i < 3 || performance.now() - warmStart < 500; i++) await impl.run();
  const times = [];
  for (let i = 0; i < runs; i++) {
    t = performance.now();
    await impl.run();
    times.push(performance.now() - t);
    if (onRun) onRun(i, times[i]);
  }
  const results = await impl.outputs();
  let worst = 0;
  for (const output of Object.keys(entry.outputs)) {
    const ref = references[output];
    const got = results[output];
    worst = Math.max(worst, !ref || !got ? NaN : disagreement(got, ref));
  }
  const version = impl.version();
  await impl.release();
  return {
    median_us: median(times) * 1e3,
    load_ms: loadMs,
    first_run_ms: firstRunMs,
    runs,
    disagreement: Number.isNaN(worst) ? null : worst,
    version,
  };
}

/**
 * portnn's WebAssembly build: `pnn` is the package's module (init, terminate, info) and
 * `loadOnnx` that of 'portnn/onnx'; `inputs` { input name: Float32Array } in the model's (NCHW)
 * layout; `variant` (default simd on 1 thread, simd-threads on more) for the tests of every
 * variant. init() runs inside load(), so that the load time includes starting the importer module
 * as ONNX Runtime's includes starting its own (see reference.mjs's header).
 */
export function portnnImpl({ pnn, loadOnnx, threads, inputs, variant = threads > 1 ? 'simd-threads' : 'simd' }) {
  let runtime = null;
  const outputs = {};
  return {
    variant,
    includes: 'OnnxRuntime.run(inputs, outputs) with the output arrays reused (copies in and out of module memory)',
    async load(bytes, entry) {
      await pnn.init({ variant, threads });
      runtime = await loadOnnx(bytes);
      for (const [output, shape] of Object.entries(entry.outputs)) outputs[output] = new Float32Array(count(shape));
    },
    run: () => runtime.run(inputs, outputs),
    outputs: () => outputs,
    version: () => `portnn ${pnn.info().isa}`,
    memory: () => runtime.memory(),
    async release() {
      runtime.dispose();
      await pnn.terminate();
    },
  };
}

/** onnxruntime-web (`ort`, its numThreads already set) on the same inputs. */
export function ortWebImpl({ ort, threads, inputs }) {
  let session = null;
  let feeds = null;
  const fetches = {};
  return {
    variant: 'simd-threaded',
    includes: 'session.run(feeds, fetches) with the input and a pre-allocated output reused (NCHW model)',
    async load(bytes, entry) {
      session = await ort.InferenceSession.create(bytes, {
        graphOptimizationLevel: 'all', intraOpNumThreads: threads, executionProviders: ['wasm'],
      });
      feeds = {};
      for (const [input, shape] of Object.entries(entry.inputs)) feeds[input] = new ort.Tensor('float32', inputs[input], shape);
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
      return versions.web || versions.common || '?';
    },
    release: () => session.release(),
  };
}

/**
 * One record from the records of several rounds of one configuration (each a fresh process or
 * page; the configurations of a model take turns round by round, so that a burst of load from
 * other processes meets them alike): the median of the rounds' medians, load and first-run
 * times; the largest peak memory and disagreement; the rounds' medians kept as round_medians_us.
 */
export function combineRounds(records) {
  if (records.length === 1) return records[0];
  const pick = (key) => (records.every((r) => typeof r[key] === 'number') ? median(records.map((r) => r[key])) : null);
  const most = (key) => (records.some((r) => r[key] === null || r[key] === undefined) ? null : Math.max(...records.map((r) => r[key])));
  return {
    ...records[0],
    median_us: pick('median_us'),
    load_ms: pick('load_ms'),
    first_run_ms: pick('first_run_ms'),
    runs: records.reduce((n, r) => n + r.runs, 0),
    rounds: records.length,
    round_medians_us: records.map((r) => r.median_us),
    disagreement: most('disagreement'),
    peak_rss_bytes: most('peak_rss_bytes'),
    base_rss_bytes: pick('base_rss_bytes'),
  };
}
