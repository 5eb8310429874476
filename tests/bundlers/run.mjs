// The package in real web projects: packs wasm/ with `npm pack` (as it would be published),
// installs the tarball into build/bundlers/node_modules/portnn, builds the fixture projects of
// tests/bundlers/ with the real tools from the root devDependencies (Vite, webpack 5, esbuild:
// no configuration files, only the commands and options the README's recipes show; Rollup: the
// README's rollup.config.mjs, two plugins and nothing else), and loads
// each page in headless Chromium twice: on a cross-origin-isolated server (COOP/COEP) and on a
// plain one. Pages:
//   vite-build   `vite build` output            webpack   `webpack --mode production` output
//   vite-dev     the Vite dev server            esbuild   `--format=esm` bundle (+ copied dist/)
//   esbuild-iife esbuild's default format       importmap an unbundled page with an import map
//   rollup       `rollup -c` output (ESM)
//   worker       the package in a module Worker cdn       the package from another origin (CORS)
// Each page runs a plain init() and checks a convolution, a fully connected layer and a softmax
// against a double reference (the Vite and webpack apps then the same through 'portnn/proxy',
// in a module Worker: bit-identical, main thread responsive, errors keep their class; then an ONNX
// model through 'portnn/onnx', whose importer modules they emit); the driver asserts the variant picked and the thread count
// (isolated: 'relaxed-simd-threads' with one thread per core; plain: 'relaxed-simd', 1 thread), correct outputs,
// no console warning, no failed request. Prints each tool and version, what each page picked,
// the timings, and 'bundlers: N passed, N failed'.
//
// Usage: node tests/bundlers/run.mjs   (needs wasm/dist built and `npm ci` at the root)
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';

import { startServer } from '../web/server.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const FIXTURES = path.join(ROOT, 'tests', 'bundlers');
const WORK = path.join(ROOT, 'build', 'bundlers');
const BIN = path.join(ROOT, 'node_modules', '.bin');
const CHROMIUM = process.env.PORTNN_CHROMIUM || '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];
const PAGE_TIMEOUT_MS = 60000;

const started = Date.now();
const seconds = (t0) => `${((Date.now() - t0) / 1000).toFixed(1)} s`;

function run(command, args, cwd) {
  const r = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  const output = `${r.stdout || ''}${r.stderr || ''}`;
  if (r.status !== 0) {
    throw new Error(`${path.basename(command)} ${args.join(' ')} (in ${cwd}) failed:\n${output}`);
  }
  return output;
}

function version(tool) {
  return JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', tool, 'package.json'), 'utf8')).version;
}

