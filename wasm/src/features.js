// What this JS engine can run: WebAssembly SIMD128, relaxed SIMD, and threads (shared memory,
// atomics, and a context allowed to share memory with workers). Probed once with tiny
// hand-assembled modules.

// (func (result v128) i32.const 0  i8x16.splat  i8x16.popcnt): popcnt is in the final SIMD128
// opcode table only, so engines with an early prototype of the proposal answer false.
const SIMD_PROBE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version
  0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, // type section: () -> v128
  0x03, 0x02, 0x01, 0x00, // function section
  0x0a, 0x0a, 0x01, 0x08, 0x00, 0x41, 0x00, 0xfd, 0x0f, 0xfd, 0x62, 0x0b, // code
]);

// (func (result v128) three i8x16.splat of i32.const 0, f32x4.relaxed_madd): the standardized
// relaxed-SIMD opcode (0xfd 0x105), the one instruction the relaxed-simd variants add (with
// relaxed_nmadd); engines without relaxed SIMD (Node 20 without --experimental-wasm-relaxed-simd,
// Safari, Firefox before 120) answer false.
const RELAXED_SIMD_PROBE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version
  0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, // type section: () -> v128
  0x03, 0x02, 0x01, 0x00, // function section
  0x0a, 0x13, 0x01, 0x11, 0x00, // code section, one body without locals
  0x41, 0x00, 0xfd, 0x0f, 0x41, 0x00, 0xfd, 0x0f, 0x41, 0x00, 0xfd, 0x0f,
  0xfd, 0x85, 0x02, 0x0b,
]);

// A shared memory (min 1, max 1 page) and (func i32.const 0  i32.atomic.load  drop).
const THREADS_PROBE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version
  0x01, 0x04, 0x01, 0x60, 0x00, 0x00, // type section: () -> ()
  0x03, 0x02, 0x01, 0x00, // function section
  0x05, 0x04, 0x01, 0x03, 0x01, 0x01, // memory section: shared, 1..1 pages
  0x0a, 0x0b, 0x01, 0x09, 0x00, 0x41, 0x00, 0xfe, 0x10, 0x02, 0x00, 0x1a, 0x0b, // code
]);

export const isNode =
  typeof process === 'object' && process !== null && typeof process.versions === 'object' &&
  typeof process.versions.node === 'string' && typeof window === 'undefined';

function validate(bytes) {
  try {
    return typeof WebAssembly === 'object' && WebAssembly.validate(bytes);
  } catch {
    return false;
  }
}

let cached = null;

/**
 * { wasm, simd, relaxedSimd, threads, threadsReason }: threadsReason says why threads are
 * unusable ('' when they are usable).
 */
export function detectFeatures() {
  if (cached !== null) return { ...cached };
  const wasm = typeof WebAssembly === 'object' && typeof WebAssembly.instantiate === 'function';
  const simd = wasm && validate(SIMD_PROBE);
  const relaxedSimd = simd && validate(RELAXED_SIMD_PROBE);
  let threadsReason = '';
  if (!wasm) {
    threadsReason = 'WebAssembly is not available';
  } else if (!isNode && globalThis.crossOriginIsolated !== true) {
    // Browsers give shared memory (SharedArrayBuffer) to cross-origin isolated pages only: the
    // missing headers are the cause to name, the missing SharedArrayBuffer only the symptom.
    threadsReason = 'the page is not cross-origin isolated: serve it with the headers ' +
      'Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp ' +
      '(without them browsers provide no SharedArrayBuffer)';
  } else if (typeof SharedArrayBuffer === 'undefined') {
    threadsReason = 'SharedArrayBuffer is not available';
  } else if (!validate(THREADS_PROBE)) {
    threadsReason = 'WebAssembly shared memory and atomics are not supported';
  } else if (!isNode && typeof Worker === 'undefined') {
    threadsReason = 'Web Workers are not available';
  } else {
    try {
      const memory = new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
      if (!(memory.buffer instanceof SharedArrayBuffer)) {
        threadsReason = 'shared WebAssembly.Memory is not backed by a SharedArrayBuffer';
      }
    } catch (e) {
      threadsReason = `shared WebAssembly.Memory cannot be created (${e.message})`;
    }
  }
  cached = { wasm, simd, relaxedSimd, threads: threadsReason === '', threadsReason };
  return { ...cached };
}

/** Logical processors of this machine (at least 1). */
export async function logicalCores() {
  if (isNode) {
    const os = await import(/* webpackIgnore: true */ nodeBuiltin('os'));
    const n = typeof os.availableParallelism === 'function' ? os.availableParallelism()
                                                             : os.cpus().length;
    return Math.max(1, n | 0);
  }
  const n = globalThis.navigator && globalThis.navigator.hardwareConcurrency;
  return Math.max(1, (n | 0) || 1);
}

// A Node built-in's specifier, built at run time so that web bundlers leave it alone.
export function nodeBuiltin(name) {
  return 'node:' + name;
}
