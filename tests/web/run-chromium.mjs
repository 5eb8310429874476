// The Chromium checks of the WebAssembly package: serves the repository on 127.0.0.1 twice (one
// server with the COOP/COEP headers that make a page cross-origin isolated, one without), drives
// Debian's Chromium with playwright-core through tests/web/index.html, and checks:
//   1. isolated page, variant 'auto' (2 threads asked): picks 'relaxed-simd-threads' (Chromium
//      validates relaxed SIMD) with 2 threads, every operator matches the reference;
//   2. page without the headers, same options: picks 'relaxed-simd' (1 thread), results match;
//   3. variant 'scalar' forced (on the isolated page, where auto would pick relaxed-simd-threads):
//      loads the scalar build, results match; likewise 'simd' and 'simd-threads' forced (the
//      fallback builds of engines without relaxed SIMD);
//   4. threads: 'relaxed-simd-threads' and 'simd-threads' with 1 thread on the isolated page match
//      the reference and are bit-identical to their 2-thread results (the API promises results
//      independent of the thread count).
// Prints one line per check and a count; exits non-zero on any failure.
//
// Usage: node tests/web/run-chromium.mjs [--verbose]
// Needs: /usr/bin/chromium (Debian package chromium), playwright-core (npm ci at the repo root),
// wasm/dist/ built (scripts/build-wasm.sh). Never downloads a browser.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';

import { chromium } from 'playwright-core';

import { startServer } from './server.mjs';

const CHROMIUM = process.env.PORTNN_CHROMIUM || '/usr/bin/chromium';
// Flags that work on this project's machines (as root, no network): see
// /work/shared/TOOLCHAIN.md. --headless is added by playwright (headless: true).
const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];
const PAGE = 'tests/web/index.html';
const PAGE_TIMEOUT_MS = 60000;
const verbose = process.argv.includes('--verbose');

if (!fs.existsSync(CHROMIUM)) {
  console.error(`chromium: ${CHROMIUM} not found (apt-get install chromium)`);
  process.exit(1);
}

// What a page must report: its variant, thread count (or at least minThreads), ISA and whether
// it was cross-origin isolated.
const expected = (variant, threads, isa, crossOriginIsolated) =>
  ({ variant, ...threads, isa, crossOriginIsolated });
const RELAXED_PLAIN = expected('relaxed-simd', { threads: 1 }, 'wasmrelaxed', false);

const CHECKS = [
  { id: 'auto-isolated', title: 'isolated page (COOP/COEP), auto with 2 threads -> relaxed-simd-threads',
    isolated: true, options: { variant: 'auto', threads: 2 },
    expect: expected('relaxed-simd-threads', { threads: 2 }, 'wasmrelaxed', true) },
  { id: 'auto-plain', title: 'page without COOP/COEP, auto with 2 threads -> relaxed-simd',
    isolated: false, options: { variant: 'auto', threads: 2 }, expect: RELAXED_PLAIN },
  { id: 'default-isolated', title: 'isolated page, init() with no options -> relaxed-simd-threads, one thread per core',
    isolated: true, options: {}, expect: expected('relaxed-simd-threads', { minThreads: 2 }, 'wasmrelaxed', true) },
  { id: 'default-plain', title: 'page without COOP/COEP, init() with no options -> relaxed-simd, 1 thread',
    isolated: false, options: {}, expect: RELAXED_PLAIN },
  { id: 'scalar-forced', title: "variant 'scalar' forced (isolated page)",
    isolated: true, options: { variant: 'scalar' }, expect: expected('scalar', { threads: 1 }, 'scalar', true) },
  { id: 'simd-forced', title: "variant 'simd' forced (page without COOP/COEP)",
    isolated: false, options: { variant: 'simd' }, expect: expected('simd', { threads: 1 }, 'wasmsimd', false) },
  { id: 'simd-threads-forced', title: "variant 'simd-threads' forced with 2 threads (isolated page)",
    isolated: true, options: { variant: 'simd-threads', threads: 2 },
    expect: expected('simd-threads', { threads: 2 }, 'wasmsimd', true) },
  { id: 'threads-1-vs-2', title: 'relaxed-simd-threads with 1 thread: bit-identical to the 2-thread run',
    isolated: true, options: { variant: 'relaxed-simd-threads', threads: 1 },
    expect: expected('relaxed-simd-threads', { threads: 1 }, 'wasmrelaxed', true), sameBitsAs: 'auto-isolated' },
  { id: 'simd-threads-1-vs-2', title: 'simd-threads with 1 thread: bit-identical to the 2-thread run',
    isolated: true, options: { variant: 'simd-threads', threads: 1 },
    expect: expected('simd-threads', { threads: 1 }, 'wasmsimd', true), sameBitsAs: 'simd-threads-forced' },
];

function pageUrl(base, options) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(options)) q.set(k, String(v));
  const s = q.toString();
  return `${base}${PAGE}${s ? `?${s}` : ''}`;
}

