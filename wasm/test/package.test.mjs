// The package as a dependency: what `npm pack` puts in the tarball and its package.json fields,
// the prepack check, require() from CommonJS, relocating every file (distPath, wasmPaths per
// file), error messages free of Emscripten's rebuild hints, and that a failed threaded init()
// leaves no worker behind (Node exits).

import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { Unary, init, terminate } from '../index.js';
import { FILE_NAMES, ONNX_SCHEMA, WORKER_SOURCE } from '../src/runtime.js';
import { loadOnnx } from '../src/onnx.js';
import { reluBytes } from './helpers/onnx-models.mjs';

const PACKAGE = fileURLToPath(new URL('..', import.meta.url));
const DIST = fileURLToPath(new URL('../dist/', import.meta.url));
const INDEX = new URL('../index.js', import.meta.url).href;

function runNode(args, timeoutMs = 30000) {
  return new Promise((resolve) => {
    const start = performance.now();
    execFile(process.execPath, args, { timeout: timeoutMs }, (error, stdout, stderr) => {
      resolve({ code: error ? (error.killed ? 'timeout' : error.code) : 0, stdout, stderr,
                ms: performance.now() - start });
    });
  });
}

const relu = (x) => Array.from(new Unary('relu').run(new Float32Array(x)));

describe('npm pack', () => {
  it('packs exactly the loader, the types, the portnn-run bin, dist/, README and LICENSE', () => {
    const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'],
                             { cwd: PACKAGE, encoding: 'utf8' });
    const [{ files }] = JSON.parse(out.slice(out.indexOf('[')));
    const paths = files.map((f) => f.path).sort();
    const sources = readdirSync(join(PACKAGE, 'src')).filter((f) => f.endsWith('.js'))
                                                     .map((f) => `src/${f}`);
    const expected = ['LICENSE', 'README.md', 'package.json', 'index.js', 'index.d.ts', 'proxy.d.ts',
                      'onnx.d.ts', 'bin/portnn-run.mjs', 'dist/package.json', ...[...FILE_NAMES, WORKER_SOURCE, ONNX_SCHEMA].map((f) => `dist/${f}`),
                      ...sources].sort();
    assert.deepEqual(paths, expected);
    for (const f of files.filter((x) => x.path.endsWith('.wasm'))) assert.ok(f.size > 10000, f.path);
  });

  // The repository, homepage and bugs URLs are placeholders (github.com/portnn/portnn): this
  // checks their form as npm reads it, not that they exist; fix them when the project is hosted.
  it('package.json has repository, homepage and bugs fields in npm\'s form and a Node range where require() works', () => {
    const pkg = JSON.parse(readFileSync(join(PACKAGE, 'package.json'), 'utf8'));
    assert.equal(pkg.repository.type, 'git');
    assert.match(pkg.repository.url, /^git\+https:\/\//);
    assert.equal(pkg.repository.directory, 'wasm');
    assert.match(pkg.homepage, /^https:\/\//);
    assert.match(pkg.bugs.url, /^https:\/\//);
    assert.equal(pkg.license, 'Apache-2.0');
    // require() of an ES module: Node 20.19+ and 22.12+ (unflagged).
    assert.equal(pkg.engines.node, '^20.19.0 || >=22.12.0');
    assert.equal(pkg.scripts.prepack, 'node tools/check-dist.mjs');
  });

  it('prepack refuses a dist/ without the built files, naming them', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'portnn-dist-'));
    try {
      copyFileSync(join(DIST, 'portnn.mjs'), join(empty, 'portnn.mjs'));
      const r = await runNode([join(PACKAGE, 'tools', 'check-dist.mjs'), empty]);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /portnn: cannot pack: portnn\.wasm is missing; portnn-simd\.wasm is missing/);
      assert.doesNotMatch(r.stderr, /portnn\.mjs is missing/);
      assert.match(r.stderr, /run scripts\/build-wasm\.sh/);
      const ok = await runNode([join(PACKAGE, 'tools', 'check-dist.mjs')]);
      assert.equal(ok.code, 0, ok.stderr);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('require() from CommonJS loads and runs the package', async () => {
    const r = await runNode(['-e', `
      const pnn = require(${JSON.stringify(join(PACKAGE, 'index.js'))});
      pnn.init({ variant: 'scalar' }).then((i) => {
        const y = new pnn.Unary('relu').run(new Float32Array([-2, 3]));
        console.log(JSON.stringify({ variant: i.variant, y: Array.from(y) }));
        return pnn.terminate();
      });`]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), { variant: 'scalar', y: [0, 3] });
  });
});

describe('portnn/proxy', () => {
  it('resolves through the exports map, and says in Node that it needs Web Workers', async () => {
    const { createProxy } = await import('portnn/proxy');
    await assert.rejects(createProxy(), /^Error: portnn proxy: needs Web Workers \(a browser or a worker\); in Node, use the package directly$/);
  });
});

