// The loader: variant selection (auto and explicit), thread fallbacks, .wasm locations (paths,
// URLs, bytes), clear errors for missing and non-wasm files, init/info/terminate life cycle,
// and that Node exits.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';

import * as portnn from '../index.js';

const { init, info, terminate, detectFeatures, Unary } = portnn;
const DIST = new URL('../dist/', import.meta.url);
const INDEX = new URL('../index.js', import.meta.url).href;

// console.warn calls made while fn runs.
async function warnings(fn) {
  const seen = [];
  const original = console.warn;
  console.warn = (...args) => seen.push(args.join(' '));
  try {
    await fn();
  } finally {
    console.warn = original;
  }
  return seen;
}

// Runs an ES module snippet in a fresh Node process; resolves to { code, stdout, stderr, ms }.
function runNode(source, flags = [], timeoutMs = 20000) {
  return new Promise((resolve) => {
    const start = performance.now();
    execFile(process.execPath, [...flags, '--input-type=module', '-e', source],
             { timeout: timeoutMs }, (error, stdout, stderr) => {
      resolve({ code: error ? (error.killed ? 'timeout' : error.code) : 0, stdout, stderr,
                ms: performance.now() - start });
    });
  });
}

function relu(values) {
  const op = new Unary('relu');
  try {
    return Array.from(op.run(new Float32Array(values)));
  } finally {
    op.dispose();
  }
}

describe('feature detection', () => {
  it('finds SIMD128 and threads in Node 20 (relaxed SIMD only behind its flag)', () => {
    const f = detectFeatures();
    assert.equal(f.wasm, true);
    assert.equal(f.simd, true);
    assert.equal(f.relaxedSimd, process.execArgv.includes('--experimental-wasm-relaxed-simd'));
    assert.equal(f.threads, true, f.threadsReason);
    assert.equal(f.threadsReason, '');
  });
});

describe('variant selection', () => {
  afterEach(() => terminate());

  it("auto with the default options picks 'simd' on one thread (the documented Node default)",
     async () => {
    const i = await init();
    assert.deepEqual(i, { variant: 'simd', simd: true, threads: 1, isa: 'wasmsimd' });
    assert.deepEqual(info(), i);
    assert.deepEqual(relu([-1, 2]), [0, 2]);
  });

  it("auto with threads: 2 picks 'simd-threads' with 2 threads", async () => {
    const i = await init({ threads: 2 });
    assert.deepEqual(i, { variant: 'simd-threads', simd: true, threads: 2, isa: 'wasmsimd' });
    assert.deepEqual(relu([-1, 2]), [0, 2]);
  });

  it('threads: 0 means one thread per logical processor', async () => {
    const cores = availableParallelism();
    const i = await init({ threads: 0 });
    assert.equal(i.threads, cores);
    assert.equal(i.variant, cores > 1 ? 'simd-threads' : 'simd');
  });

  for (const variant of portnn.VARIANTS.filter((v) => !v.startsWith('relaxed-'))) {
    it(`an explicit variant '${variant}' is loaded as asked`, async () => {
      const i = await init({ variant });
      assert.equal(i.variant, variant);
      assert.equal(i.simd, variant !== 'scalar');
      assert.equal(i.threads, 1);
      assert.equal(i.isa, variant === 'scalar' ? 'scalar' : 'wasmsimd');
      assert.deepEqual(relu([-3, 0.5]), [0, 0.5]);
    });
  }

  it('threads with a variant that has none: a warning and one thread', async () => {
    let i;
    const seen = await warnings(async () => { i = await init({ variant: 'simd', threads: 4 }); });
    assert.equal(i.variant, 'simd');
    assert.equal(i.threads, 1);
    assert.equal(seen.length, 1);
    assert.match(seen[0], /portnn: 4 threads requested but variant 'simd' has no threads; using 1 thread/);
  });

  it('rejects unknown variants, bad thread counts and unknown map keys', async () => {
    await assert.rejects(init({ variant: 'avx' }), /unknown variant 'avx'/);
    await assert.rejects(init({ threads: -1 }), /threads must be a non-negative integer/);
    await assert.rejects(init({ threads: 1.5 }), /threads must be a non-negative integer/);
    await assert.rejects(init({ wasmPaths: { simd2: 'x.wasm' } }),
                         /wasmPaths has an unknown variant 'simd2'/);
    await assert.rejects(init({ wasmBinary: new Uint8Array(8) }),
                         /wasmBinary given as bytes needs an explicit variant/);
    await assert.rejects(init(null), /init\(\) takes an options object/);
  });
});

