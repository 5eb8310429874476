// Loading: picks a variant, reads its .wasm bytes (fs in Node, fetch elsewhere), instantiates the
// Emscripten module with them, initializes the library and, for the threaded variant, waits for
// the workers and creates the pool. One runtime at a time: init(), info(), terminate().

import { detectFeatures, isNode, logicalCores, nodeBuiltin } from './features.js';

export const VARIANTS = Object.freeze(['scalar', 'simd', 'simd-threads']);

const FILES = Object.freeze({
  'scalar': { glue: 'portnn.mjs', wasm: 'portnn.wasm' },
  'simd': { glue: 'portnn-simd.mjs', wasm: 'portnn-simd.wasm' },
  'simd-threads': { glue: 'portnn-simd-threads.mjs', wasm: 'portnn-simd-threads.wasm' },
});

const DIST = new URL('../dist/', import.meta.url);

const MAX_THREADS = 1024;  // PNN_MAX_THREADS

// The intrinsic typed-array accessors: a subclass or an own property cannot fake them.
const TypedArrayPrototype = Object.getPrototypeOf(Uint8Array.prototype);
const typedArrayTag = Object.getOwnPropertyDescriptor(TypedArrayPrototype, Symbol.toStringTag).get;
const typedArrayLength = Object.getOwnPropertyDescriptor(TypedArrayPrototype, 'length').get;
const isSharedArrayBuffer = (() => {
  const get = typeof SharedArrayBuffer === 'function'
    ? Object.getOwnPropertyDescriptor(SharedArrayBuffer.prototype, 'byteLength').get : null;
  return (value) => {
    if (get === null || value === null || typeof value !== 'object') return false;
    try { get.call(value); return true; } catch { return false; }
  };
})();

/**
 * A short description of an argument for error messages ('the string '3'', '2n (a BigInt)',
 * 'a Float64Array of 4 elements'...). Runs none of the caller's code (no toString(), no getters),
 * so a hostile argument cannot throw from, or change, the message.
 */
export function describeValue(value) {
  switch (typeof value) {
    case 'string':
      return `the string '${value.length > 40 ? `${value.slice(0, 40)}...` : value}'`;
    case 'bigint': return `${value}n (a BigInt)`;
    case 'symbol': return 'a symbol';
    case 'function': return 'a function';
    case 'number': return Object.is(value, -0) ? '-0' : String(value);
    case 'object': break;
    default: return String(value);  // undefined, boolean
  }
  if (value === null) return 'null';
  try {
    const tag = typedArrayTag.call(value);
    if (tag !== undefined) return `a ${tag} of ${typedArrayLength.call(value)} elements`;
    if (ArrayBuffer.isView(value)) return 'a DataView';
    if (isSharedArrayBuffer(value)) return 'a SharedArrayBuffer';
    if (Array.isArray(value)) return 'an array';
  } catch {
    return 'an unreadable object';  // e.g. a revoked Proxy
  }
  return 'an object';
}

// How long init() waits for the threaded variant's workers to load before it goes on with the
// ones that did (each is a fresh JS context that loads the module's glue).
const WORKER_LOAD_TIMEOUT_MS = 20000;

/** An error that carries the C status of a failed portnn call. */
export class PortnnError extends Error {
  constructor(message, status, code) {
    super(message);
    this.name = 'PortnnError';
    /** The status name, e.g. 'invalid parameter'. */
    this.status = status;
    /** The numeric enum pnn_status. */
    this.code = code;
  }
}

function warn(message) {
  // eslint-disable-next-line no-console
  console.warn(`portnn: ${message}`);
}

async function nodeModules() {
  const [fs, url, path] = await Promise.all([
    import(/* webpackIgnore: true */ nodeBuiltin('fs/promises')),
    import(/* webpackIgnore: true */ nodeBuiltin('url')),
    import(/* webpackIgnore: true */ nodeBuiltin('path')),
  ]);
  return { fs, url, path };
}

// A wasmPaths entry as a URL: URL objects as given; in Node, filesystem paths (absolute, or
// relative to the working directory) and file:/http(s): URLs; elsewhere, URLs relative to the
// document.
async function resolveLocation(location) {
  if (location instanceof URL) return location;
  if (typeof location !== 'string' || location === '') {
    throw new TypeError(`portnn: a wasm location must be a non-empty string or a URL, got ${location}`);
  }
  if (isNode) {
    if (/^(file|https?|data):/i.test(location)) return new URL(location);
    const { url, path } = await nodeModules();
    return url.pathToFileURL(path.resolve(location));
  }
  const base = globalThis.location && globalThis.location.href ? globalThis.location.href
                                                                  : import.meta.url;
  return new URL(location, base);
}

