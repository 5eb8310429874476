#!/usr/bin/env node
// The JS benchmarks in headless Chromium: serves the repository on 127.0.0.1 with COOP/COEP
// (tests/web/server.mjs), opens the benchmark page bench/web/index.html with ?autorun=1 in
// Debian's Chromium through playwright-core, relays the page's progress lines, then prints the
// same tables as the Node run and appends the records (target "chromium") to a JSON file.
//
//   node bench/js/chromium.mjs [--variants simd,scalar,simd-threads] [--threads N] [--no-peers]
//                              [--peer-threads] [--filter REGEX] [--models DIR] [--json FILE]
//                              [--quick] [--timeout-min M] [--no-wait-idle] [--screenshot PNG]
//                              [--model]
//
//   --threads N       pool size of the simd-threads runs (default 2); they also run on 1 thread
//   --peer-threads    a second page: portnn simd-threads, TF.js threaded-simd and ONNX Runtime,
//                     N threads each (TF.js picks its binary once per page)
//   --no-wait-idle    the thread speed-up runs do not wait for idle CPUs (see bench/js/idle.mjs)
//   --screenshot PNG  saves the finished first page (its bar chart and tables) as a PNG
//   --model           the model section instead of the suite (bench/js/model.mjs): a page with
//                     MobileNet v2 on portnn simd, TF.js and ONNX Runtime (1 thread each), then
//                     one with portnn simd-threads on 1 and N threads and ONNX Runtime on N; the
//                     screenshot is the second page showing both pages' records
// Needs /usr/bin/chromium (Debian), playwright-core (npm ci), wasm/dist, and the models.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';

import { chromium } from 'playwright-core';

import { startServer } from '../../tests/web/server.mjs';
import { parseOptions } from './args.mjs';
import { idleWaiter } from './idle.mjs';
import { formatModelTable } from './model.mjs';
import { appendRecords, recordKey } from './results.mjs';
import { formatTables } from './table.mjs';

const CHROMIUM = process.env.PORTNN_CHROMIUM || '/usr/bin/chromium';
// The flags that work on this project's machines (as root, no network): /work/shared/TOOLCHAIN.md.
const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

function usage(code) {
  console.log('usage: node bench/js/chromium.mjs [--variants LIST] [--threads N] [--no-peers] [--peer-threads]\n' +
              '                                  [--filter REGEX] [--models DIR] [--json FILE] [--quick] [--timeout-min M]\n' +
              '                                  [--no-wait-idle] [--screenshot PNG] [--model]');
  process.exit(code);
}

const opts = parseOptions('chromium.mjs', process.argv.slice(2), {
  variants: 'simd,relaxed-simd,simd-threads,scalar', threads: 2, peers: true, peerThreads: false, filter: '',
  models: 'build/bench-models', json: null, quick: false, timeoutMin: 12, waitIdle: true,
  screenshot: null, model: false,
}, {
  '--variants': ['variants', String], '--threads': ['threads', Number], '--no-peers': ['peers', false],
  '--peer-threads': ['peerThreads', true], '--filter': ['filter', String], '--models': ['models', String],
  '--json': ['json', String], '--quick': ['quick', true], '--timeout-min': ['timeoutMin', Number],
  '--no-wait-idle': ['waitIdle', false], '--screenshot': ['screenshot', String], '--model': ['model', true],
}, usage);
if (!fs.existsSync(CHROMIUM)) {
  console.error(`chromium.mjs: ${CHROMIUM} not found (apt-get install chromium)`);
  process.exit(1);
}

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
const models = path.relative(root, path.resolve(opts.models)).split(path.sep).join('/');

function pageUrl(base, extra) {
  const q = new URLSearchParams({ autorun: '1', threads: String(opts.threads), models, ...extra });
  if (opts.filter) q.set('filter', opts.filter);
  if (opts.quick) q.set('quick', '1');
  return `${base}bench/web/index.html?${q}`;
}