// Node 20 validates relaxed SIMD only with --experimental-wasm-relaxed-simd: the relaxed variants
// are checked in child processes with and without it.
describe('relaxed SIMD', () => {
  const RELAXED = ['--experimental-wasm-relaxed-simd'];
  const snippet = (options) => `
    import { init, info, terminate, detectFeatures, Unary } from ${JSON.stringify(INDEX)};
    const f = detectFeatures();
    let i = null, error = null, y = null;
    try {
      i = await init(${JSON.stringify(options)});
      const op = new Unary('tanh');
      y = Array.from(op.run(new Float32Array([-1, 0, 0.5])));
      op.dispose();
    } catch (e) { error = e.message; }
    await terminate();
    console.log(JSON.stringify({ f, i, error, y }));`;
  const tanh = [-1, 0, 0.5].map((x) => Math.fround(Math.tanh(x)));

  it("auto picks 'relaxed-simd' where the engine validates relaxed SIMD, 'simd' where not",
     async () => {
    for (const [flags, variant, isa] of [[RELAXED, 'relaxed-simd', 'wasmrelaxed'],
                                         [[], 'simd', 'wasmsimd']]) {
      const r = await runNode(snippet({}), flags);
      assert.equal(r.code, 0, r.stderr);
      const { f, i, error, y } = JSON.parse(r.stdout);
      assert.equal(error, null);
      assert.equal(f.relaxedSimd, flags.length > 0);
      assert.deepEqual(i, { variant, simd: true, threads: 1, isa });
      for (let k = 0; k < 3; k++) assert.ok(Math.abs(y[k] - tanh[k]) <= 1e-6, `${y} vs ${tanh}`);
    }
  });

  it("auto with threads: 2 picks 'relaxed-simd-threads'", async () => {
    const r = await runNode(snippet({ threads: 2 }), RELAXED);
    assert.equal(r.code, 0, r.stderr);
    const { i, error } = JSON.parse(r.stdout);
    assert.equal(error, null);
    assert.deepEqual(i, { variant: 'relaxed-simd-threads', simd: true, threads: 2, isa: 'wasmrelaxed' });
  });

  for (const variant of ['relaxed-simd', 'relaxed-simd-threads']) {
    it(`an explicit '${variant}' loads with relaxed SIMD and is an Error without`, async () => {
      let r = await runNode(snippet({ variant }), RELAXED);
      assert.equal(r.code, 0, r.stderr);
      let out = JSON.parse(r.stdout);
      assert.equal(out.error, null);
      assert.deepEqual(out.i, { variant, simd: true, threads: 1, isa: 'wasmrelaxed' });
      r = await runNode(snippet({ variant }));
      assert.equal(r.code, 0, r.stderr);
      out = JSON.parse(r.stdout);
      assert.equal(out.i, null);
      assert.match(out.error, new RegExp(`portnn: variant '${variant}' needs WebAssembly relaxed SIMD, which this engine lacks \\(use '${variant.slice(8)}' or 'auto'; Node 20 has it behind --experimental-wasm-relaxed-simd\\)`));
    });
  }

  it("an explicit 'relaxed-simd-threads' without threads falls back to 'relaxed-simd'", async () => {
    const r = await runNode(snippet({ variant: 'relaxed-simd-threads', threads: 2 }),
                            [...RELAXED, '--no-harmony-sharedarraybuffer']);
    assert.equal(r.code, 0, r.stderr);
    const { i, error } = JSON.parse(r.stdout);
    assert.equal(error, null);
    assert.deepEqual(i, { variant: 'relaxed-simd', simd: true, threads: 1, isa: 'wasmrelaxed' });
    assert.match(r.stderr, /using variant 'relaxed-simd' with 1 thread/);
  });
});

describe('threads unavailable (SharedArrayBuffer disabled)', () => {
  const flags = ['--no-harmony-sharedarraybuffer'];

  it('auto with threads: 2 warns and runs simd on one thread', async () => {
    const r = await runNode(`
      import { init, info, terminate, detectFeatures } from ${JSON.stringify(INDEX)};
      const i = await init({ threads: 2 });
      console.log(JSON.stringify({ i, f: detectFeatures() }));
      await terminate();`, flags);
    assert.equal(r.code, 0, r.stderr);
    const { i, f } = JSON.parse(r.stdout);
    assert.equal(f.threads, false);
    assert.match(f.threadsReason, /SharedArrayBuffer is not available/);
    assert.deepEqual(i, { variant: 'simd', simd: true, threads: 1, isa: 'wasmsimd' });
    assert.match(r.stderr, /portnn: 2 threads requested but threads are unavailable \(SharedArrayBuffer is not available\); using 1 thread/);
  });

  it("an explicit 'simd-threads' falls back to 'simd' with a warning, not a failure", async () => {
    const r = await runNode(`
      import { init, Unary } from ${JSON.stringify(INDEX)};
      const i = await init({ variant: 'simd-threads', threads: 2 });
      const y = new Unary('relu').run(new Float32Array([-1, 1]));
      console.log(JSON.stringify({ i, y: Array.from(y) }));`, flags);
    assert.equal(r.code, 0, r.stderr);
    const { i, y } = JSON.parse(r.stdout);
    assert.deepEqual(i, { variant: 'simd', simd: true, threads: 1, isa: 'wasmsimd' });
    assert.deepEqual(y, [0, 1]);
    assert.match(r.stderr, /portnn: threads are unavailable \(SharedArrayBuffer is not available\); using variant 'simd' with 1 thread/);
  });
});

