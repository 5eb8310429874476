// portnn off the main thread (the 'portnn/proxy' entry point): createProxy() starts a module
// Worker that loads the package there (src/proxy-worker.js) and answers messages; every call
// returns a promise, so a page stays responsive while an operator runs. Inputs are copied to the
// worker (or moved, with { transfer: true }), results come back as new Float32Arrays. Browsers
// and Web Workers only. The worker is referenced as `new Worker(new URL(..., import.meta.url),
// { type: 'module' })`, the form Vite and webpack bundle as a worker entry.

/** The operator classes a proxy can create. */
export const CLASSES = Object.freeze([
  'Convolution2D', 'FullyConnected', 'BatchMatMul', 'MaxPooling2D', 'AveragePooling2D',
  'GlobalAveragePooling', 'Unary', 'Binary', 'Softmax', 'Deconvolution2D', 'Resize2D',
]);

// An error from the worker, rebuilt with its class, message and portnn status.
function rebuild(e) {
  const Class = { TypeError, RangeError }[e.name] || Error;
  const error = new Class(e.message);
  if (e.name === 'PortnnError') {
    error.name = 'PortnnError';
    error.status = e.status;
    error.code = e.code;
  }
  return error;
}

/** An operator living in the proxy's worker: the methods of the class, returning promises. */
class ProxyOperator {
  #proxy;
  #handle;
  constructor(proxy, handle, className) {
    this.#proxy = proxy;
    this.#handle = handle;
    this.className = className;
  }
  /** run(...) of the class; resolves to the output as a new Float32Array. */
  run(...args) { return this.#proxy.call(this.#handle, 'run', args); }
  outputShape(...args) { return this.#proxy.call(this.#handle, 'outputShape', args); }
  dispose() { return this.#proxy.call(this.#handle, 'dispose', []); }
}

class Proxy {
  #worker;
  #next = 1;
  #pending = new Map();
  #error = null;
  #transfer;

  constructor(worker, transfer) {
    this.#worker = worker;
    this.#transfer = transfer;
    worker.onmessage = (e) => {
      const { id, result, error } = e.data;
      const p = this.#pending.get(id);
      if (!p) return;
      this.#pending.delete(id);
      if (error) p.reject(rebuild(error)); else p.resolve(result);
    };
    worker.onerror = (e) => {
      e.preventDefault();
      this.#fail(new Error(`portnn proxy: the worker failed: ${e.message || 'it could not be loaded'}`));
    };
    worker.onmessageerror = () => this.#fail(new Error('portnn proxy: a message could not be read'));
  }

  #fail(error) {
    this.#error = error;
    for (const p of this.#pending.values()) p.reject(error);
    this.#pending.clear();
  }

  /** Posts one request; resolves to its result. */
  call(handle, method, args) {
    if (this.#error) return Promise.reject(this.#error);
    const id = this.#next++;
    const transfer = this.#transfer
      ? args.filter((a) => ArrayBuffer.isView(a) && a.buffer instanceof ArrayBuffer).map((a) => a.buffer)
      : [];
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      try {
        this.#worker.postMessage({ id, handle, method, args }, [...new Set(transfer)]);
      } catch (e) {
        this.#pending.delete(id);
        reject(e);
      }
    });
  }

  /** Creates an operator of class `className` (e.g. 'Convolution2D') with the class's arguments. */
  async create(className, ...args) {
    if (!CLASSES.includes(className)) {
      throw new TypeError(`portnn proxy: unknown operator class ${typeof className === 'string' ? `'${className}'` : typeof className} (expected ${CLASSES.join(', ')})`);
    }
    const handle = await this.call(0, 'create', [className, ...args]);
    return new ProxyOperator(this, handle, className);
  }

  /** info() of the runtime in the worker. */
  info() { return this.call(0, 'info', []); }

  /** Terminates the runtime and the worker; pending calls reject. */
  async terminate() {
    if (this.#error) return;
    await this.call(0, 'terminate', []).catch(() => {});
    this.#worker.terminate();
    this.#fail(new Error('portnn proxy: terminated'));
  }
}

/**
 * Starts a worker and runs init(options) there. Options: those of init(), plus `transfer`
 * (move input arrays to the worker instead of copying them; they are then detached here) and
 * `workerUrl` (where src/proxy-worker.js is, for tools that do not bundle workers, e.g. esbuild).
 * Resolves to a proxy: { info(), create(className, ...args), terminate() }.
 */
export async function createProxy(options = {}) {
  if (typeof Worker !== 'function') {
    throw new Error('portnn proxy: needs Web Workers (a browser or a worker); in Node, use the package directly');
  }
  const { transfer = false, workerUrl, ...initOptions } = options;
  const worker = workerUrl !== undefined
    ? new Worker(workerUrl, { type: 'module' })
    : new Worker(new URL('./proxy-worker.js', import.meta.url), { type: 'module' });
  const proxy = new Proxy(worker, transfer === true);
  try {
    await proxy.call(0, 'init', [initOptions]);
  } catch (e) {
    worker.terminate();
    throw e;
  }
  return proxy;
}
