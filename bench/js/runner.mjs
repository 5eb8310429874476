// The benchmark loop shared by Node (bench/js/node.mjs) and the page (bench/web/page.mjs).
//
// Implementations come in groups: the implementations of one group are open together and run
// shape by shape, one after the other on the same shape, so that they meet the same machine
// (this one is shared and noisy: ratios of neighbours are what can be trusted). Groups run one
// after the other (portnn keeps one runtime at a time, so each portnn variant is a group).
//
// Timing of one (shape, implementation): the instance was created and run once by prepare()
// (weights packed, buffers touched). A sample times `batch` back-to-back calls, with the batch
// sized so that a sample lasts at least `sampleMs` (the browser's clock is coarse); warm-up
// samples run first, then the median of the timed samples, per call, is the figure. The
// implementations of a group (and portnn's two figures) take their timed samples round-robin on
// each shape, so that load from other processes meets them alike.

import { SECTIONS, filterShapes, makeShapeData } from './suite.mjs';

export const DEFAULT_TIMING = Object.freeze({
  sampleMs: 1,       // minimum duration of one sample
  warmupMs: 40,      // warm-up samples run for at least this long (at least one sample)
  budgetMs: 250,     // timed samples: about this long in all ...
  minSamples: 7,     // ... but at least this many
  maxSamples: 40,
  slowMs: 150,       // a call slower than this gets slowSamples samples and one warm-up
  slowSamples: 3,
});

const now = () => performance.now();

function isPromise(x) {
  return x !== null && typeof x === 'object' && typeof x.then === 'function';
}

// Mean time per call of `batch` calls of fn, in ms. `begin`/`end` run outside the clock.
async function sample(fn, batch, begin, end) {
  if (begin) begin();
  let t0 = now();
  const r = fn();
  if (isPromise(r)) {
    await r;
    for (let i = 1; i < batch; i++) await fn();
  } else {
    for (let i = 1; i < batch; i++) fn();
  }
  const t1 = now();
  if (end) end();
  // A clock that did not move (coarse timers) would report zero: count a tick as its width.
  if (t1 === t0) t0 -= 0.005;
  return (t1 - t0) / batch;
}

function median(sorted) {
  const n = sorted.length;
  return n % 2 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
}

function summarize(times) {
  times.sort((a, b) => a - b);
  const n = times.length;
  const med = median(times);
  const q1 = times[Math.floor((n - 1) / 4)];
  const q3 = times[Math.ceil(3 * (n - 1) / 4)];
  return { median_us: med * 1000, min_us: times[0] * 1000, spread: med > 0 ? (q3 - q1) / med : 0, samples: n };
}

/**
 * Times several functions of one shape round-robin: sample i of every function runs before
 * sample i + 1 of any, so that a burst of load from other processes hits them all alike.
 * entries: [{ fn, begin?, end? }]. Returns one { median_us, min_us, spread, samples, batch } per
 * entry.
 */
export async function measureRoundRobin(entries, timing = DEFAULT_TIMING) {
  const t = { ...DEFAULT_TIMING, ...timing };
  const plans = [];
  for (const e of entries) {
    const estimate = await sample(e.fn, 1, e.begin, e.end);
    plans.push({ e, estimate, batch: Math.max(1, Math.min(1000, Math.ceil(t.sampleMs / Math.max(estimate, 1e-4)))),
                 slow: estimate > t.slowMs, times: [] });
  }
  // Warm-up with the timed batch size (TF.js's allocator then reuses the same, already touched,
  // memory for the timed samples), then the batch and sample count from the warm estimate.
  for (const p of plans) {
    const warmupEnd = now() + t.warmupMs;
    let warm = 0;
    do {
      p.estimate = await sample(p.e.fn, p.batch, p.e.begin, p.e.end);
      warm++;
    } while (!p.slow && now() < warmupEnd && warm < 50);
    p.batch = Math.max(1, Math.min(1000, Math.ceil(t.sampleMs / Math.max(p.estimate, 1e-4))));
    p.count = p.slow ? t.slowSamples
      : Math.max(t.minSamples, Math.min(t.maxSamples, Math.round(t.budgetMs / (p.estimate * p.batch))));
  }
  const rounds = Math.max(...plans.map((p) => p.count));
  for (let i = 0; i < rounds; i++) {
    for (const p of plans) {
      if (i < p.count) p.times.push(await sample(p.e.fn, p.batch, p.e.begin, p.e.end));
    }
  }
  return plans.map((p) => ({ ...summarize(p.times), batch: p.batch }));
}

