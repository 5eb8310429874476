// The benchmark page: runs bench/js/runner.mjs in this browser with the form's (or the query's)
// settings, shows progress, then a bar chart and the text tables. The headless run
// (bench/js/chromium.mjs) loads this same page with ?autorun=1 and reads window.__benchResult;
// progress lines go to the console prefixed with "[bench]" for it to relay.
//
// Query: variants=simd,simd-threads,scalar  threads=N  peers=0|1  peerThreads=1  filter=REGEX
//        quick=1  models=DIR (default build/bench-models)  plan=peer-threads  autorun=1
//        plan=model | plan=model-threads: the model section (bench/js/model.mjs) instead of the
//        suite; next=model-threads chains the second page after the first (the form sets it;
//        the headless driver loads both pages itself and shows them together through
//        window.__benchShow(earlierRecords) before its screenshot)
import * as env from '../js/env.mjs';
import { formatModelTable, modelBenchmark } from '../js/model.mjs';
import { parseVariants, plan, planPeerThreads } from '../js/plan.mjs';
import { DEFAULT_TIMING, runBenchmarks } from '../js/runner.mjs';
import { filterShapes, loadSuite } from '../js/suite.mjs';
import { analyze, configKey, configLabel, formatTables, mergeRecords } from '../js/table.mjs';

const query = new URLSearchParams(location.search);
const form = document.getElementById('form');
const $ = (id) => document.getElementById(id);

// The form reflects the query so that a reload (or a shared link) reruns the same thing.
if (query.has('variants')) {
  const v = new Set(query.get('variants').split(','));
  for (const box of form.querySelectorAll('input[name=variant]')) box.checked = v.has(box.value);
}
form.threads.value = query.get('threads') || String(Math.max(2, navigator.hardwareConcurrency || 2));
if (query.has('peers')) form.peers.checked = query.get('peers') !== '0';
if (query.has('peerThreads')) form.peerThreads.checked = query.get('peerThreads') === '1';
if (query.has('filter')) form.filter.value = query.get('filter');
if (query.has('quick')) form.quick.checked = query.get('quick') === '1';
const modelPart = ['model', 'model-threads'].includes(query.get('plan')) ? query.get('plan') : null;
form.model.checked = modelPart !== null;

function log(line) {
  // eslint-disable-next-line no-console
  console.log(`[bench] ${line}`);
}

const COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#17becf'];

// What a configuration's figure is, for the legend.
function figureOf(c, model) {
  if (model) return c.impl === 'portnn' ? ' (run())' : c.impl === 'ort-web' ? ' (session.run, NCHW)' : ' (predict)';
  return c.impl === 'portnn' ? ' (op)' : c.impl === 'ort-web' ? ' (session.run, NCHW)' : ' (op call)';
}

// One chart per section: per shape, a bar per configuration, length = GFLOP/s relative to the
// fastest on that shape (longer is faster), labeled with the time. The model section is one
// "shape", MobileNet v2.
function drawChart(records, model = false) {
  const a = analyze(records);
  const chart = $('chart');
  chart.textContent = '';
  const colorOf = new Map(a.configs.map((c, i) => [configKey(c), COLORS[i % COLORS.length]]));
  const legend = document.createElement('div');
  legend.className = 'legend';
  for (const c of a.configs) {
    const s = document.createElement('span');
    const i = document.createElement('i');
    i.style.background = colorOf.get(configKey(c));
    s.append(i, configLabel(c) + figureOf(c, model));
    legend.append(s);
  }
  chart.append(legend);
  const note = document.createElement('div');
  note.textContent = 'Bars: speed relative to the fastest configuration on each shape (longer is faster); ' +
                     'labels: median time per call. Hover a bar for GFLOP/s and the kernel.';
  chart.append(note);
  const NS = 'http://www.w3.org/2000/svg';
  const labelW = 150;
  const barW = 560;
  const barH = 9;
  for (const section of model ? ['model'] : ['gemm', 'conv', 'pool', 'elementwise']) {
    const rows = a.rows.filter((r) => r.section === section);
    if (rows.length === 0) continue;
    const h3 = document.createElement('h3');
    const g = a.sections[section];
    h3.textContent = (model ? 'model: MobileNet v2 1.0, 224x224' : section) + (g && g.length ? (model ? ' — ' : ' — geometric mean ') +
      a.ratioColumns.map((c, i) => `${c.label} ${g[i] === null ? '-' : g[i].toFixed(2)}`).join(', ') : '');
    chart.append(h3);
    const per = a.configs.length * barH + 8;
    const svg = document.createElementNS(NS, 'svg');
    svg.setAttribute('width', labelW + barW + 120);
    svg.setAttribute('height', rows.length * per + 4);
    rows.forEach((row, ri) => {
      const y0 = ri * per + 2;
      const t = document.createElementNS(NS, 'text');
      t.setAttribute('x', 0);
      t.setAttribute('y', y0 + per / 2 + 2);
      t.textContent = row.shape;
      svg.append(t);
      const best = Math.max(...[...row.results.values()].map((r) => r.gflops || 0));
      a.configs.forEach((c, ci) => {
        const r = row.results.get(configKey(c));
        if (!r) return;
        const w = best > 0 ? Math.max(1, (r.gflops / best) * barW) : 1;
        const rect = document.createElementNS(NS, 'rect');
        rect.setAttribute('x', labelW);
        rect.setAttribute('y', y0 + ci * barH);
        rect.setAttribute('width', w);
        rect.setAttribute('height', barH - 1);
        rect.setAttribute('fill', colorOf.get(configKey(c)));
        const title = document.createElementNS(NS, 'title');
        title.textContent = `${configLabel(c)}: ${r.median_us.toFixed(1)} us, ${r.gflops.toFixed(2)} GFLOP/s${r.kernel ? `, ${r.kernel}` : ''}`;
        rect.append(title);
        svg.append(rect);
        const v = document.createElementNS(NS, 'text');
        v.setAttribute('x', labelW + w + 4);
        v.setAttribute('y', y0 + ci * barH + barH - 1);
        v.textContent = `${r.median_us >= 1000 ? (r.median_us / 1000).toFixed(2) + ' ms' : r.median_us.toFixed(1) + ' us'}`;
        svg.append(v);
      });
    });
    chart.append(svg);
  }
}