// Loads the test page and returns its report plus the browser-side log.
async function loadPage(context, url) {
  const page = await context.newPage();
  const log = [];
  page.on('console', (m) => log.push(`console.${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => log.push(`pageerror: ${e.stack || e.message}`));
  page.on('requestfailed', (r) => log.push(`requestfailed: ${r.url()} ${r.failure()?.errorText}`));
  page.on('response', (r) => {
    if (r.status() >= 400) log.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  try {
    await page.goto(url, { waitUntil: 'load', timeout: PAGE_TIMEOUT_MS });
    await page.waitForFunction(() => globalThis.__portnnResult && globalThis.__portnnResult.done,
                               null, { timeout: PAGE_TIMEOUT_MS, polling: 50 });
    const report = await page.evaluate(() => globalThis.__portnnResult);
    return { report, log };
  } catch (e) {
    return { report: null, log, error: e.message };
  } finally {
    await page.close();
  }
}

// The reasons a report fails its check ([] when it passes).
function judge(check, report, results) {
  const problems = [];
  if (report === null) return ['the page did not finish'];
  if (report.error) problems.push(`error: ${report.error.split('\n')[0]}`);
  if (!report.info) return problems;  // it never loaded: nothing else to judge
  const info = report.info || {};
  const e = check.expect;
  if (report.crossOriginIsolated !== e.crossOriginIsolated) {
    problems.push(`crossOriginIsolated is ${report.crossOriginIsolated}, expected ${e.crossOriginIsolated}`);
  }
  if (info.variant !== e.variant) problems.push(`variant '${info.variant}', expected '${e.variant}'`);
  if (e.threads !== undefined && info.threads !== e.threads) {
    problems.push(`${info.threads} thread(s), expected ${e.threads}`);
  }
  if (e.minThreads !== undefined && !(info.threads >= e.minThreads)) {
    problems.push(`${info.threads} thread(s), expected at least ${e.minThreads}`);
  }
  if (info.isa !== e.isa) problems.push(`isa '${info.isa}', expected '${e.isa}'`);
  if (report.cases.length === 0 && !report.error) problems.push('no operator ran');
  for (const c of report.cases) {
    if (!c.ok) problems.push(`${c.name}: ${c.failures}/${c.count} wrong, ${c.first}`);
  }
  // The SIMD builds must run SIMD kernels where the registries have them (the GEMM family: the
  // relaxed ones in the relaxed builds), and the scalar build must not contain any.
  const gemmCases = report.cases.filter((c) => /^(Convolution2D 3x3|FullyConnected|BatchMatMul)/.test(c.name));
  for (const c of gemmCases) {
    const simdKernel = /wasm(simd|relaxed)/.test(c.kernel);
    if (c.ok && e.isa !== 'scalar' && !c.kernel.includes(e.isa)) problems.push(`${c.name} ran ${c.kernel}, not a ${e.isa} kernel`);
    if (c.ok && e.isa === 'scalar' && simdKernel) problems.push(`${c.name} ran ${c.kernel} in the scalar build`);
  }
  if (check.sameBitsAs) {
    const other = results.get(check.sameBitsAs);
    if (!other || !other.report) {
      problems.push(`no results of '${check.sameBitsAs}' to compare with`);
    } else {
      const hashes = new Map(other.report.cases.map((c) => [c.name, c.hash]));
      for (const c of report.cases) {
        const h = hashes.get(c.name);
        if (h === undefined) problems.push(`${c.name}: missing from '${check.sameBitsAs}'`);
        else if (h !== c.hash) problems.push(`${c.name}: differs bitwise from '${check.sameBitsAs}' (${c.hash} vs ${h})`);
      }
    }
  }
  return problems;
}

function describe(report) {
  if (!report || !report.info) return 'no info';
  const i = report.info;
  const ok = report.cases.filter((c) => c.ok).length;
  return `variant ${i.variant}, isa ${i.isa}, ${i.threads} thread(s), crossOriginIsolated ` +
         `${report.crossOriginIsolated}; ${ok}/${report.cases.length} operators match ` +
         `(init ${report.initMs.toFixed(0)} ms)`;
}

const servers = [];
const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'portnn-chromium-'));
let context = null;
let passed = 0;
let failed = 0;
try {
  const isolated = await startServer({ isolated: true });
  servers.push(isolated);
  const plain = await startServer({ isolated: false });
  servers.push(plain);

  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    timeout: 60000,
  });
  const version = context.browser() ? context.browser().version() : '';
  console.log(`chromium ${version} (${CHROMIUM}); pages on ${isolated.url} (COOP/COEP) and ` +
              `${plain.url} (no headers)`);

  const results = new Map();
  for (const check of CHECKS) {
    const base = check.isolated ? isolated.url : plain.url;
    const t0 = Date.now();
    const { report, log, error } = await loadPage(context, pageUrl(base, check.options));
    results.set(check.id, { report });
    const problems = error ? [`page: ${error}`] : judge(check, report, results);
    const seconds = ((Date.now() - t0) / 1000).toFixed(1);
    if (problems.length === 0) {
      passed++;
      console.log(`PASS chromium ${check.title}: ${describe(report)} [${seconds} s]`);
    } else {
      failed++;
      console.log(`FAIL chromium ${check.title}: ${describe(report)} [${seconds} s]`);
      for (const p of problems.slice(0, 20)) console.log(`    ${p}`);
      if (problems.length > 20) console.log(`    ... ${problems.length - 20} more`);
      for (const line of log.slice(0, 40)) console.log(`    | ${line}`);
    }
    if (verbose && report) {
      for (const c of report.cases) {
        console.log(`      ${c.ok ? 'ok  ' : 'FAIL'} ${c.name}  err/tol ${c.maxErrorOverTol.toFixed(3)}  ${c.kernel}  ${c.ms.toFixed(1)} ms`);
      }
      for (const w of report.warnings) console.log(`      warning: ${w}`);
    }
  }

} catch (e) {
  failed++;
  console.log(`FAIL chromium: ${e && e.stack ? e.stack : e}`);
} finally {
  if (context) await context.close().catch(() => {});
  for (const s of servers) await s.close();
  fs.rmSync(userDataDir, { recursive: true, force: true });
}

console.log(`chromium: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed === CHECKS.length ? 0 : 1);
