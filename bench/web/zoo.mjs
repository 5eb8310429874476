// The model zoo's page (zoo.html): measures one zoo model on one implementation, as one of
// reference.mjs's Node children does (bench/models/measure.mjs: same load, first run, warm-up,
// timed runs and reference check), so that the Chromium rows mean what the Node rows mean.
// bench/models/chromium.mjs loads it once per (model, implementation, thread count) in a fresh
// browser and reads window.__zooResult; it also reads the renderer's resident set around the run
// (the page calls window.__zooMark(stage) when the driver provides it: 'base' before the runtime
// is imported, 'done' after the reference check).
//
// Query: model=NAME  impl=portnn|ort-web  threads=N  runs=N  models=URL of the zoo directory
//        variant=scalar|simd|simd-threads (portnn; default simd on 1 thread, simd-threads on more)
//        verbose=1: log every timed run
//        (index.json, <model>.onnx, <model>.<tensor>.npy; default build/models/)
//        show=1: no run; window.__zooShow(records) draws the bar chart of the records given
//        (the driver's, every target's), per model.
import { decodeNpy } from '../models/npy.mjs';
import { measure, ortWebImpl, portnnImpl } from '../models/measure.mjs';

const query = new URLSearchParams(location.search);
const $ = (id) => document.getElementById(id);
const log = (line) => {
  console.log(`[zoo] ${line}`);
  $('log').textContent += `${line}\n`;
};

async function fetchBytes(url) {
  const r = await fetch(url);
  if (!r.ok) throw new Error(`cannot fetch ${url}: HTTP ${r.status}`);
  return new Uint8Array(await r.arrayBuffer());
}

const mark = async (stage) => {
  if (typeof globalThis.__zooMark === 'function') await globalThis.__zooMark(stage);
};

async function run() {
  const result = { done: false, ok: false, record: null, failures: [], error: null };
  window.__zooResult = result;
  try {
    const model = query.get('model');
    const impl = query.get('impl');
    const threads = Number(query.get('threads') || '1');
    const runs = Number(query.get('runs') || '10');
    const verbose = query.get('verbose') === '1';  // every timed run's time in the log
    const dir = new URL((query.get('models') || 'build/models/').replace(/\/?$/, '/'), new URL('../../', import.meta.url));
    if (!model || !['portnn', 'ort-web'].includes(impl) || !(threads >= 1) || !(runs >= 1)) {
      throw new Error(`bad query: model=${model} impl=${impl} threads=${threads} runs=${runs}`);
    }
    if (threads > 1 && !globalThis.crossOriginIsolated) throw new Error('threads need a cross-origin-isolated page (COOP/COEP)');
    const index = JSON.parse(new TextDecoder().decode(await fetchBytes(new URL('index.json', dir))));
    const entry = index.models[model];
    if (!entry) throw new Error(`${model} is not in ${dir}index.json`);
    const bytes = await fetchBytes(new URL(entry.file, dir));
    const npy = async (tensor) => decodeNpy(await fetchBytes(new URL(`${model}.${tensor}.npy`, dir))).data;
    const inputs = {};
    for (const input of Object.keys(entry.inputs)) inputs[input] = await npy(input);
    const references = {};
    for (const output of Object.keys(entry.outputs)) references[output] = await npy(output);
    log(`${model}: ${bytes.length} bytes; ${impl} ${threads}T, ${runs} runs`);
    await mark('base');
    let measured;
    if (impl === 'portnn') {
      const pnn = await import('../../wasm/index.js');
      const { loadOnnx } = await import('../../wasm/src/onnx.js');
      const variant = query.get('variant') || undefined;  // the tests pick each variant
      measured = portnnImpl({ pnn, loadOnnx, threads, inputs, variant });
    } else {
      const ort = await import('onnxruntime-web');
      ort.env.wasm.numThreads = threads;
      ort.env.wasm.proxy = false;
      ort.env.logLevel = 'error';
      measured = ortWebImpl({ ort, threads, inputs });
    }
    const figures = await measure({
      bytes, entry, runs, references,
      onRun: (i, ms) => { if (verbose || i === 0 || i === runs - 1) log(`run ${i + 1}/${runs}: ${ms.toFixed(2)} ms`); },
    }, measured);
    await mark('done');
    result.record = {
      target: 'chromium', impl, variant: measured.variant, threads, shape: `models/${model}`,
      section: 'models', gflops: null, ...figures, includes: measured.includes,
    };
    result.ok = figures.disagreement !== null && figures.disagreement <= 1e-4;
    $('message').textContent = `done: median ${(figures.median_us / 1e3).toFixed(2)} ms, load ${figures.load_ms.toFixed(1)} ms, ` +
      `max |out - ref| / max |ref| ${figures.disagreement === null ? 'not checked' : figures.disagreement.toExponential(2)}`;
  } catch (e) {
    result.error = e && e.stack ? e.stack : String(e);
    result.failures.push(result.error);
    $('message').className = 'error';
    $('message').textContent = `ERROR: ${e && e.message ? e.message : e}`;
  } finally {
    result.done = true;
  }
}

const COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#17becf',
                '#bcbd22', '#d62728', '#aec7e8', '#ffbb78'];
const TARGETS = ['native', 'node', 'chromium'];
const label = (r) => `${r.target} ${r.impl}${r.impl === 'portnn' ? ` ${r.variant}` : ''} ${r.threads}T`;

/** The bar chart of zoo records: per model, a bar per configuration, length = speed relative to the fastest. */
function show(records) {
  const rs = records.filter((r) => r.section === 'models' && r.median_us > 0);
  const configs = [...new Set(rs.map(label))].sort((a, b) => {
    const ra = rs.find((r) => label(r) === a);
    const rb = rs.find((r) => label(r) === b);
    return TARGETS.indexOf(ra.target) - TARGETS.indexOf(rb.target) ||
           (ra.impl === 'portnn' ? 0 : 1) - (rb.impl === 'portnn' ? 0 : 1) || ra.threads - rb.threads || a.localeCompare(b);
  });
  const models = [...new Set(rs.map((r) => r.shape.slice('models/'.length)))];
  const chart = $('chart');
  chart.textContent = '';
  const legend = document.createElement('div');
  legend.className = 'legend';
  configs.forEach((c, i) => {
    const s = document.createElement('span');
    const box = document.createElement('i');
    box.style.background = COLORS[i % COLORS.length];
    s.append(box, c);
    legend.append(s);
  });
  chart.append(legend);
  const note = document.createElement('div');
  note.textContent = 'Bars: speed relative to the fastest configuration on each model (longer is faster); ' +
                     'labels: median ms per run (load ms, peak MB). Hover a bar for the details.';
  chart.append(note);
  const NS = 'http://www.w3.org/2000/svg';
  const labelW = 10;
  const barW = 480;
  const barH = 12;
  for (const m of models) {
    const h3 = document.createElement('h3');
    h3.textContent = m;
    chart.append(h3);
    const mine = rs.filter((r) => r.shape === `models/${m}`);
    const best = Math.min(...mine.map((r) => r.median_us));
    const svg = document.createElementNS(NS, 'svg');
    svg.setAttribute('width', labelW + barW + 420);
    svg.setAttribute('height', configs.length * barH + 4);
    configs.forEach((c, ci) => {
      const r = mine.find((x) => label(x) === c);
      if (!r) return;
      const w = Math.max(1, (best / r.median_us) * barW);
      const rect = document.createElementNS(NS, 'rect');
      rect.setAttribute('x', labelW);
      rect.setAttribute('y', ci * barH + 2);
      rect.setAttribute('width', w);
      rect.setAttribute('height', barH - 2);
      rect.setAttribute('fill', COLORS[ci % COLORS.length]);
      const title = document.createElementNS(NS, 'title');
      title.textContent = `${c}: median ${(r.median_us / 1e3).toFixed(2)} ms, load ${r.load_ms?.toFixed(1)} ms, ` +
        `first run ${r.first_run_ms?.toFixed(1)} ms, disagreement ${r.disagreement}`;
      rect.append(title);
      svg.append(rect);
      const v = document.createElementNS(NS, 'text');
      v.setAttribute('x', labelW + w + 4);
      v.setAttribute('y', ci * barH + barH);
      const mb = r.peak_rss_bytes ? `, ${(r.peak_rss_bytes / 2 ** 20).toFixed(0)} MB` : '';
      v.textContent = `${(r.median_us / 1e3).toFixed(2)} ms (load ${r.load_ms?.toFixed(0)} ms${mb}) ${c}`;
      svg.append(v);
    });
    chart.append(svg);
  }
  $('message').textContent = `${rs.length} records, ${models.length} models`;
}

if (query.get('show') === '1') {
  globalThis.__zooShow = show;
  window.__zooResult = { done: true, ok: true, failures: [] };
  $('message').textContent = 'waiting for records (window.__zooShow(records))';
} else {
  run();
}
