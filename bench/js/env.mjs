// What differs between Node and a browser page for the JS benchmarks: reading files of the
// repository (fs in Node, fetch on the page, which the bench server serves from the repository
// root) and describing the engine. Everything else in bench/js/ is shared by both.

export const isNode =
  typeof process === 'object' && process !== null && typeof process.versions === 'object' &&
  typeof process.versions.node === 'string' && typeof window === 'undefined';

/** The repository root (bench/js/ is two levels below it), as a URL. */
export const REPO_ROOT = new URL('../../', import.meta.url);

// A Node built-in's specifier, built at run time so that no browser tries to resolve it.
function builtin(name) {
  return 'node:' + name;
}

/** Bytes of a file given relative to the repository root (or an absolute URL). */
export async function readBytes(location) {
  const url = location instanceof URL ? location : new URL(location, REPO_ROOT);
  if (isNode && url.protocol === 'file:') {
    const fs = await import(/* webpackIgnore: true */ builtin('fs/promises'));
    const { fileURLToPath } = await import(/* webpackIgnore: true */ builtin('url'));
    const b = await fs.readFile(fileURLToPath(url));
    return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength);
  }
  const response = await fetch(url.href);
  if (!response.ok) throw new Error(`cannot fetch ${url.href}: HTTP ${response.status}`);
  return response.arrayBuffer();
}

export async function readJson(location) {
  return JSON.parse(new TextDecoder().decode(await readBytes(location)));
}

/** A local filesystem path in Node (for libraries that take paths), else the URL's href. */
export async function localPath(location) {
  const url = location instanceof URL ? location : new URL(location, REPO_ROOT);
  if (isNode && url.protocol === 'file:') {
    const { fileURLToPath } = await import(/* webpackIgnore: true */ builtin('url'));
    return fileURLToPath(url);
  }
  return url.href;
}

/** 'node' or 'chromium' (any browser reports as 'chromium' only when it is one). */
export function targetName() {
  if (isNode) return 'node';
  const ua = globalThis.navigator ? navigator.userAgent : '';
  return /Chrom(e|ium)\//.test(ua) ? 'chromium' : 'browser';
}

/** A one-line description of the engine and machine. */
export async function engineInfo() {
  if (isNode) {
    const os = await import(/* webpackIgnore: true */ builtin('os'));
    const cpus = os.cpus();
    return {
      engine: `Node ${process.versions.node} (V8 ${process.versions.v8})`,
      cpu: cpus.length ? cpus[0].model : 'unknown CPU',
      cores: typeof os.availableParallelism === 'function' ? os.availableParallelism() : cpus.length,
      crossOriginIsolated: null,
    };
  }
  const ua = navigator.userAgent;
  const m = ua.match(/(Chrom(?:e|ium)|Firefox|Version)\/([\d.]+)/);
  return {
    engine: m ? `${m[1] === 'Version' ? 'Safari' : m[1]} ${m[2]}` : ua,
    cpu: navigator.platform || 'unknown CPU',
    cores: navigator.hardwareConcurrency || 1,
    crossOriginIsolated: globalThis.crossOriginIsolated === true,
  };
}