function describeBytes(bytes) {
  const head = new Uint8Array(bytes, 0, Math.min(16, bytes.byteLength));
  const text = Array.from(head, (b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.'))
                   .join('');
  return `${bytes.byteLength} bytes starting with "${text}"`;
}

function isWasm(bytes) {
  const b = new Uint8Array(bytes, 0, Math.min(8, bytes.byteLength));
  return b.length === 8 && b[0] === 0x00 && b[1] === 0x61 && b[2] === 0x73 && b[3] === 0x6d &&
         b[4] === 0x01 && b[5] === 0x00 && b[6] === 0x00 && b[7] === 0x00;
}

/** Reads a .wasm file: fs for file: URLs in Node, fetch otherwise. Errors name the URL. */
export async function fetchWasm(url) {
  let bytes;
  let contentType = '';
  if (isNode && url.protocol === 'file:') {
    const { fs, url: nodeUrl } = await nodeModules();
    try {
      const buffer = await fs.readFile(nodeUrl.fileURLToPath(url));
      bytes = buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength);
    } catch (e) {
      throw new Error(`portnn: cannot read ${url.href}: ${e.code || e.message}`, { cause: e });
    }
  } else {
    let response;
    try {
      response = await fetch(url.href, { credentials: 'same-origin' });
    } catch (e) {
      throw new Error(`portnn: cannot fetch ${url.href}: ${e.message}`, { cause: e });
    }
    if (!response.ok) {
      throw new Error(`portnn: cannot fetch ${url.href}: HTTP ${response.status} ${response.statusText}`.trimEnd());
    }
    contentType = response.headers.get('content-type') || '';
    bytes = await response.arrayBuffer();
  }
  if (!isWasm(bytes)) {
    const type = contentType ? `, content-type ${contentType}` : '';
    throw new Error(`portnn: ${url.href} is not a WebAssembly binary (${describeBytes(bytes)}${type})`);
  }
  return bytes;
}

// Bytes: an ArrayBuffer, a SharedArrayBuffer or a view of either.
function isBytes(bytes) {
  return bytes instanceof ArrayBuffer || ArrayBuffer.isView(bytes) || isSharedArrayBuffer(bytes);
}

// Bytes as an ArrayBuffer of their own (a copy unless given as one): the module is compiled
// from unshared bytes, which the caller cannot change meanwhile.
function toArrayBuffer(bytes, what) {
  if (bytes instanceof ArrayBuffer) return bytes;
  if (isSharedArrayBuffer(bytes)) return new Uint8Array(bytes).slice().buffer;
  if (ArrayBuffer.isView(bytes)) {
    return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength).slice().buffer;
  }
  throw new TypeError(`portnn: ${what} must be an ArrayBuffer or a typed array, got ${describeValue(bytes)}`);
}

function checkVariantKeys(map, what) {
  for (const key of Object.keys(map)) {
    if (!VARIANTS.includes(key)) {
      throw new TypeError(`portnn: ${what} has an unknown variant '${key}' (expected ${VARIANTS.join(', ')})`);
    }
  }
}

// The types and ranges of init()'s options, checked before anything else (also when initialized).
// Returns a copy read once, so that getters cannot change an option after its check.
function checkOptions(options) {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new TypeError(`portnn: init() takes an options object, got ${describeValue(options)}`);
  }
  const { variant, threads, wasmPaths, wasmBinary } = options;
  if (variant !== undefined && variant !== 'auto' && !VARIANTS.includes(variant)) {
    const what = typeof variant === 'string' ? `'${variant}'` : describeValue(variant);
    throw new TypeError(`portnn: unknown variant ${what} (expected auto, ${VARIANTS.join(', ')})`);
  }
  if (threads !== undefined &&
      (typeof threads !== 'number' || !Number.isInteger(threads) || threads < 0 ||
       threads > MAX_THREADS)) {
    const message = `portnn: threads must be a non-negative integer (0: one per core) up to ${MAX_THREADS}, got ${describeValue(threads)}`;
    throw typeof threads === 'number' ? new RangeError(message) : new TypeError(message);
  }
  return { variant, threads, wasmPaths, wasmBinary };
}