describe('.wasm locations', () => {
  let dir;
  let server;
  let base;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'portnn-loader-'));
    copyFileSync(new URL('portnn-simd.wasm', DIST), join(dir, 'renamed-simd.wasm'));
    copyFileSync(new URL('portnn.wasm', DIST), join(dir, 'portnn.wasm'));
    writeFileSync(join(dir, 'not-wasm.wasm'), '<!doctype html><title>oops</title>');
    const simd = readFileSync(new URL('portnn-simd.wasm', DIST));
    server = createServer((req, res) => {
      if (req.url === '/wasm/portnn-simd.wasm') {
        res.writeHead(200, { 'content-type': 'application/wasm' });
        res.end(simd);
      } else if (req.url === '/page.wasm') {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<!doctype html><p>Not found, but with status 200</p>');
      } else {
        res.writeHead(404, { 'content-type': 'text/plain' });
        res.end('not found');
      }
    });
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${server.address().port}`;
  });
  after(async () => {
    await terminate();
    rmSync(dir, { recursive: true, force: true });
    await new Promise((resolve) => server.close(resolve));
  });
  afterEach(() => terminate());

  it('wasmPaths map entry as a filesystem path', async () => {
    const i = await init({ variant: 'simd', wasmPaths: { simd: join(dir, 'renamed-simd.wasm') } });
    assert.equal(i.variant, 'simd');
    assert.deepEqual(relu([-1, 1]), [0, 1]);
  });

  it('wasmPaths map entry as a file: URL, used by auto for the variant it picks', async () => {
    const url = pathToFileURL(join(dir, 'renamed-simd.wasm'));
    const i = await init({ wasmPaths: { simd: url } });
    assert.equal(i.variant, 'simd');
    assert.deepEqual(relu([-1, 1]), [0, 1]);
  });

  it('wasmPaths as a directory', async () => {
    const i = await init({ variant: 'scalar', wasmPaths: dir });
    assert.equal(i.variant, 'scalar');
    assert.deepEqual(relu([-1, 1]), [0, 1]);
  });

  it('wasmPaths over HTTP (fetch)', async () => {
    const i = await init({ variant: 'simd', wasmPaths: `${base}/wasm/` });
    assert.equal(i.variant, 'simd');
    assert.deepEqual(relu([-1, 1]), [0, 1]);
  });

  it('a missing file is an error naming its URL', async () => {
    const missing = join(dir, 'missing.wasm');
    await assert.rejects(init({ variant: 'simd', wasmPaths: { simd: missing } }), (e) => {
      assert.ok(e.message.includes(pathToFileURL(missing).href), e.message);
      assert.match(e.message, /cannot read .*ENOENT/);
      return true;
    });
    assert.throws(() => info(), /call \(and await\) init\(\) first/);
  });

  it('an HTTP 404 is an error naming the URL and the status', async () => {
    const url = `${base}/nowhere/portnn-simd.wasm`;
    await assert.rejects(init({ variant: 'simd', wasmPaths: { simd: url } }), (e) => {
      assert.equal(e.message, `portnn: cannot fetch ${url}: HTTP 404 Not Found`);
      return true;
    });
  });

  it('a non-wasm response is an error naming the URL and what came back', async () => {
    const url = `${base}/page.wasm`;
    await assert.rejects(init({ variant: 'simd', wasmPaths: { simd: url } }), (e) => {
      assert.ok(e.message.startsWith(`portnn: ${url} is not a WebAssembly binary`), e.message);
      assert.match(e.message, /starting with "<!doctype html><"/);
      assert.match(e.message, /content-type text\/html/);
      return true;
    });
    const file = join(dir, 'not-wasm.wasm');
    await assert.rejects(init({ variant: 'simd', wasmPaths: { simd: file } }),
                         new RegExp(`${pathToFileURL(file).href} is not a WebAssembly binary`));
  });

  it('an unreachable server is an error naming the URL', async () => {
    const url = 'http://127.0.0.1:9/portnn-simd.wasm';
    await assert.rejects(init({ variant: 'simd', wasmPaths: { simd: url } }),
                         new RegExp(`cannot fetch ${url.replace(/\./g, '\\.')}`));
  });

  it('wasmBinary bytes with an explicit variant', async () => {
    const bytes = readFileSync(new URL('portnn.wasm', DIST));
    const i = await init({ variant: 'scalar', wasmBinary: bytes });
    assert.equal(i.variant, 'scalar');
    assert.deepEqual(relu([-1, 1]), [0, 1]);
  });

  it('wasmBinary as a map, used by auto; bytes override paths', async () => {
    const bytes = readFileSync(new URL('portnn-simd.wasm', DIST)).buffer;
    const i = await init({ wasmBinary: { simd: bytes }, wasmPaths: { simd: '/nonexistent.wasm' } });
    assert.equal(i.variant, 'simd');
    assert.deepEqual(relu([-1, 1]), [0, 1]);
  });

  it('bytes that do not compile are an error naming their source', async () => {
    const bytes = new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 0xff, 0xff]);
    await assert.rejects(init({ variant: 'simd', wasmBinary: bytes }),
                         /portnn: cannot instantiate wasmBinary \(variant 'simd'\)/);
    await assert.rejects(init({ variant: 'simd', wasmBinary: 'bytes' }),
                         /wasmBinary must be bytes or a map/);
  });
});

describe('life cycle', () => {
  afterEach(() => terminate());

  it('operators and info() need init() first', () => {
    assert.throws(() => info(), /portnn\.info\(\): call \(and await\) init\(\) first/);
    assert.throws(() => new Unary('relu'), /Unary: call \(and await\) init\(\) first/);
  });

  it('init() again with compatible options returns the same runtime; other options throw',
     async () => {
    const first = await init({ variant: 'simd' });
    assert.deepEqual(await init(), first);
    assert.deepEqual(await init({ variant: 'simd', threads: 1 }), first);
    await assert.rejects(init({ variant: 'scalar' }), /already initialized \(variant 'simd', 1 thread\(s\)\); call terminate\(\)/);
    await assert.rejects(init({ threads: 2 }), /already initialized/);
    await assert.rejects(init({ wasmPaths: {} }), /already initialized/);
  });

  it('concurrent init() calls share one load', async () => {
    const [a, b] = await Promise.all([init({ variant: 'scalar' }), init()]);
    assert.deepEqual(a, b);
    assert.equal(b.variant, 'scalar');
  });

  it('terminate() makes older operators throw and allows another init()', async () => {
    await init({ variant: 'simd-threads', threads: 2 });
    const op = new Unary('relu');
    assert.deepEqual(Array.from(op.run(new Float32Array([-1, 3]))), [0, 3]);
    await terminate();
    assert.throws(() => op.run(new Float32Array([1])),
                  /Unary\.run: portnn was terminated; call init\(\) again and create a new operator/);
    op.dispose();  // harmless after terminate
    await terminate();  // idempotent
    const i = await init({ variant: 'scalar' });
    assert.equal(i.variant, 'scalar');
    assert.deepEqual(relu([-2, 2]), [0, 2]);
  });

  it('Node exits after terminate(), and also when the caller forgets it', async () => {
    for (const end of ['await terminate();', '']) {
      const r = await runNode(`
        import { init, terminate, Unary } from ${JSON.stringify(INDEX)};
        const i = await init({ threads: 2 });
        const y = new Unary('relu').run(new Float32Array([-1, 1]));
        console.log(i.variant, i.threads, Array.from(y).join(','));
        ${end}`, [], 15000);
      assert.equal(r.code, 0, `exit ${r.code}: ${r.stderr}`);
      assert.equal(r.stdout.trim(), 'simd-threads 2 0,1');
    }
  });

  it('terminate() stops the worker threads', async () => {
    // Counts the workers the module creates (through Node's worker_threads, which the
    // Emscripten glue requires) and the ones that have exited once terminate() resolves.
    const r = await runNode(`
      import { createRequire } from 'node:module';
      const threads = createRequire(import.meta.url)('worker_threads');
      const made = [];
      const exited = [];
      threads.Worker = class extends threads.Worker {
        constructor(...args) {
          super(...args);
          made.push(this);
          this.on('exit', () => exited.push(this));
        }
      };
      const { init, terminate } = await import(${JSON.stringify(INDEX)});
      await init({ variant: 'simd-threads', threads: 3 });
      const started = made.length;
      await terminate();
      console.log(started, exited.length);`);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), '2 2');
  });
});

// The file paths above are resolved against this file's directory, not the working directory.
assert.equal(fileURLToPath(DIST).endsWith('/dist/'), true);