// Loads one benchmark page and waits for its result; relays its progress lines. The screenshot
// shows `earlier` records (of the pages before) with the page's own when given.
async function runPage(context, url, screenshot, earlier) {
  const page = await context.newPage();
  // The page asks before each thread speed-up shape (it cannot read the machine's load itself).
  if (waiter) await page.exposeFunction('__benchWaitIdle', waiter);
  const errors = [];
  page.on('console', (m) => {
    const text = m.text();
    if (text.startsWith('[bench] ')) console.log(`  ${text.slice(8)}`);
    else if (m.type() === 'error') errors.push(`console.error: ${text}`);
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.stack || e.message}`));
  page.on('requestfailed', (r) => errors.push(`requestfailed: ${r.url()} ${r.failure()?.errorText}`));
  page.on('response', (r) => { if (r.status() >= 400) errors.push(`HTTP ${r.status()}: ${r.url()}`); });
  try {
    await page.goto(url, { waitUntil: 'load', timeout: 60000 });
    await page.waitForFunction(() => globalThis.__benchResult && globalThis.__benchResult.done, null,
                               { timeout: opts.timeoutMin * 60000, polling: 250 });
    const result = await page.evaluate(() => globalThis.__benchResult);
    if (screenshot) {
      if (earlier && earlier.length) await page.evaluate((r) => globalThis.__benchShow && globalThis.__benchShow(r), earlier);
      await page.setViewportSize({ width: 1280, height: 900 });
      await page.screenshot({ path: screenshot, fullPage: true });
      console.log(`  saved the page as ${screenshot}`);
    }
    return { result, errors };
  } catch (e) {
    return { result: null, errors: [...errors, `page: ${e.message}`] };
  } finally {
    await page.close();
  }
}

const waiter = opts.waitIdle ? idleWaiter() : null;
const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'portnn-bench-chromium-'));
let server = null;
let context = null;
const records = [];
const failures = [];
const includes = [];
let title = '';
const started = Date.now();
try {
  server = await startServer({ root, isolated: true });
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, timeout: 60000,
  });
  const version = context.browser() ? context.browser().version() : '';
  console.log(`chromium ${version} (${CHROMIUM}), page ${server.url}bench/web/ (COOP/COEP)`);
  const pages = opts.model
    ? [pageUrl(server.url, { plan: 'model' }), pageUrl(server.url, { plan: 'model-threads' })]
    : [pageUrl(server.url, { variants: opts.variants, peers: opts.peers ? '1' : '0' })];
  if (opts.peerThreads && !opts.model) pages.push(pageUrl(server.url, { plan: 'peer-threads' }));
  const shot = opts.model ? pages.length - 1 : 0;
  for (const [i, url] of pages.entries()) {
    const { result, errors } = await runPage(context, url, i === shot ? opts.screenshot : null,
                                             opts.model ? records.slice() : null);
    if (!result) {
      failures.push(`${url}: the page did not finish`, ...errors.slice(0, 20));
      continue;
    }
    if (result.error) failures.push(`${url}: ${result.error.split('\n')[0]}`);
    failures.push(...result.failures.filter((f) => f !== result.error));
    if (errors.length && (result.error || result.failures.length)) failures.push(...errors.slice(0, 10));
    // A later page's record of the same configuration and shape replaces the earlier one.
    const fresh = new Set(result.records.map(recordKey));
    for (let i = records.length - 1; i >= 0; i--) if (fresh.has(recordKey(records[i]))) records.splice(i, 1);
    records.push(...result.records);
    for (const o of result.opened || []) includes.push(`  ${o.label}: ${o.includes}; ${JSON.stringify(o.info)}`);
    if (result.info) {
      title = `== chromium: ${result.info.engine}, ${result.info.cores} logical CPUs, ` +
              `crossOriginIsolated ${result.info.crossOriginIsolated}`;
    }
  }
} catch (e) {
  failures.push(`chromium: ${e && e.stack ? e.stack : e}`);
} finally {
  if (context) await context.close().catch(() => {});
  if (server) await server.close();
  fs.rmSync(userDataDir, { recursive: true, force: true });
}

if (records.length) {
  console.log('\n' + (opts.model ? formatModelTable : formatTables)(records, {
    title: `${title} (${((Date.now() - started) / 1000).toFixed(0)} s)`,
    includes: ['what each figure includes:', ...includes],
  }));
}
if (opts.json && records.length) {
  const n = appendRecords(opts.json, records);
  console.log(`\nappended ${records.length} chromium records to ${opts.json} (${n} records in all)`);
}
if (failures.length) {
  console.error(`\n${failures.length} failure(s):`);
  for (const f of failures) console.error(`  ${f}`);
}
process.exit(failures.length || records.length === 0 ? 1 : 0);
