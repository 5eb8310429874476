// The browser test page: loads the portnn package from wasm/ (relative import, as an app
// would), initializes it with the options of the query string, runs every operator once against
// the double reference (cases.mjs), and reports.
//
//   index.html?variant=auto|scalar|simd|simd-threads|relaxed-simd|relaxed-simd-threads&threads=N
//
// The report is window.__portnnResult = { done, ok, options, crossOriginIsolated, features,
// info, initMs, cases: [...], warnings: [...], error }, also shown as a table.
import * as pnn from '../../wasm/index.js';
import { runCases } from './cases.mjs';

const query = new URLSearchParams(location.search);
const options = {};
if (query.has('variant')) options.variant = query.get('variant');
if (query.has('threads')) options.threads = Number(query.get('threads'));

const result = {
  done: false,
  ok: false,
  options,
  crossOriginIsolated: globalThis.crossOriginIsolated === true,
  hardwareConcurrency: navigator.hardwareConcurrency,
  features: null,
  info: null,
  initMs: 0,
  cases: [],
  warnings: [],
  error: null,
};

// The package reports its fallbacks (e.g. threads unavailable) through console.warn.
const consoleWarn = console.warn;
console.warn = (...args) => {
  result.warnings.push(args.map(String).join(' '));
  consoleWarn.apply(console, args);
};

function render() {
  const summary = document.getElementById('summary');
  const i = result.info;
  const passed = result.cases.filter((c) => c.ok).length;
  summary.className = result.ok ? 'pass' : 'fail';
  summary.textContent = result.error
    ? `ERROR: ${result.error}`
    : `${result.ok ? 'PASS' : 'FAIL'}: variant ${i.variant}, isa ${i.isa}, ${i.threads} thread(s), ` +
      `crossOriginIsolated ${result.crossOriginIsolated}; ${passed}/${result.cases.length} ` +
      `operators match the reference (init ${result.initMs.toFixed(0)} ms)`;
  const body = document.querySelector('#cases tbody');
  for (const c of result.cases) {
    const tr = document.createElement('tr');
    const cells = [c.name, c.ok ? 'ok' : `FAIL ${c.failures}/${c.count}: ${c.first}`,
                   c.maxErrorOverTol.toFixed(3), c.kernel, c.ms.toFixed(1)];
    cells.forEach((text, k) => {
      const td = document.createElement('td');
      if (k === 1) td.className = c.ok ? 'pass' : 'fail';
      if (k === 3) {
        const code = document.createElement('code');
        code.textContent = text;
        td.appendChild(code);
      } else {
        td.textContent = text;
      }
      tr.appendChild(td);
    });
    body.appendChild(tr);
  }
}

try {
  result.features = pnn.detectFeatures();
  const t0 = performance.now();
  await pnn.init(options);
  result.initMs = performance.now() - t0;
  result.info = pnn.info();
  result.cases = runCases(pnn);
  await pnn.terminate();
  result.ok = result.cases.length > 0 && result.cases.every((c) => c.ok);
} catch (e) {
  result.error = e && e.stack ? e.stack : String(e);
  result.ok = false;
}
result.done = true;
globalThis.__portnnResult = result;
render();