// Largest |a - b| over max(1, max |ref|): the cross-check of two implementations' outputs.
function relativeError(ref, out) {
  if (!ref || !out || ref.length !== out.length) return Infinity;
  let err = 0;
  let scale = 1;
  for (let i = 0; i < ref.length; i++) {
    const d = Math.abs(ref[i] - out[i]);
    if (!(d <= err)) err = Number.isNaN(d) ? Infinity : d;
    const r = Math.abs(ref[i]);
    if (r > scale) scale = r;
  }
  return err / scale;
}

// Float32 sums of up to ~10^4 terms and the peers' own approximations of sigmoid, tanh, erf and
// exp: a result further than this from the reference is a different function, not rounding.
export const CHECK_TOLERANCE = 1e-3;

// The default cross-check of an output against the shape's reference ({ output, label }).
function compareOutputs(ref, output) {
  const err = relativeError(ref.output, output);
  return { check: err <= CHECK_TOLERANCE ? 'ok' : `differs from ${ref.label} by ${err.toExponential(1)}` };
}

/**
 * Runs the groups over the shapes. Options: { target, modelsDir, timing, filter, onProgress,
 * onLog, makeData, compare }. onProgress({ done, total, shape, impl, record }) after each
 * measurement. makeData(shape, modelsDir) gives a shape's data (default: the suite's,
 * makeShapeData); compare(reference, output) the fields of the cross-check, at least `check`
 * ('ok' or why not; default: compareOutputs). An instance's `fields` (optional) are copied into
 * its record. Resolves to { records, failures, opened }.
 *
 * A group marked `exclusive` holds implementations that cannot be open together (two portnn
 * runtimes, e.g. simd-threads with 1 and with 2 threads): for each shape each of them is opened,
 * measured and closed in turn, `group.rounds` times (default 2: A B A B), and the median over
 * the rounds is its figure. So they still meet the machine within seconds of each other, not
 * one whole suite apart. `options.waitIdle` (async, optional) runs before each shape of an
 * exclusive group (before each measurement when the group is marked `waitEach`) and resolves to
 * { idle, waited_ms }, stored in its records: on a shared machine the thread speed-up only
 * means something when the other processes left the cores free.
 */