let running = false;
const format = modelPart === null ? formatTables : formatModelTable;

// The records of earlier pages and this one's together (this page's replace the same
// configurations): chart and tables.
function showMerged(earlier, records) {
  const merged = mergeRecords(earlier, records);
  $('table').textContent = format(merged, { title: `== ${env.targetName()}: this page and the one before` });
  drawChart(merged, modelPart !== null);
}

async function run() {
  if (running) return;
  running = true;
  $('run').disabled = true;
  const result = { done: false, ok: false, records: [], failures: [], opened: [], error: null, text: '' };
  window.__benchResult = result;
  try {
    const info = await env.engineInfo();
    result.info = info;
    const variants = parseVariants([...form.querySelectorAll('input[name=variant]:checked')].map((b) => b.value).join(',') || 'simd');
    const threads = Math.max(1, Number(form.threads.value) || 2);
    const modelsDir = query.get('models') || 'build/bench-models';
    const model = modelPart === null ? null
      : modelBenchmark({ part: modelPart, threads, modelsDir, env, quick: form.quick.checked });
    const shapes = filterShapes(model ? model.shapes : await loadSuite('bench/suite.json'), form.filter.value.trim());
    if (shapes.length === 0) throw new Error('no shape matches the filter');
    const peerPlan = query.get('plan') === 'peer-threads';
    if (!peerPlan && !model && form.peerThreads.checked) {
      // TF.js picks its binary once per page: the threaded comparison runs after a reload (the
      // headless driver loads that page itself and never sets peerThreads).
      sessionStorage.setItem('portnn-bench-next', 'peer-threads');
    }
    const groups = model ? model.groups
      : peerPlan ? planPeerThreads({ threads, modelsDir, env })
      : plan({ variants, threads, peers: form.peers.checked, modelsDir, env });
    const timing = form.quick.checked ? { ...DEFAULT_TIMING, budgetMs: 60, minSamples: 3, warmupMs: 10 }
                                      : { ...DEFAULT_TIMING };
    // The browser's clock is coarse (5 us cross-origin isolated, 100 us otherwise): longer samples.
    timing.sampleMs = info.crossOriginIsolated ? 2 : 20;
    $('env').textContent = `${info.engine}, ${info.cores} logical CPUs, crossOriginIsolated ${info.crossOriginIsolated}` +
      (info.crossOriginIsolated ? '' : ' (threads unavailable: serve with COOP/COEP, see above)');
    const total = shapes.length * groups.reduce((n, g) => n + g.length, 0);
    log(`${info.engine}, ${info.cores} logical CPUs, crossOriginIsolated ${info.crossOriginIsolated}; ` +
        `${shapes.length} shape(s), ${total} measurement(s): ${groups.map((g) => g.map((i) => i.label).join(' + ')).join(' | ')}`);
    $('progress').max = total;
    const started = performance.now();
    let line = [];
    const r = await runBenchmarks(groups, shapes, {
      target: env.targetName(),
      modelsDir,
      timing,
      ...(model ? model.options : {}),
      // Provided by the headless driver (bench/js/chromium.mjs), which can read the machine's load.
      waitIdle: typeof globalThis.__benchWaitIdle === 'function' ? () => globalThis.__benchWaitIdle() : null,
      onLog: (m) => { if (/^(FAILED|WARNING|opened|waited)/.test(m)) log(m); },
      onProgress: ({ done, shape, impl, record }) => {
        $('progress').value = done;
        $('message').textContent = `${done}/${total}: ${shape.section}/${shape.name} ${impl.label}`;
        line.push(record ? `${impl.label} ${record.median_us.toFixed(1)} us${record.run_us !== undefined ? ` (run() ${record.run_us.toFixed(1)})` : ''}`
                         : `${impl.label} FAILED`);
        const group = groups.find((g) => g.includes(impl));
        if (impl === group[group.length - 1]) {
          const secs = ((performance.now() - started) / 1000).toFixed(0);
          log(`[${String(done).padStart(String(total).length)}/${total} ${secs.padStart(4)}s] ${env.targetName()} ` +
              `${`${shape.section}/${shape.name}`.padEnd(30)} ${line.join(', ')}`);
          line = [];
        }
      },
    });
    Object.assign(result, r);
    result.text = format(r.records, {
      title: `== ${env.targetName()}: ${info.engine}, ${info.cores} logical CPUs, crossOriginIsolated ${info.crossOriginIsolated} ` +
             `(${((performance.now() - started) / 1000).toFixed(0)} s)`,
      includes: ['what each figure includes:', ...r.opened.map((o) => `  ${o.label}: ${o.includes}; ${JSON.stringify(o.info)}`)],
    });
    $('table').textContent = result.text + (r.failures.length ? `\n\nfailures:\n  ${r.failures.join('\n  ')}` : '');
    drawChart(r.records, model !== null);
    result.ok = r.failures.length === 0;
    $('message').textContent = `done: ${r.records.length} results${r.failures.length ? `, ${r.failures.length} failure(s)` : ''}`;
    // The headless driver shows its earlier pages' records with this page's before its screenshot.
    globalThis.__benchShow = (earlier) => showMerged(earlier, r.records);
    const next = !peerPlan && !model && sessionStorage.getItem('portnn-bench-next') === 'peer-threads' ? 'peer-threads'
      : modelPart === 'model' && query.get('next') === 'model-threads' && info.crossOriginIsolated ? 'model-threads' : null;
    if (next !== null) {
      sessionStorage.removeItem('portnn-bench-next');
      sessionStorage.setItem('portnn-bench-previous', JSON.stringify(r.records));
      const q = new URLSearchParams(location.search);
      q.set('plan', next);
      q.delete('next');
      q.set('threads', String(threads));
      q.set('autorun', '1');
      q.set('merge', '1');
      location.search = q.toString();
      return;
    }
    if ((peerPlan || modelPart === 'model-threads') && query.get('merge') === '1') {
      // Show the earlier run and this one together (the page's own view only).
      showMerged(JSON.parse(sessionStorage.getItem('portnn-bench-previous') || '[]'), r.records);
    }
  } catch (e) {
    result.error = e && e.stack ? e.stack : String(e);
    result.failures.push(result.error);
    $('message').innerHTML = '';
    const span = document.createElement('span');
    span.className = 'error';
    span.textContent = `ERROR: ${e && e.message ? e.message : e}`;
    $('message').append(span);
    log(`ERROR ${result.error}`);
  } finally {
    result.done = true;
    running = false;
    $('run').disabled = false;
  }
}

form.addEventListener('submit', (e) => {
  e.preventDefault();
  // Each run gets a fresh page: TF.js keeps its first backend, portnn its memory.
  const q = new URLSearchParams();
  q.set('variants', [...form.querySelectorAll('input[name=variant]:checked')].map((b) => b.value).join(','));
  q.set('threads', form.threads.value);
  q.set('peers', form.peers.checked ? '1' : '0');
  if (form.peerThreads.checked) q.set('peerThreads', '1');
  if (form.filter.value.trim()) q.set('filter', form.filter.value.trim());
  if (form.quick.checked) q.set('quick', '1');
  if (query.get('models')) q.set('models', query.get('models'));
  if (form.model.checked) {
    q.set('plan', 'model');
    q.set('next', 'model-threads');
  }
  q.set('autorun', '1');
  location.search = q.toString();
});

if (query.get('autorun') === '1') run();