// Which variant to load and how many threads, from the options and the engine's features.
async function plan(options) {
  const variant = options.variant === undefined ? 'auto' : options.variant;
  // Default thread count: one per logical processor in browsers when threads are usable (so a
  // cross-origin-isolated page gets 'simd-threads' from a plain init()); one in Node, where a
  // worker costs ~30 ms of start-up and keeps the process alive until terminate().
  let threads = options.threads;
  if (threads === undefined) threads = !isNode && detectFeatures().threads ? 0 : 1;
  if (threads === 0) threads = Math.min(await logicalCores(), MAX_THREADS);

  const features = detectFeatures();
  if (!features.wasm) throw new Error('portnn: this JS engine has no WebAssembly');
  let chosen = variant;
  if (variant === 'auto') {
    chosen = features.simd ? (threads > 1 && features.threads ? 'simd-threads' : 'simd') : 'scalar';
  } else if (variant !== 'scalar' && !features.simd) {
    throw new Error(`portnn: variant '${variant}' needs WebAssembly SIMD128, which this engine lacks (use 'scalar' or 'auto')`);
  }
  if (chosen === 'simd-threads' && !features.threads) {
    // Threads were asked for explicitly but cannot run here: same kernels, one thread.
    warn(`threads are unavailable (${features.threadsReason}); using variant 'simd' with 1 thread`);
    chosen = 'simd';
    threads = 1;
  } else if (threads > 1 && chosen !== 'simd-threads') {
    const why = features.threads ? `variant '${chosen}' has no threads`
                                 : `threads are unavailable (${features.threadsReason})`;
    warn(`${threads} threads requested but ${why}; using 1 thread`);
    threads = 1;
  }
  return { variant: chosen, threads };
}

// The bytes of `variant`'s .wasm: given bytes, else the given location, else the packaged file.
async function wasmBytes(variant, options) {
  const { wasmBinary, wasmPaths } = options;
  if (wasmBinary !== undefined && wasmBinary !== null) {
    if (isBytes(wasmBinary)) {
      if (options.variant === undefined || options.variant === 'auto') {
        throw new TypeError("portnn: wasmBinary given as bytes needs an explicit variant ('scalar', 'simd' or 'simd-threads'), or give a map { variant: bytes }");
      }
      return { bytes: toArrayBuffer(wasmBinary, 'wasmBinary'), source: 'wasmBinary' };
    }
    if (typeof wasmBinary !== 'object' || Array.isArray(wasmBinary)) {
      throw new TypeError(`portnn: wasmBinary must be bytes or a map { variant: bytes }, got ${describeValue(wasmBinary)}`);
    }
    checkVariantKeys(wasmBinary, 'wasmBinary');
    if (wasmBinary[variant] !== undefined) {
      return { bytes: toArrayBuffer(wasmBinary[variant], `wasmBinary['${variant}']`),
               source: `wasmBinary['${variant}']` };
    }
  }
  let url = new URL(FILES[variant].wasm, DIST);
  if (wasmPaths !== undefined && wasmPaths !== null) {
    if (typeof wasmPaths === 'string' || wasmPaths instanceof URL) {
      // A directory holding the .wasm files.
      let dir = wasmPaths instanceof URL ? wasmPaths.href : wasmPaths;
      if (!dir.endsWith('/')) dir += '/';
      url = await resolveLocation(dir + FILES[variant].wasm);
    } else if (typeof wasmPaths === 'object') {
      checkVariantKeys(wasmPaths, 'wasmPaths');
      if (wasmPaths[variant] !== undefined) url = await resolveLocation(wasmPaths[variant]);
    } else {
      throw new TypeError(`portnn: wasmPaths must be a directory (string or URL) or a map { variant: location }, got ${describeValue(wasmPaths)}`);
    }
  }
  return { bytes: await fetchWasm(url), source: url.href };
}

// ---------------------------------------------------------------------------------------------

let current = null;  // the live Runtime
let pending = null;  // { promise, key } of an init() in progress

/** One instantiated module with its library state and pool. */
export class Runtime {
  constructor(mod, variant) {
    this.mod = mod;
    this.variant = variant;
    this.alive = true;
    this.pool = 0;
    this.threads = 1;
    this.scratch = 0;  // 256 bytes for out-parameters and small shape arrays
  }

  get buffer() {
    // The threaded build's memory is a SharedArrayBuffer that growth replaces; the others keep
    // Module.HEAPU8 current on growth.
    return this.mod.wasmMemory ? this.mod.wasmMemory.buffer : this.mod.HEAPU8.buffer;
  }
  f32(ptr, count) { return new Float32Array(this.buffer, ptr, count); }
  u32(ptr, count) { return new Uint32Array(this.buffer, ptr, count); }

