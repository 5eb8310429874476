// The error bounds of the transcendental kernels, read from their single source of truth,
// kernels/math-constants.h (`constexpr ErrorBound kExpError = {rel, abs};`), so these tests
// hold the wasm builds to exactly what the native tests assert. Fails loudly if the header or
// its format changes. Read with node:fs under Node and fetched in a browser (the test server
// serves the repository root), so the browser tests share it through reference.mjs.

const HEADER = new URL('../../../kernels/math-constants.h', import.meta.url);
const DENORMAL_STEP = 2 ** -149;

// One term of a bound: a number, kDenormalStep, or `<number> * kDenormalStep`.
function term(text, name) {
  const t = text.trim();
  let m;
  if ((m = /^([0-9.eE+-]+)$/.exec(t))) return Number(m[1]);
  if (t === 'kDenormalStep') return DENORMAL_STEP;
  if ((m = /^([0-9.eE+-]+)\s*\*\s*kDenormalStep$/.exec(t))) return Number(m[1]) * DENORMAL_STEP;
  throw new Error(`bounds.mjs: cannot read ${name} term "${t}" in ${HEADER.pathname}`);
}

async function readHeader() {
  if (HEADER.protocol === 'file:') {
    const { readFileSync } = await import(/* webpackIgnore: true */ 'node:fs');
    return readFileSync(HEADER, 'utf8');
  }
  const response = await fetch(HEADER);
  if (!response.ok) throw new Error(`bounds.mjs: cannot fetch ${HEADER.href}: HTTP ${response.status}`);
  return response.text();
}

function parse(text) {
  const bounds = {};
  const re = /constexpr\s+ErrorBound\s+(k\w+Error)\s*=\s*\{([^,}]+),([^}]+)\}\s*;/g;
  for (const m of text.matchAll(re)) {
    bounds[m[1]] = { rel: term(m[2], m[1]), abs: term(m[3], m[1]) };
  }
  for (const name of ['kExpError', 'kExpm1Error', 'kSigmoidError', 'kTanhError', 'kGeluError',
                      'kGeluTanhError', 'kSiluError', 'kErfError', 'kLogError', 'kSinError',
                      'kCosError', 'kSoftplusError', 'kPowError']) {
    if (!bounds[name]) throw new Error(`bounds.mjs: ${name} not found in ${HEADER.pathname}`);
  }
  // Pow's relative error per unit of |ln pow| (`constexpr double kPowLogRel = x;`).
  const m = /constexpr\s+double\s+kPowLogRel\s*=\s*([0-9.eE+-]+)\s*;/.exec(text);
  if (!m) throw new Error(`bounds.mjs: kPowLogRel not found in ${HEADER.pathname}`);
  bounds.kPowLogRel = Number(m[1]);
  return bounds;
}

/** { kExpError: { rel, abs }, ... } as documented in kernels/math-constants.h. */
export const KERNEL_BOUNDS = parse(await readHeader());
