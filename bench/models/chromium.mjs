#!/usr/bin/env node
// The model zoo in headless Chromium: the Chromium rows of the `models` benchmark. Per model and
// per configuration (portnn's WebAssembly build through loadOnnx, simd on 1 thread and
// simd-threads on N; onnxruntime-web, numThreads 1 and N) a fresh browser opens
// bench/web/zoo.html, which measures it as reference.mjs's Node children do
// (bench/models/measure.mjs: load from the bytes in memory, first run, warm-up, --runs timed runs,
// their median, the outputs against the .npy references of reference.mjs).
//
//   node bench/models/chromium.mjs [--models DIR] [--only NAME,...] [--filter REGEX]
//        [--impls portnn,ort-web] [--threads 1,2] [--runs N] [--quick] [--json FILE]
//        [--screenshot PNG] [--timeout-min M] [--rounds R]
//
// Peak memory: the peak resident set (VmHWM of /proc/<pid>/status) of the page's renderer
// process, which holds the page, its wasm memories and its worker threads (dedicated workers run
// in the renderer); a fresh browser per configuration, so that the peak is that configuration's.
// The renderers are listed through the DevTools protocol (SystemInfo.getProcessInfo); the page's
// is the one with the largest peak when the page is done (it holds the runtime and the model); its
// resident set when the page had its inputs but had not imported the runtime yet is base_rss_bytes.
// Multi-thread configurations first wait (bounded) for idle CPUs (bench/js/idle.mjs). --rounds R
// (default 1): the configurations of a model take turns R times, each time in a fresh browser,
// and the record is the median of the R medians (measure.mjs combineRounds()): on this shared,
// noisy machine a burst of others' load then meets every configuration alike.
//
// Records (appended to --json, default build/bench-results.json) are reference.mjs's with target
// "chromium": {"target": "chromium", "impl": "portnn"|"ort-web", "variant": "simd"|"simd-threads"|
// "simd-threaded", "threads", "shape": "models/<name>", "section": "models", "median_us",
// "load_ms", "first_run_ms", "runs", "disagreement", "peak_rss_bytes", "base_rss_bytes",
// "memory", "version", "includes"}. --screenshot saves bench/web/zoo.html?show=1 drawing every
// zoo record of the JSON file (all targets) as a bar chart.
// Exits 1 when a configuration fails or an output is above 1e-4 of its reference.
// Needs /usr/bin/chromium, playwright-core (npm ci), wasm/dist (scripts/build-wasm.sh) and the
// zoo with its references (export_zoo.py, reference.mjs).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';

import { startServer } from '../../tests/web/server.mjs';
import { parseOptions } from '../js/args.mjs';
import { idleWaiter } from '../js/idle.mjs';
import { appendRecords } from '../js/results.mjs';
import { combineRounds } from './measure.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..', '..');
const CHROMIUM = process.env.PORTNN_CHROMIUM || '/usr/bin/chromium';
// The flags that work on this project's machines (as root, no network): /work/shared/TOOLCHAIN.md.
export const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];
const MEMORY = "peak RSS of the page's renderer process (VmHWM; page, wasm memories and worker threads)";

function usage(code) {
  const text = fs.readFileSync(fileURLToPath(import.meta.url), 'utf8')
    .split('\n').filter((l) => l.startsWith('//')).slice(7, 10).map((l) => l.slice(3)).join('\n');
  (code === 0 ? console.log : console.error)(`Usage:\n${text}`);
  process.exit(code);
}