  cstring(ptr) {
    const heap = new Uint8Array(this.buffer);
    let end = ptr;
    while (heap[end] !== 0) end++;
    // slice(): TextDecoder rejects views of a SharedArrayBuffer.
    return new TextDecoder().decode(heap.slice(ptr, end));
  }

  statusName(code) { return this.cstring(this.mod._pnn_status_string(code)); }

  check(code, what) {
    if (code !== 0) {
      const status = this.statusName(code);
      throw new PortnnError(`${what} failed: ${status}`, status, code);
    }
  }

  // `who` and `what` name the caller and the buffer in the error. _malloc takes a 32-bit size_t:
  // a larger request would wrap around to a small one, so it is refused here, as is one beyond
  // the heap's cap. Pointers are read unsigned (a 4 GB heap has addresses above 2^31).
  malloc(bytes, who = 'portnn', what = 'a buffer') {
    const size = Math.max(bytes, 1);
    const max = this.heapMax();
    const ptr = Number.isSafeInteger(size) && size <= max ? this.mod._malloc(size) >>> 0 : 0;
    if (ptr === 0) {
      throw new PortnnError(`${who}: out of WebAssembly memory allocating ${bytes} bytes for ${what} (the module heap grows to at most ${max} bytes; ${this.heapInUse()} are in use)`,
                            'out of memory', 4);
    }
    return ptr;
  }
  free(ptr) { if (ptr !== 0) this.mod._free(ptr); }

  /** Bytes of the module heap held by live allocations (library and operators' buffers). */
  heapInUse() { return this.mod._pnnw_heap_in_use() >>> 0; }
  /** The most bytes the module's memory can grow to. */
  heapMax() { return this.mod._pnnw_heap_max() >>> 0; }

  assertAlive(who) {
    if (!this.alive) {
      throw new Error(`${who}: portnn was terminated; call init() again and create a new operator`);
    }
  }
}

function workersOf(mod) {
  const pthread = mod.PThread;
  return pthread ? pthread.unusedWorkers.concat(pthread.runningWorkers) : [];
}

// Resolves when every preloaded worker reported 'loaded' (or failed, or the timeout passed).
function waitForWorkers(mod, timeoutMs) {
  const workers = mod.PThread ? mod.PThread.unusedWorkers.slice() : [];
  const waits = workers.map((worker) => new Promise((resolve) => {
    if (worker.loaded) { resolve(); return; }
    let timer = null;
    const done = () => {
      clearTimeout(timer);
      if (isNode) {
        worker.off('message', onMessage);
        worker.off('error', done);
      } else {
        worker.removeEventListener('message', onBrowserMessage);
        worker.removeEventListener('error', done);
      }
      resolve();
    };
    const onMessage = (data) => { if (worker.loaded || (data && data.cmd === 'loaded')) done(); };
    const onBrowserMessage = (e) => onMessage(e.data);
    timer = setTimeout(done, timeoutMs);
    if (isNode) {
      worker.on('message', onMessage);
      worker.on('error', done);
    } else {
      worker.addEventListener('message', onBrowserMessage);
      worker.addEventListener('error', done);
    }
  }));
  return Promise.all(waits);
}

async function importGlue(variant) {
  const glueUrl = new URL(FILES[variant].glue, DIST);
  try {
    return (await import(/* webpackIgnore: true */ glueUrl.href)).default;
  } catch (e) {
    throw new Error(`portnn: cannot load ${glueUrl.href}: ${e.message}`, { cause: e });
  }
}