export async function runBenchmarks(groups, shapes, options) {
  const { target, modelsDir, timing = DEFAULT_TIMING } = options;
  const makeData = options.makeData || makeShapeData;
  const compare = options.compare || compareOutputs;
  const log = options.onLog || (() => {});
  const progress = options.onProgress || (() => {});
  const selected = filterShapes(shapes, options.filter);
  const total = selected.length * groups.reduce((n, g) => n + g.length, 0);
  const records = [];
  const failures = [];
  const opened = [];  // { label, impl, variant, threads, info, includes }
  const openedLabels = new Set();
  const reference = new Map();  // shape name -> { output, label }: the cross-check's reference
  const fail = (what, e) => {
    failures.push(`${what}: ${e && e.message ? e.message : e}`);
    log(`FAILED ${what}: ${e && e.stack ? e.stack : e}`);
  };
  let done = 0;

  async function open(impl) {
    try {
      const info = await impl.open();
      if (!openedLabels.has(impl.label)) {
        openedLabels.add(impl.label);
        opened.push({ label: impl.label, impl: impl.impl, variant: impl.variant, threads: impl.threads, info, includes: impl.includes });
        log(`opened ${impl.label}: ${JSON.stringify(info)}`);
      }
      return true;
    } catch (e) {
      fail(`${impl.label}: cannot open`, e);
      return false;
    }
  }

  async function close(impl) {
    try { await impl.close(); } catch (e) { fail(`${impl.label}: close`, e); }
  }

  // Prepares the live implementations on one shape, times them round-robin, cross-checks their
  // outputs; returns Map impl -> record.
  async function measureShape(live, shape, data) {
    const byImpl = new Map();
    const ready = [];
    for (const impl of live) {
      try {
        ready.push({ impl, inst: await impl.prepare(shape, data) });
      } catch (e) {
        fail(`${shape.section}/${shape.name}/${impl.label}`, e);
      }
    }
    let results = [];
    if (ready.length) {
      const entries = [];
      for (const { inst } of ready) {
        entries.push({ fn: inst.run, begin: inst.begin, end: inst.end });
        if (inst.runApi) entries.push({ fn: inst.runApi });
      }
      try {
        results = await measureRoundRobin(entries, timing);
      } catch (e) {
        fail(`${shape.section}/${shape.name}`, e);
      }
    }
    let k = 0;
    for (const { impl, inst } of ready) {
      const m = results[k++];
      const api = inst.runApi ? results[k++] : undefined;
      if (!m) continue;
      const record = {
        target, impl: impl.impl, variant: impl.variant, threads: impl.threads,
        shape: shape.name, section: shape.section,
        median_us: round(m.median_us, 3), gflops: round(shape.flops / (m.median_us * 1e3), 4),
        includes: impl.impl === 'portnn' ? 'op' : impl.impl === 'ort-web' ? 'session.run' : 'op call',
        spread: round(m.spread, 3), samples: m.samples, batch: m.batch,
      };
      if (api) record.run_us = round(api.median_us, 3);
      if (inst.kernel) record.kernel = inst.kernel;
      if (inst.fields) Object.assign(record, inst.fields);
      const ref = reference.get(shape.name);
      if (ref === undefined) {
        reference.set(shape.name, { output: inst.output, label: impl.label });
      } else if (ref.label !== impl.label) {  // (a later round of the reference is not checked)
        Object.assign(record, compare(ref, inst.output));
        if (record.check !== 'ok') log(`WARNING ${shape.section}/${shape.name}/${impl.label}: output ${record.check}`);
      }
      byImpl.set(impl, record);
    }
    for (const { inst } of ready) {
      try { await inst.dispose(); } catch (e) { /* reported by its run, if it failed */ }
    }
    return byImpl;
  }

  // The record whose median is the median of the rounds' medians.
  function medianRecord(list) {
    if (list.length === 0) return null;
    const sorted = [...list].sort((a, b) => a.median_us - b.median_us);
    const r = { ...sorted[Math.floor((sorted.length - 1) / 2)] };
    const runs = list.map((x) => x.run_us).filter((x) => x !== undefined).sort((a, b) => a - b);
    if (runs.length) r.run_us = runs[Math.floor((runs.length - 1) / 2)];
    r.rounds = list.length;
    return r;
  }

  for (const group of groups) {
    const live = [];
    if (!group.exclusive) {
      for (const impl of group) {
        if (await open(impl)) live.push(impl); else done += selected.length;
      }
    }
    for (const shape of selected) {
      let data = null;
      try {
        data = await makeData(shape, modelsDir);
      } catch (e) {
        fail(`${shape.section}/${shape.name}`, e);
      }
      let byImpl = new Map();
      if (data !== null && !group.exclusive) {
        byImpl = await measureShape(live, shape, data);
      } else if (data !== null) {
        const waitIdle = async () => {
          if (!options.waitIdle) return null;
          let idle = null;
          try { idle = await options.waitIdle(); } catch (e) { log(`waitIdle: ${e.message}`); }
          if (idle && idle.waited_ms > 1000) log(`waited ${(idle.waited_ms / 1000).toFixed(0)} s for idle CPUs (${Math.round(idle.idle * 100)}% idle)`);
          return idle;
        };
        let idle = await waitIdle();
        const rounds = new Map(group.map((impl) => [impl, []]));
        for (let r = 0; r < (group.rounds || 2); r++) {
          for (const impl of group) {
            // A long measurement (a whole model) waits again before each one.
            if (group.waitEach && (r > 0 || impl !== group[0])) idle = await waitIdle();
            if (!(await open(impl))) continue;
            const m = await measureShape([impl], shape, data);
            if (m.has(impl)) rounds.get(impl).push(idle ? { ...m.get(impl), ...idle } : m.get(impl));
            await close(impl);
          }
        }
        for (const [impl, list] of rounds) {
          if (list.length) byImpl.set(impl, medianRecord(list));
        }
      }
      for (const impl of group.exclusive ? group : live) {
        const record = byImpl.get(impl) || null;
        if (record) records.push(record);
        done++;
        progress({ done, total, shape, impl, record });
      }
    }
    for (const impl of live) await close(impl);
  }
  return { records, failures, opened };
}

function round(x, digits) {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

export { SECTIONS };