describe('every file relocated', () => {
  let copy;
  before(() => {
    copy = mkdtempSync(join(tmpdir(), 'portnn-copy-'));
    for (const f of FILE_NAMES) copyFileSync(join(DIST, f), join(copy, f));
    copyFileSync(join(DIST, 'package.json'), join(copy, 'package.json'));
    copyFileSync(join(DIST, 'portnn-simd.mjs'), join(copy, 'renamed-glue.mjs'));
  });
  after(() => rmSync(copy, { recursive: true, force: true }));
  afterEach(() => terminate());

  it('distPath: the .wasm, the glue and the worker all come from the copy', async () => {
    const i = await init({ variant: 'simd-threads', threads: 2, distPath: copy });
    assert.deepEqual([i.variant, i.threads], ['simd-threads', 2]);
    assert.deepEqual(relu([-1, 2]), [0, 2]);
  });

  it('distPath without the files: the error names the file in that directory', async () => {
    const empty = join(copy, 'empty');
    mkdirSync(empty, { recursive: true });
    await assert.rejects(init({ variant: 'simd', distPath: pathToFileURL(empty) }), (e) => {
      assert.match(e.message, /^portnn: cannot read file:\/\/.*\/empty\/portnn-simd\.wasm: ENOENT$/);
      return true;
    });
  });

  it('wasmPaths per file moves a glue module; a missing one is named', async () => {
    const i = await init({ variant: 'simd', wasmPaths: { 'portnn-simd.mjs': join(copy, 'renamed-glue.mjs') } });
    assert.equal(i.variant, 'simd');
    assert.deepEqual(relu([-1, 2]), [0, 2]);
    await terminate();
    const missing = join(copy, 'missing.mjs');
    await assert.rejects(init({ variant: 'simd', wasmPaths: { 'portnn-simd.mjs': missing } }),
                         new RegExp(`^Error: portnn: cannot load ${pathToFileURL(missing).href}: `));
  });

  it('loadOnnx: distPath and wasmPaths move the importer module too', async () => {
    await init({ variant: 'simd', distPath: copy });
    const model = await loadOnnx(reluBytes());
    assert.deepEqual(Array.from(model.run({ x: new Float32Array([-1, 2, -3, 4, -5, 6]) }).y), [0, 2, 0, 4, 0, 6]);
    model.dispose();
    await terminate();
    const missing = join(copy, 'missing-onnx.wasm');
    await init({ variant: 'simd', wasmPaths: { 'portnn-onnx-simd.wasm': missing } });
    await assert.rejects(loadOnnx(reluBytes()),
                         new RegExp(`^Error: portnn: cannot read ${pathToFileURL(missing).href}: ENOENT$`));
  });

  it('wasmPaths rejects unknown keys, listing variants and file names; distPath its type', async () => {
    await assert.rejects(init({ wasmPaths: { 'portnn.js': 'x' } }),
                         /^TypeError: portnn: wasmPaths has an unknown variant 'portnn\.js' \(expected scalar, simd, simd-threads, relaxed-simd, relaxed-simd-threads, or a file name: portnn\.wasm, portnn\.mjs, .*portnn-simd-threads\.worker\.js, .*portnn-relaxed-simd-threads\.mjs, portnn-onnx\.wasm, .*portnn-onnx-relaxed-simd-threads\.mjs\)$/);
    await assert.rejects(init({ distPath: 5 }),
                         /^TypeError: portnn: distPath must be a directory \(a non-empty string or a URL\), got 5$/);
  });

  it("instantiation errors carry no Emscripten rebuild hint ('Build with -s ASSERTIONS=1')", async () => {
    // The threaded binary imports what the simd glue does not provide: Emscripten aborts with
    // 'Aborted(LinkError: ...). Build with -s ASSERTIONS=1 for more info.'
    const threaded = readFileSync(join(DIST, 'portnn-simd-threads.wasm'));
    await assert.rejects(init({ variant: 'simd', wasmBinary: threaded }), (e) => {
      assert.match(e.message, /^portnn: cannot instantiate wasmBinary \(variant 'simd'\): Aborted\(LinkError: /);
      assert.match(e.cause.message, /Build with -s ASSERTIONS=1/);
      assert.doesNotMatch(e.message, /ASSERTIONS|Build with/);
      return true;
    });
  });
});

describe('a failed threaded init() leaves no worker running', () => {
  for (const [what, thenTerminate] of [['and the process exits', false], ['terminate() resolves and the process exits', true]]) {
    it(`wrong wasmBinary for simd-threads: rejects, ${what}`, async () => {
      const r = await runNode(['--input-type=module', '-e', `
        import { readFileSync } from 'node:fs';
        import { init, terminate } from ${JSON.stringify(INDEX)};
        const scalar = readFileSync(new URL('dist/portnn.wasm', ${JSON.stringify(new URL('..', import.meta.url).href)}));
        try {
          await init({ variant: 'simd-threads', threads: 3, wasmBinary: scalar });
          console.log('resolved');
        } catch (e) {
          console.log(e.message.split(':')[0] + ': rejected');
        }
        ${thenTerminate ? 'await terminate();' : ''}`], 20000);
      assert.equal(r.code, 0, `exit ${r.code}; ${r.stderr}`);
      assert.equal(r.stdout.trim(), 'portnn: rejected');
      assert.ok(r.ms < 15000, `took ${r.ms} ms`);
    });
  }
});