// 1. The package as published: npm pack (its prepack checks dist/), then the tarball unpacked
//    where a project's npm install would put it.
function installPackage() {
  const t0 = Date.now();
  fs.rmSync(WORK, { recursive: true, force: true });
  fs.mkdirSync(WORK, { recursive: true });
  const out = execFileSync('npm', ['pack', '--json', '--pack-destination', WORK],
                           { cwd: path.join(ROOT, 'wasm'), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const [{ filename, files }] = JSON.parse(out.slice(out.indexOf('[')));
  const target = path.join(WORK, 'node_modules', 'portnn');
  fs.mkdirSync(target, { recursive: true });
  execFileSync('tar', ['-xzf', path.join(WORK, path.basename(filename)), '-C', target, '--strip-components=1']);
  // Its dependencies (protobufjs, for 'portnn/onnx') as npm would install them beside it: copied,
  // with their own dependencies, from the root node_modules (locked by package-lock.json).
  const pending = Object.keys(JSON.parse(fs.readFileSync(path.join(target, 'package.json'), 'utf8')).dependencies || {});
  const installed = new Set();
  while (pending.length > 0) {
    const name = pending.pop();
    if (installed.has(name) || name.startsWith('@types/')) continue;
    installed.add(name);
    const from = path.join(ROOT, 'node_modules', name);
    fs.cpSync(from, path.join(WORK, 'node_modules', name), { recursive: true, dereference: true });
    pending.push(...Object.keys(JSON.parse(fs.readFileSync(path.join(from, 'package.json'), 'utf8')).dependencies || {}));
  }
  // The fixtures' project: one package.json above them (so Vite's dev server may serve all of
  // build/bundlers), whose node_modules holds portnn.
  fs.writeFileSync(path.join(WORK, 'package.json'),
                   `${JSON.stringify({ name: 'portnn-fixtures', private: true, type: 'module' }, null, 2)}\n`);
  for (const entry of fs.readdirSync(FIXTURES, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      fs.cpSync(path.join(FIXTURES, entry.name), path.join(WORK, entry.name), { recursive: true });
    }
  }
  console.log(`npm ${execFileSync('npm', ['--version'], { encoding: 'utf8' }).trim()} pack: ` +
              `${path.basename(filename)}, ${files.length} files, installed in ${path.relative(ROOT, target)} [${seconds(t0)}]`);
}

// 2. The builds, with the tools' command lines as a project would run them.
function build() {
  const builds = [
    ['vite', `vite ${version('vite')}`, 'vite', ['build', '--base', './', '--logLevel', 'warn']],
    ['webpack', `webpack ${version('webpack')} (webpack-cli ${version('webpack-cli')})`, 'webpack', ['--mode', 'production']],
    ['esbuild', `esbuild ${version('esbuild')} --format=esm`, 'esbuild',
     ['src/main.js', '--bundle', '--format=esm', '--outfile=out/main.js', '--log-level=warning']],
    ['esbuild', `esbuild ${version('esbuild')} (default format, iife)`, 'esbuild',
     ['src/iife.js', '--bundle', '--outfile=out/iife.js', '--log-level=error']],
    ['rollup', `rollup ${version('rollup')} (@rollup/plugin-node-resolve ` +
     `${version('@rollup/plugin-node-resolve')}, @web/rollup-plugin-import-meta-assets ` +
     `${version('@web/rollup-plugin-import-meta-assets')})`, 'rollup', ['-c', '--failAfterWarnings']],
  ];
  for (const [dir, title, tool, args] of builds) {
    const t0 = Date.now();
    const cwd = path.join(WORK, dir);
    let output = run(path.join(BIN, tool), args, cwd).trim();
    // webpack's performance hints compare each asset with its default 244 KiB budget; the SIMD
    // .wasm files and the importer modules are above it raw (75 to 135 KB gzip, what is
    // transferred). Those hints, when
    // they name only .wasm assets, are noted; any other warning fails the build.
    const hints = /WARNING in (asset size limit|entrypoint size limit|webpack performance recommendations)[^]*?(?=\n\n|$)/g;
    let noted = 0;
    output = output.replace(hints, (block) => {
      const assets = block.split('\n').filter((l) => /^\s+\S+\.(wasm|js|mjs)\b/.test(l));
      if (assets.length > 0 && assets.every((l) => /\.wasm\b/.test(l))) {
        console.log(`note: ${title}: ${block.split('\n')[0].replace('WARNING in ', '')} for ${assets.length} .wasm asset(s)`);
        noted++;
        return '';
      }
      return block;
    });
    // ... and webpack's summary line counts them.
    output = output.replace(/compiled with (\d+) warnings?/, (line, n) => (Number(n) === noted ? 'compiled' : line));
    // Vite names assets it cannot find ("doesn't exist at build time"); webpack its warnings.
    if (/doesn't exist at build time|WARNING/i.test(output)) {
      throw new Error(`${title}: warnings:\n${output}`);
    }
    console.log(`built ${dir} with ${title} [${seconds(t0)}]`);
  }
  // esbuild emits no assets: the README's recipe copies the package's dist/ next to the bundle.
  fs.cpSync(path.join(WORK, 'node_modules', 'portnn', 'dist'), path.join(WORK, 'esbuild', 'out', 'portnn'),
            { recursive: true });
  // What the bundlers emitted of the package: the five .wasm files and the five glue modules,
  // and for the apps that import 'portnn/onnx' (Vite, webpack) the five importer modules too;
  // the threads' worker script is text in a JS chunk.
  for (const [dir, out, modules] of [['vite', 'dist/assets', 10], ['webpack', 'dist', 10], ['rollup', 'dist', 5]]) {
    const files = fs.readdirSync(path.join(WORK, dir, out), { recursive: true })
      .filter((f) => fs.statSync(path.join(WORK, dir, out, f)).isFile());
    const count = (re) => files.filter((f) => re.test(f)).length;
    const worker = files.some((f) => f.endsWith('.js') &&
      fs.readFileSync(path.join(WORK, dir, out, f), 'utf8').includes('nodeWorkerThreads'));
    if (count(/\.wasm$/) !== modules || count(/\.mjs$/) !== modules || !worker) {
      throw new Error(`${dir}: emitted ${files.join(', ')}; expected ${modules} .wasm, ${modules} .mjs and the worker's text in a .js`);
    }
    console.log(`  ${dir} emitted in ${out}/: ${files.join(' ')}`);
  }
  // No bundle may carry a path of the build machine (webpack turns a stray import.meta.url into
  // the file:// URL of the source).
  for (const dir of ['vite/dist/assets', 'webpack/dist', 'esbuild/out', 'rollup/dist']) {
    for (const f of fs.readdirSync(path.join(WORK, dir)).filter((n) => n.endsWith('.js'))) {
      const text = fs.readFileSync(path.join(WORK, dir, f), 'utf8');
      if (text.includes('file:///') || text.includes(ROOT)) throw new Error(`${dir}/${f} contains a file:// URL or ${ROOT}`);
    }
  }
}

async function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

// The Vite dev server on the fixture, with the headers option of the README's recipe when
// isolated.
async function startViteDev(isolated) {
  const { createServer } = await import(path.join(ROOT, 'node_modules', 'vite', 'dist', 'node', 'index.js'));
  const port = await freePort();
  const headers = isolated ? {
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Embedder-Policy': 'require-corp',
  } : {};
  const server = await createServer({
    root: path.join(WORK, 'vite'),
    configFile: false,
    logLevel: 'error',
    server: { host: '127.0.0.1', port, strictPort: true, headers },
  });
  await server.listen();
  return { url: `http://127.0.0.1:${port}/`, close: () => server.close() };
}

async function loadPage(context, url) {
  const page = await context.newPage();
  const log = [];
  page.on('console', (m) => { if (m.type() !== 'log') log.push(`console.${m.type()}: ${m.text()}`); });
  page.on('pageerror', (e) => log.push(`pageerror: ${e.stack || e.message}`));
  page.on('requestfailed', (r) => log.push(`requestfailed: ${r.url()} ${r.failure()?.errorText}`));
  page.on('response', (r) => { if (r.status() >= 400) log.push(`HTTP ${r.status()}: ${r.url()}`); });
  try {
    await page.goto(url, { waitUntil: 'load', timeout: PAGE_TIMEOUT_MS });
    await page.waitForFunction(() => globalThis.__portnnResult && globalThis.__portnnResult.done,
                               null, { timeout: PAGE_TIMEOUT_MS, polling: 50 });
    return { report: await page.evaluate(() => globalThis.__portnnResult), log };
  } catch (e) {
    return { report: null, log, error: e.message.split('\n')[0] };
  } finally {
    await page.close();
  }
}

// What a page must report: by default (a plain init()), on an isolated page 'relaxed-simd-threads'
// with one thread per core, else 'relaxed-simd' on one thread (Chromium validates relaxed SIMD);
// `expect` overrides the variant and threads,
// the warning (a RegExp; none by default) or the error (a RegExp: the init() must fail so).
function judge(report, isolated, log, expect = {}) {
  if (report === null) return ['the page did not finish'];
  const problems = [];
  if (report.crossOriginIsolated !== isolated) problems.push(`crossOriginIsolated is ${report.crossOriginIsolated}`);
  if (expect.error) {
    if (!report.error || !expect.error.test(report.error.split('\n')[0])) {
      problems.push(`error ${JSON.stringify(report.error)}, expected one matching ${expect.error}`);
    }
    return problems;
  }
  if (report.error) problems.push(`error: ${report.error.split('\n')[0]}`);
  const i = report.info;
  if (i) {
    const cores = Math.min(Math.max(report.hardwareConcurrency | 0, 1), 1024);
    const want = expect.variant ? { variant: expect.variant, threads: expect.threads }
      : isolated && cores > 1 ? { variant: 'relaxed-simd-threads', threads: cores }
                              : { variant: 'relaxed-simd', threads: 1 };
    if (i.variant !== want.variant) problems.push(`variant '${i.variant}', expected '${want.variant}'`);
    if (i.threads !== want.threads) problems.push(`${i.threads} thread(s), expected ${want.threads}`);
    const isa = want.variant === 'scalar' ? 'scalar'
      : want.variant.startsWith('relaxed-') ? 'wasmrelaxed' : 'wasmsimd';
    if (i.isa !== isa) problems.push(`isa '${i.isa}'`);
  }
  for (const c of report.cases) {
    if (!c.ok) problems.push(`${c.name}: ${c.bad}/${c.count} wrong (max err/tol ${c.maxErrorOverTol})`);
  }
  const wantCases = 3 + (expect.proxy ? 3 : 0) + (expect.onnx ? 1 : 0);
  if (!report.error && report.cases.length !== wantCases) {
    problems.push(`${report.cases.length} cases ran, expected ${wantCases}`);
  }
  if (expect.proxy && report.proxyInfo && report.info &&
      (report.proxyInfo.variant !== report.info.variant || report.proxyInfo.threads !== report.info.threads)) {
    problems.push(`the proxy's worker picked ${report.proxyInfo.variant} with ${report.proxyInfo.threads} thread(s)`);
  }
  // A plain init() warns about nothing, on either page.
  const warnings = report.warnings.filter((w) => !(expect.warning && expect.warning.test(w)));
  if (expect.warning && warnings.length === report.warnings.length) {
    problems.push(`no warning matching ${expect.warning}`);
  }
  for (const w of warnings) problems.push(`warning: ${w}`);
  for (const line of log) {
    if (/^(HTTP|requestfailed|pageerror)/.test(line)) problems.push(line);
  }
  return problems;
}

let passed = 0;
let failed = 0;
const servers = [];
let context = null;
const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'portnn-bundlers-'));
try {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found (apt-get install chromium)`);
  installPackage();
  build();

  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, timeout: 60000,
  });
  console.log(`chromium ${context.browser() ? context.browser().version() : ''} (${CHROMIUM}), ` +
              `playwright-core ${version('playwright-core')}, node ${process.version}`);
  for (const isolated of [true, false]) {
    const app = await startServer({ root: WORK, isolated });
    const cdn = await startServer({ root: WORK, isolated, cors: true });
    const dev = await startViteDev(isolated);
    servers.push(app, cdn, dev);
    const pages = [
      ['vite-build', `${app.url}vite/dist/index.html`, { proxy: true, onnx: true }],
      ['vite-dev', dev.url, { proxy: true, onnx: true }],
      ['webpack', `${app.url}webpack/index.html`, { proxy: true, onnx: true }],
      ['esbuild', `${app.url}esbuild/index.html`],
      ['esbuild-iife', `${app.url}esbuild/iife.html`],
      ['rollup', `${app.url}rollup/index.html`],
      ['importmap', `${app.url}importmap/index.html`],
      ['worker', `${app.url}worker/index.html`],
      ['cdn', `${app.url}importmap/cdn.html?cdn=${encodeURIComponent(cdn.url)}`],
      // Diagnostics: no threads warning when none were asked for; the reason threads are
      // unavailable names the headers; a glue module served as HTML or not at all.
      isolated
        ? ['scalar, no threads asked', `${app.url}importmap/index.html?variant=scalar`,
           { variant: 'scalar', threads: 1 }]
        : ['2 threads asked, no isolation', `${app.url}importmap/index.html?threads=2`,
           { variant: 'relaxed-simd', threads: 1, warning: /^portnn: 2 threads requested but threads are unavailable \(the page is not cross-origin isolated: serve it with the headers Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp/ }],
      ['glue served as HTML', `${app.url}importmap/index.html?variant=simd&glue=index.html`,
       { error: /cannot load http:.*\/importmap\/index\.html: .*\(the server sent it as 'text\/html'; browsers run module scripts only when served with a JavaScript MIME type/ }],
      ['glue missing', `${app.url}importmap/index.html?variant=simd&glue=missing.mjs`,
       { error: /cannot load http:.*\/importmap\/missing\.mjs: .*\(HTTP 404 Not Found\)$/ }],
    ];
    const where = isolated ? 'isolated' : 'plain';
    for (const [name, url, expect] of pages) {
      const t0 = Date.now();
      const { report, log, error } = await loadPage(context, url);
      const problems = error ? [`page: ${error}`, ...log]
        : judge(report, isolated, expect && expect.error ? [] : log, expect);
      const i = report && report.info;
      const viaProxy = report && report.proxyInfo ? ` (and in the proxy's worker)` : '';
      const picked = i ? `variant ${i.variant}, ${i.threads} thread(s), isa ${i.isa}${viaProxy}; ` +
                         `${report.cases.filter((c) => c.ok).length}/${report.cases.length} outputs correct` +
                         `${report.warnings.length ? `; warned: ${report.warnings.join(' | ')}` : ''}`
        : report && report.error ? `rejected: ${report.error.split('\n')[0]}` : 'no info';
      if (problems.length === 0) {
        passed++;
        console.log(`PASS ${name} (${where}): ${picked} [${seconds(t0)}]`);
      } else {
        failed++;
        console.log(`FAIL ${name} (${where}): ${picked} [${seconds(t0)}]`);
        for (const p of problems.slice(0, 20)) console.log(`    ${p}`);
      }
    }
    await Promise.all(servers.splice(0).map((s) => s.close()));
  }
} catch (e) {
  failed++;
  console.log(`FAIL bundlers: ${e && e.stack ? e.stack : e}`);
} finally {
  if (context) await context.close().catch(() => {});
  await Promise.all(servers.map((s) => s.close()));
  fs.rmSync(userDataDir, { recursive: true, force: true });
}
console.log(`bundlers: total ${seconds(started)}`);
console.log(`bundlers: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed === 24 ? 0 : 1);