async function instantiate(variant, threads, options) {
  // The bytes and the glue load concurrently.
  const glue = importGlue(variant);
  glue.catch(() => {});  // reported below, after a failure to read the bytes if both fail
  const { bytes, source } = await wasmBytes(variant, options);
  const factory = await glue;
  const messages = [];
  // Emscripten's threaded glue assigns Node's Worker class to the global Worker; it is put back
  // as it was once the workers exist, so that code probing for a browser is not misled.
  const hadWorker = Object.prototype.hasOwnProperty.call(globalThis, 'Worker');
  const oldWorker = globalThis.Worker;
  let mod;
  try {
    mod = await factory({
      wasmBinary: bytes,
      // Workers preloaded by the threaded build (PTHREAD_POOL_SIZE reads this): the caller's
      // thread is the pool's first thread.
      pnnWorkers: variant === 'simd-threads' ? threads - 1 : 0,
      print: (text) => messages.push(text),
      printErr: (text) => messages.push(text),
    });
  } catch (e) {
    const detail = e && e.message ? e.message : String(e);
    throw new Error(`portnn: cannot instantiate ${source} (variant '${variant}'): ${detail}`, { cause: e });
  } finally {
    if (isNode && globalThis.Worker !== oldWorker) {
      if (hadWorker) globalThis.Worker = oldWorker; else delete globalThis.Worker;
    }
  }
  const runtime = new Runtime(mod, variant);
  try {
    if (mod._pnnw_sizeof_size_t() !== 4) throw new Error('portnn: expected a wasm32 module');
    runtime.check(mod._pnn_initialize(), 'portnn: pnn_initialize');
    runtime.scratch = runtime.malloc(256);

    if (variant === 'simd-threads' && threads > 1) {
      await waitForWorkers(mod, WORKER_LOAD_TIMEOUT_MS);
      runtime.check(mod._pnn_threadpool_create(threads, runtime.scratch),
                    'portnn: pnn_threadpool_create');
      runtime.pool = runtime.u32(runtime.scratch, 1)[0];
      runtime.check(mod._pnn_threadpool_threads_count(runtime.pool, runtime.scratch),
                    'portnn: pnn_threadpool_threads_count');
      runtime.threads = runtime.u32(runtime.scratch, 1)[0];
      if (runtime.threads < threads) {
        warn(`only ${runtime.threads} of ${threads} threads could start (workers failed to load in time)`);
      }
    }
  } catch (e) {
    // No half-initialized runtime stays behind, and no workers.
    runtime.alive = false;
    if (runtime.pool !== 0) mod._pnn_threadpool_destroy(runtime.pool);
    if (mod.PThread) mod.PThread.terminateAllThreads();
    throw e;
  }
  // Idle workers must not keep Node alive; a run blocks the caller's thread until it is done.
  if (isNode) for (const worker of workersOf(mod)) worker.unref();
  return runtime;
}

/** The live runtime, or an Error naming `who` when init() has not completed. */
export function requireRuntime(who) {
  if (current === null) throw new Error(`${who}: call (and await) init() first`);
  return current;
}

function describe(runtime) {
  return {
    variant: runtime.variant,
    simd: runtime.variant !== 'scalar',
    threads: runtime.threads,
    isa: runtime.cstring(runtime.mod._pnn_isa_name()),
  };
}

/**
 * Loads and initializes portnn. See index.d.ts for the options. Resolves to info().
 */
export async function init(options = {}) {
  options = checkOptions(options);
  if (current !== null) {
    const explicitVariant = options.variant !== undefined && options.variant !== 'auto';
    if ((explicitVariant && options.variant !== current.variant) ||
        (options.threads !== undefined && options.threads !== 0 && options.threads !== current.threads) ||
        options.wasmBinary !== undefined || options.wasmPaths !== undefined) {
      throw new Error(`portnn: already initialized (variant '${current.variant}', ${current.threads} thread(s)); call terminate() before init() with other options`);
    }
    return describe(current);
  }
  if (pending !== null) {
    await pending.catch(() => {});
    return init(options);
  }
  pending = (async () => {
    const { variant, threads } = await plan(options);
    current = await instantiate(variant, threads, options);
  })();
  try {
    await pending;
  } finally {
    pending = null;
  }
  return describe(current);
}

/** { variant, simd, threads, isa } of the live runtime. Throws before init(). */
export function info() {
  return describe(requireRuntime('portnn.info()'));
}

/**
 * Destroys the pool and stops the worker threads; operators created before throw afterwards.
 * Resolves when the workers have exited. A no-op when nothing is initialized.
 */
export async function terminate() {
  if (pending !== null) await pending.catch(() => {});
  const runtime = current;
  if (runtime === null) return;
  current = null;
  runtime.alive = false;
  const { mod } = runtime;
  if (runtime.pool !== 0) {
    mod._pnn_threadpool_destroy(runtime.pool);
    runtime.pool = 0;
  }
  const workers = workersOf(mod);
  const exits = isNode ? workers.map((w) => new Promise((resolve) => {
    if (w.threadId === -1) resolve(); else w.once('exit', resolve);
  })) : [];
  if (mod.PThread) mod.PThread.terminateAllThreads();
  await Promise.all(exits);
}