/** VmRSS and VmHWM of a process, in bytes (null when it is gone). */
export function residentSet(pid) {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key) => Number((status.match(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm')) || [])[1]) * 1024;
    return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
  } catch {
    return null;
  }
}

/** The renderer processes' ids of a Chromium browser (DevTools protocol). */
async function rendererPids(browser) {
  const cdp = await browser.newBrowserCDPSession();
  try {
    const { processInfo } = await cdp.send('SystemInfo.getProcessInfo');
    return processInfo.filter((p) => p.type === 'renderer').map((p) => p.id);
  } finally {
    await cdp.detach().catch(() => {});
  }
}

/**
 * Opens `url` in a fresh Chromium and waits for the page's window[resultName].done; `marks`
 * tracks the renderer's memory when the page calls window.__zooMark(stage). Relays the page's
 * "[zoo]" lines through `onLine`. Resolves to { result, errors, memory: { base, peak } }.
 */
export async function runZooPage(url, { timeoutMs = 10 * 60000, resultName = '__zooResult', onLine = null,
                                        screenshot = null, beforeShot = null } = {}) {
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, timeout: 60000 });
  const errors = [];
  const memory = { pid: null, base: null, peak: null };
  try {
    const page = await browser.newPage();
    // The renderers' resident sets at 'base'; at 'done', the page's renderer is the one with the
    // largest peak (it holds the runtime and the model), whose 'base' figure is the base.
    const bases = new Map();
    await page.exposeFunction('__zooMark', async (stage) => {
      const pids = await rendererPids(browser);
      if (stage === 'base') {
        for (const pid of pids) {
          const m = residentSet(pid);
          if (m) bases.set(pid, m.rss);
        }
      } else if (stage === 'done') {
        let best = null;
        for (const pid of pids) {
          const m = residentSet(pid);
          if (m && (best === null || m.hwm > best.hwm)) best = { pid, ...m };
        }
        if (best) {
          memory.pid = best.pid;
          memory.peak = best.hwm;
          memory.base = bases.has(best.pid) ? bases.get(best.pid) : null;
          memory.renderers = pids.length;
        }
      }
    });
    page.on('console', (m) => {
      const text = m.text();
      if (text.startsWith('[zoo] ')) { if (onLine) onLine(text.slice(6)); } else if (m.type() === 'error') errors.push(`console.error: ${text}`);
    });
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.stack || e.message}`));
    page.on('requestfailed', (r) => errors.push(`requestfailed: ${r.url()} ${r.failure()?.errorText}`));
    page.on('response', (r) => { if (r.status() >= 400) errors.push(`HTTP ${r.status()}: ${r.url()}`); });
    await page.goto(url, { waitUntil: 'load', timeout: 60000 });
    await page.waitForFunction((name) => globalThis[name] && globalThis[name].done, resultName,
                               { timeout: timeoutMs, polling: 250 });
    if (beforeShot) await beforeShot(page);
    if (screenshot) {
      await page.setViewportSize({ width: 1280, height: 900 });
      await page.screenshot({ path: screenshot, fullPage: true });
    }
    const result = await page.evaluate((name) => globalThis[name], resultName);
    return { result, errors, memory, version: browser.version() };
  } catch (e) {
    return { result: null, errors: [...errors, `page: ${e.message}`], memory, version: browser.version() };
  } finally {
    await browser.close().catch(() => {});
  }
}

const fmtMs = (ms) => (ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2));

async function main(argv) {
  const opts = parseOptions('chromium.mjs', argv, {
    models: process.env.PORTNN_ZOO_DIR || path.join(ROOT, 'build', 'models'), only: '', filter: '',
    impls: 'portnn,ort-web', threadList: '1,2', runs: 0, quick: false, timeoutMin: 10,
    json: path.join(ROOT, 'build', 'bench-results.json'), screenshot: null, threads: 1, rounds: 1,
  }, {
    '--models': ['models', String], '--only': ['only', String], '--filter': ['filter', String],
    '--impls': ['impls', String], '--threads': ['threadList', String], '--runs': ['runs', Number],
    '--quick': ['quick', true], '--json': ['json', String], '--screenshot': ['screenshot', String],
    '--timeout-min': ['timeoutMin', Number], '--rounds': ['rounds', Number],
  }, usage);
  if (!Number.isInteger(opts.rounds) || opts.rounds < 1) throw new Error('--rounds: a positive integer');
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found (apt-get install chromium)`);
  const dir = path.resolve(opts.models);
  const indexFile = path.join(dir, 'index.json');
  if (!fs.existsSync(indexFile)) throw new Error(`${indexFile} not found: export the zoo first (bench/models/export_zoo.py)`);
  const index = JSON.parse(fs.readFileSync(indexFile, 'utf8')).models;
  const filter = opts.filter ? new RegExp(opts.filter) : null;
  const names = (opts.only ? opts.only.split(',').filter(Boolean) : Object.keys(index))
    .filter((n) => !filter || filter.test(`models/${n}`));
  for (const n of names) if (!index[n]) throw new Error(`${n}: not in ${indexFile}`);
  const impls = opts.impls.split(',').filter(Boolean);
  for (const i of impls) if (!['portnn', 'ort-web'].includes(i)) throw new Error(`unknown implementation '${i}' (portnn, ort-web)`);
  const threadList = opts.threadList.split(',').map(Number);
  if (!threadList.every((t) => Number.isInteger(t) && t > 0)) throw new Error('--threads: a list of positive integers');
  const runs = opts.runs > 0 ? opts.runs : (opts.quick ? 3 : 10);
  const configs = impls.flatMap((impl) => threadList.map((t) => [impl, t]));
  const server = await startServer({ root: ROOT, isolated: true, mounts: { '/zoo/': dir } });
  const waitIdle = idleWaiter();
  const rows = [];
  let status = 0;
  let k = 0;
  let version = '';
  console.log(`models (chromium): ${names.length} models x ${configs.length} configurations, ${runs} runs each; ` +
              `load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  try {
    const total = names.length * configs.length * opts.rounds;
    for (const name of names) {
      const perConfig = configs.map(() => []);
      for (let round = 0; round < opts.rounds; round++) {
        for (const [c, [impl, threads]] of configs.entries()) {
          k++;
          const prefix = `models [${k}/${total}] chromium ${impl} ${threads}T ${name}` +
                         (opts.rounds > 1 ? ` (round ${round + 1}/${opts.rounds})` : '');
          const idle = threads > 1 ? await waitIdle() : null;
          const q = new URLSearchParams({ model: name, impl, threads: String(threads), runs: String(runs), models: 'zoo/' });
          const page = await runZooPage(`${server.url}bench/web/zoo.html?${q}`, { timeoutMs: opts.timeoutMin * 60000 });
          version = page.version || version;
          const r = page.result && page.result.record;
          if (!r) {
            status = 1;
            const why = page.result && page.result.error ? page.result.error.split('\n')[0] : page.errors.slice(0, 5).join('; ');
            console.log(`${prefix}: FAILED: ${why}`);
            continue;
          }
          const ok = typeof r.disagreement === 'number' && r.disagreement <= 1e-4;
          if (!ok) status = 1;
          perConfig[c].push({
            ...r, peak_rss_bytes: page.memory.peak, base_rss_bytes: page.memory.base, memory: MEMORY,
            version: `${r.version}; chromium ${page.version}`, ...(idle ? { idle: idle.idle } : {}),
          });
          console.log(`${prefix}: load ${fmtMs(r.load_ms)} ms, first run ${fmtMs(r.first_run_ms)} ms, ` +
                      `median ${fmtMs(r.median_us / 1e3)} ms, peak renderer RSS ` +
                      `${page.memory.peak ? (page.memory.peak / 2 ** 20).toFixed(0) : '?'} MB ` +
                      `(base ${page.memory.base ? (page.memory.base / 2 ** 20).toFixed(0) : '?'} MB), ` +
                      `max |out - ref| / max |ref| ${typeof r.disagreement === 'number' ? r.disagreement.toExponential(2) : 'not checked'}` +
                      `${ok ? '' : ' ABOVE 1e-4'}${idle ? `, idle ${idle.idle}` : ''}`);
        }
      }
      for (const records of perConfig) if (records.length) rows.push(combineRounds(records));
    }
    if (rows.length) console.log(`models (chromium ${version}): ${appendRecords(opts.json, rows)} records in ${opts.json}`);
    if (opts.screenshot) {
      const all = JSON.parse(fs.readFileSync(opts.json, 'utf8')).filter((r) => r.section === 'models');
      const shot = await runZooPage(`${server.url}bench/web/zoo.html?show=1`, {
        screenshot: opts.screenshot, beforeShot: (page) => page.evaluate((rs) => globalThis.__zooShow(rs), all),
      });
      if (!shot.result) {
        status = 1;
        console.log(`models (chromium): the chart page failed: ${shot.errors.slice(0, 3).join('; ')}`);
      } else {
        console.log(`models (chromium): chart of ${all.length} zoo records saved as ${opts.screenshot}`);
      }
    }
  } finally {
    await server.close();
  }
  return status;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (e) => {
    console.error(`models chromium.mjs: ${e.message}`);
    process.exitCode = 1;
  });
}
