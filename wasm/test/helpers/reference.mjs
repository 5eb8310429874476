// Double-precision references for the operators (JS numbers are doubles), straight from the
// formulas in include/portnn.h, and the tolerance each float32 result is held to. The tolerances
// are the ones the native tests derive (tests/reference/*.h), restated here with their reasons;
// the transcendental kernels' bounds come from kernels/math-constants.h (bounds.mjs).
// The one reference of the JS tests: the Node tests (wasm/test) and the browser page
// (tests/web/cases.mjs, served from the repository root) import this same file, so it is a
// plain ES module without Node built-ins.

import { KERNEL_BOUNDS as K } from './bounds.mjs';

const U = 2 ** -24;               // unit roundoff of float32
const DENORMAL_STEP = 2 ** -149;  // smallest positive float32

// ---------------------------------------------------------------------------------------------
// Reductions (convolution, fully connected, batch matmul).
//
// A float32 dot product of length K plus a bias, summed in any order, with or without fused
// multiply-adds, is within gamma(K+1) * (|bias| + sum|x*w|) of the exact value, where
// gamma(n) = n*u / (1 - n*u). For K + 1 <= 160, gamma < 1e-5, so 1e-5 * magnitude is a proven
// bound, not a fitted one; the tests keep K below MAX_REDUCTION and assert it. The 1e-6 absolute
// term covers sums of subnormal terms. A clamp applied to both sides never widens the gap.
export const MAX_REDUCTION = 159;
export function dotTolerance(magnitude) { return 1e-5 * magnitude + 1e-6; }

export function clamp(v, lo = -Infinity, hi = Infinity) {
  return Math.min(Math.max(v, lo), hi);
}

// Output size and leading padding of one axis (null when the output would be empty).
// Explicit padding: out = (in + before + after - extent) / stride + 1.
// TensorFlow SAME:  out = ceil(in / stride), total = max((out - 1) * stride + extent - in, 0),
//                   before = floor(total / 2) (the odd pixel goes after).
export function axis(input, kernel, stride, dilation, before, after, same) {
  const extent = dilation * (kernel - 1) + 1;
  if (same) {
    const out = Math.ceil(input / stride);
    const total = Math.max((out - 1) * stride + extent - input, 0);
    return { out, before: Math.floor(total / 2) };
  }
  const padded = input + before + after;
  if (padded < extent) return null;
  return { out: Math.floor((padded - extent) / stride) + 1, before };
}

/**
 * Calls visit(iy, ix, ky, kx) for each tap of the kh x kw window of output (oy, ox) that lies
 * inside the ih x iw input (y, x: axis() of each; p: strides sh, sw and dilations dh, dw).
 */
function forEachTap(p, kh, kw, y, x, oy, ox, ih, iw, visit) {
  for (let ky = 0; ky < kh; ky++) {
    const iy = oy * p.sh + ky * p.dh - y.before;
    if (iy < 0 || iy >= ih) continue;
    for (let kx = 0; kx < kw; kx++) {
      const ix = ox * p.sw + kx * p.dw - x.before;
      if (ix < 0 || ix >= iw) continue;
      visit(iy, ix, ky, kx);
    }
  }
}

/**
 * Convolution, NHWC. p: { kh, kw, sh, sw, dh, dw, pt, pr, pb, pl, groups, gic, goc, same }.
 * Returns { shape, value, tolerance } before clamping (or null for an empty output).
 */
export function convolution2d(p, n, ih, iw, input, kernel, bias, min, max) {
  const y = axis(ih, p.kh, p.sh, p.dh, p.pt, p.pb, p.same);
  const x = axis(iw, p.kw, p.sw, p.dw, p.pl, p.pr, p.same);
  if (y === null || x === null) return null;
  const cin = p.groups * p.gic;
  const cout = p.groups * p.goc;
  const size = n * y.out * x.out * cout;
  const value = new Float64Array(size);
  const tolerance = new Float64Array(size);
  for (let b = 0; b < n; b++) {
    for (let oy = 0; oy < y.out; oy++) {
      for (let ox = 0; ox < x.out; ox++) {
        for (let g = 0; g < p.groups; g++) {
          for (let oc = 0; oc < p.goc; oc++) {
            const o = g * p.goc + oc;
            let acc = bias ? bias[o] : 0;
            let mag = Math.abs(acc);
            forEachTap(p, p.kh, p.kw, y, x, oy, ox, ih, iw, (iy, ix, ky, kx) => {
              const xi = ((b * ih + iy) * iw + ix) * cin + g * p.gic;
              const wi = ((o * p.kh + ky) * p.kw + kx) * p.gic;
              for (let ic = 0; ic < p.gic; ic++) {
                const t = input[xi + ic] * kernel[wi + ic];
                acc += t;
                mag += Math.abs(t);
              }
            });
            const idx = ((b * y.out + oy) * x.out + ox) * cout + o;
            value[idx] = clamp(acc, min, max);
            tolerance[idx] = dotTolerance(mag);
          }
        }
      }
    }
  }
  return { shape: [n, y.out, x.out, cout], value, tolerance };
}

/** Fully connected: out[b][o] = clamp(bias[o] + sum_i x[b][i] * W[o][i]) (W^T if transposed). */
export function fullyConnected(batch, ic, oc, input, kernel, bias, transposed, min, max) {
  const value = new Float64Array(batch * oc);
  const tolerance = new Float64Array(batch * oc);
  for (let b = 0; b < batch; b++) {
    for (let o = 0; o < oc; o++) {
      let acc = bias ? bias[o] : 0;
      let mag = Math.abs(acc);
      for (let i = 0; i < ic; i++) {
        const t = input[b * ic + i] * (transposed ? kernel[i * oc + o] : kernel[o * ic + i]);
        acc += t;
        mag += Math.abs(t);
      }
      value[b * oc + o] = clamp(acc, min, max);
      tolerance[b * oc + o] = dotTolerance(mag);
    }
  }
  return { value, tolerance };
}

/** `shape` with 1s in front, to `rank` dims (NumPy's right alignment). */
function padShape(shape, rank) {
  return new Array(rank - shape.length).fill(1).concat(shape);
}

/**
 * Where the element at row-major index t of the broadcast shape `out` comes from: its indices in
 * A and B, whose shapes (padded to out's rank) are `padA` and `padB` (their dims of 1 repeat).
 */
function broadcastSources(t, out, padA, padB) {
  let rest = t;
  let ia = 0;
  let ib = 0;
  let sa = 1;
  let sb = 1;
  for (let d = out.length - 1; d >= 0; d--) {
    const c = rest % out[d];
    rest = Math.floor(rest / out[d]);
    ia += (padA[d] === 1 ? 0 : c) * sa;
    ib += (padB[d] === 1 ? 0 : c) * sb;
    sa *= padA[d];
    sb *= padB[d];
  }
  return [ia, ib];
}

/**
 * Batch matmul with NumPy broadcasting of the batch dims (right-aligned, missing dims = 1).
 * A is [..., M, K] ([..., K, M] if transposeA), B is [..., K, N] ([..., N, K] if transposeB).
 */
export function batchMatMul(aShape, bShape, a, b, transposeA, transposeB) {
  const m = transposeA ? aShape.at(-1) : aShape.at(-2);
  const k = transposeA ? aShape.at(-2) : aShape.at(-1);
  const n = transposeB ? bShape.at(-2) : bShape.at(-1);
  const rank = Math.max(aShape.length, bShape.length) - 2;
  const ba = padShape(aShape.slice(0, -2), rank);
  const bb = padShape(bShape.slice(0, -2), rank);
  const bo = ba.map((d, i) => Math.max(d, bb[i]));
  const batches = bo.reduce((x, y) => x * y, 1);
  const value = new Float64Array(batches * m * n);
  const tolerance = new Float64Array(batches * m * n);
  for (let t = 0; t < batches; t++) {
    const [ia, ib] = broadcastSources(t, bo, ba, bb);
    const a0 = ia * m * k;
    const b0 = ib * k * n;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let acc = 0;
        let mag = 0;
        for (let q = 0; q < k; q++) {
          const av = transposeA ? a[a0 + q * m + i] : a[a0 + i * k + q];
          const bv = transposeB ? b[b0 + j * k + q] : b[b0 + q * n + j];
          acc += av * bv;
          mag += Math.abs(av * bv);
        }
        value[(t * m + i) * n + j] = acc;
        tolerance[(t * m + i) * n + j] = dotTolerance(mag);
      }
    }
  }
  return { shape: [...bo, m, n], value, tolerance, k };
}

// ---------------------------------------------------------------------------------------------
// Pooling.
//
// Max pooling and clamps are exact in float (tolerance 0). A float average of `count` terms
// summed one by one and scaled by fl(1/count) is within (count + 1) * u * max|x| of the exact
// mean. The bound used, 1e-6 * (1 + max|x|) * (log2(count) + 1), dominates that for every
// count <= MAX_AVERAGE_COUNT, so the tests keep windows within it.
export const MAX_AVERAGE_COUNT = 128;
export function averageTolerance(count, maxAbs) {
  return 1e-6 * (1 + maxAbs) * (Math.log2(count) + 1);
}

/**
 * Max or average pooling, NHWC. p: { ph, pw, sh, sw, dh, dw, pt, pr, pb, pl, same,
 * includePad, channels }. Padded taps never win a max; they count in the average's divisor only
 * with includePad. Null when the output would be empty or a window lies wholly in the padding.
 */
export function pooling2d(isMax, p, n, ih, iw, input, min, max) {
  const y = axis(ih, p.ph, p.sh, p.dh, p.pt, p.pb, p.same);
  const x = axis(iw, p.pw, p.sw, p.dw, p.pl, p.pr, p.same);
  if (y === null || x === null) return null;
  const c = p.channels;
  const size = n * y.out * x.out * c;
  const value = new Float64Array(size);
  const tolerance = new Float64Array(size);
  const taps = p.ph * p.pw;
  for (let b = 0; b < n; b++) {
    for (let oy = 0; oy < y.out; oy++) {
      for (let ox = 0; ox < x.out; ox++) {
        for (let ch = 0; ch < c; ch++) {
          let best = -Infinity;
          let sum = 0;
          let maxAbs = 0;
          let valid = 0;
          forEachTap(p, p.ph, p.pw, y, x, oy, ox, ih, iw, (iy, ix) => {
            const v = input[((b * ih + iy) * iw + ix) * c + ch];
            best = Math.max(best, v);
            sum += v;
            maxAbs = Math.max(maxAbs, Math.abs(v));
            valid++;
          });
          // The API requires every window to overlap the input (portnn.h); such shapes are
          // rejected at reshape, so the reference has no output for them either.
          if (valid === 0) return null;
          const idx = ((b * y.out + oy) * x.out + ox) * c + ch;
          if (isMax) {
            value[idx] = clamp(best, min, max);
          } else {
            value[idx] = clamp(sum / (p.includePad ? taps : valid), min, max);
            tolerance[idx] = averageTolerance(taps, maxAbs);
          }
        }
      }
    }
  }
  return { shape: [n, y.out, x.out, c], value, tolerance };
}

/** Global average pooling of [n][w][c] into [n][c]. */
export function globalAveragePooling(n, w, c, input, min, max) {
  const value = new Float64Array(n * c);
  const tolerance = new Float64Array(n * c);
  for (let b = 0; b < n; b++) {
    for (let ch = 0; ch < c; ch++) {
      let sum = 0;
      let maxAbs = 0;
      for (let i = 0; i < w; i++) {
        const v = input[(b * w + i) * c + ch];
        sum += v;
        maxAbs = Math.max(maxAbs, Math.abs(v));
      }
      value[b * c + ch] = clamp(sum / w, min, max);
      tolerance[b * c + ch] = averageTolerance(w, maxAbs);
    }
  }
  return { value, tolerance };
}

// ---------------------------------------------------------------------------------------------
// Unary ops.

// erfc in double. |z| < 2: 1 - erf(z) from the Maclaurin series of erf (alternating; its largest
// term at |z| = 2 is about 3, so it keeps ~15 digits). z >= 2: the continued fraction
// erfc(z) = exp(-z^2)/sqrt(pi) * 1/(z + (1/2)/(z + 1/(z + (3/2)/(z + ...)))), evaluated
// backwards from a depth at which it has converged to double precision for z >= 2.
// z <= -2: 2 - erfc(-z).
// erf(z) for |z| < 2 from the Maclaurin series (relative accuracy down to z -> 0).
function erfSeries(z) {
  if (z === 0) return z;  // keeps -0
  let term = z;  // (-1)^n z^(2n+1) / n!
  let sum = z;
  for (let n = 1; n < 60; n++) {
    term *= -z * z / n;
    const t = term / (2 * n + 1);
    sum += t;
    if (Math.abs(t) < 1e-17 * Math.abs(sum)) break;
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
}

export function erfc(z) {
  if (Number.isNaN(z)) return NaN;
  if (z <= -2) return 2 - erfc(-z);
  if (z < 2) return 1 - erfSeries(z);
  if (z > 27) return 0;
  let f = z;
  for (let n = 200; n >= 1; n--) f = z + (n / 2) / f;
  return Math.exp(-z * z) / Math.sqrt(Math.PI) / f;
}

/** erf in double: the series below |z| = 2 (keeps -0 and tiny z exact), 1 - erfc above. */
export function erf(z) {
  if (Math.abs(z) < 2) return erfSeries(z);
  return z > 0 ? 1 - erfc(z) : erfc(-z) - 1;
}

// ln(1 + e^x) without overflow or cancellation.
function softplus(x) { return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x)); }

// Round half to even (ONNX Round), keeping the sign of zero.
function roundHalfEven(x) {
  if (!Number.isFinite(x)) return x;
  const f = Math.floor(x);
  const d = x - f;
  const r = d < 0.5 ? f : d > 0.5 ? f + 1 : (f % 2 === 0 ? f : f + 1);
  return r === 0 ? (x < 0 || Object.is(x, -0) ? -0 : 0) : r;
}

function sigmoid(x) {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** y = f(x) as include/portnn.h defines it; the smooth gates take their limit -0 at -inf. */
export function unary(op, x, params = {}) {
  const gate = op === 'hardswish' || op === 'gelu' || op === 'silu';
  if (gate && !Number.isFinite(x) && !Number.isNaN(x)) return x > 0 ? x : -0;
  switch (op) {
    case 'clamp': return Math.min(Math.max(x, params.min), params.max);
    case 'relu': return Math.max(x, 0);
    case 'relu6': return Math.min(Math.max(x, 0), 6);
    case 'leakyRelu': return x >= 0 ? x : params.negativeSlope * x;
    case 'elu': return x >= 0 ? x : params.alpha * Math.expm1(x);
    case 'sigmoid': return sigmoid(x);
    case 'tanh': return Math.tanh(x);
    case 'hardswish': return x * Math.min(Math.max(x + 3, 0), 6) / 6;
    case 'gelu':
      if (params.approximate === 'tanh') {
        // 1 + tanh(u) = 2 sigmoid(2u) avoids cancellation for very negative x.
        const u = Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x);
        return x * sigmoid(2 * u);
      }
      return 0.5 * x * erfc(-x / Math.SQRT2);
    case 'silu': return x * sigmoid(x);
    case 'abs': return Math.abs(x);
    case 'negate': return -x;
    case 'square': return x * x;
    case 'sqrt': return Math.sqrt(x);
    case 'exp': return Math.exp(x);
    case 'hardSigmoid': {
      const v = (params.alpha ?? 0.2) * x + (params.beta ?? 0.5);
      return Number.isNaN(v) ? v : Math.min(Math.max(v, 0), 1);
    }
    case 'erf': return erf(x);
    case 'log': return Math.log(x);
    case 'reciprocal': return 1 / x;
    case 'rsqrt': return 1 / Math.sqrt(x);
    case 'floor': return Math.floor(x);
    case 'ceil': return Math.ceil(x);
    case 'round': return roundHalfEven(x);
    case 'sin': return Math.sin(x);
    case 'cos': return Math.cos(x);
    case 'softplus': return softplus(x);
    default: throw new Error(`no reference for unary op ${op}`);
  }
}

/**
 * |y - f(x)| <= rel * |f(x)| + abs per op. Transcendental ops: the bounds measured over every
 * float and documented in kernels/math-constants.h (ELU adds the rounding of alpha * expm1
 * and a subnormal step); clamp, relu, abs, negate: exact; leaky relu, square, sqrt: one rounding
 * (half an ulp, and a subnormal step where a product underflows); hardswish: four roundings.
 */
export function unaryBound(op, params = {}) {
  switch (op) {
    case 'clamp': case 'relu': case 'relu6': case 'abs': case 'negate': return { rel: 0, abs: 0 };
    case 'leakyRelu': case 'square': return { rel: U, abs: DENORMAL_STEP };
    case 'sqrt': return { rel: U, abs: 0 };
    case 'elu': return { rel: K.kExpm1Error.rel + U, abs: K.kExpm1Error.abs + DENORMAL_STEP };
    case 'sigmoid': return K.kSigmoidError;
    case 'tanh': return K.kTanhError;
    case 'hardswish': return { rel: 4 * U, abs: DENORMAL_STEP };
    case 'gelu': return params.approximate === 'tanh' ? K.kGeluTanhError : K.kGeluError;
    case 'silu': return K.kSiluError;
    case 'exp': return K.kExpError;
    // floor, ceil, round: exact; reciprocal one rounding (a subnormal step for tiny results),
    // rsqrt two; hard sigmoid: alpha * x and the sum round, absolute 2^-24 (|beta| + 2) where the
    // result is not clamped (the tests keep |beta| <= 1).
    case 'floor': case 'ceil': case 'round': return { rel: 0, abs: 0 };
    case 'reciprocal': return { rel: U, abs: DENORMAL_STEP };
    case 'rsqrt': return { rel: 2 * U + U * U, abs: 0 };
    case 'hardSigmoid': return { rel: 0, abs: 6 * U };
    case 'erf': return K.kErfError;
    case 'log': return K.kLogError;
    case 'sin': return K.kSinError;
    case 'cos': return K.kCosError;
    case 'softplus': return K.kSoftplusError;
    default: throw new Error(`no bound for unary op ${op}`);
  }
}

const FLOAT_MAX = 3.4028234663852886e38;

/**
 * True when float result y is acceptable for the exact value ref: NaN for NaN; the same infinity
 * for an infinite ref or a ref beyond the float range; within rel * |ref| + abs otherwise.
 */
export function withinBound(y, ref, bound) {
  if (Number.isNaN(ref)) return Number.isNaN(y);
  if (Number.isNaN(y)) return false;
  if (!Number.isFinite(y) && !Number.isFinite(ref)) return (y > 0) === (ref > 0);
  if (!Number.isFinite(y)) return Math.abs(ref) > FLOAT_MAX && (y > 0) === (ref > 0);
  return Math.abs(y - ref) <= bound.rel * Math.abs(ref) + bound.abs;
}

// ---------------------------------------------------------------------------------------------
// Binary ops: no tolerance. Add, subtract, multiply and divide of floats computed in double and
// rounded to float give the correctly rounded float result (double has more than 2 * 24 + 2
// significand bits), which is what float arithmetic gives; minimum and maximum are exact;
// squared difference is two float roundings everywhere, so the reference rounds the same two.

export function binary(op, a, b) {
  switch (op) {
    case 'add': return Math.fround(a + b);
    case 'subtract': return Math.fround(a - b);
    case 'multiply': return Math.fround(a * b);
    case 'divide': return Math.fround(a / b);
    case 'minimum': return Math.min(a, b);
    case 'maximum': return Math.max(a, b);
    case 'squaredDifference': { const d = Math.fround(a - b); return Math.fround(d * d); }
    default: throw new Error(`no reference for binary op ${op}`);
  }
}

/** The broadcast of aShape and bShape, NumPy rules (null when they do not broadcast). */
export function broadcastShape(aShape, bShape) {
  const rank = Math.max(aShape.length, bShape.length);
  const out = [];
  for (let i = 0; i < rank; i++) {
    const da = aShape[aShape.length - rank + i] ?? 1;
    const db = bShape[bShape.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) return null;
    out.push(Math.max(da, db));
  }
  return out;
}

/** Elementwise f(a, b) with broadcasting, then the clamp. */
export function binaryBroadcast(op, aShape, a, bShape, b, min, max) {
  const out = broadcastShape(aShape, bShape);
  const rank = out.length;
  const size = out.reduce((x, y) => x * y, 1);
  const value = new Float64Array(size);
  const padA = padShape(aShape, rank);
  const padB = padShape(bShape, rank);
  for (let t = 0; t < size; t++) {
    const [ia, ib] = broadcastSources(t, out, padA, padB);
    value[t] = clamp(binary(op, a[ia], b[ib]), min, max);
  }
  return { shape: out, value };
}

// ---------------------------------------------------------------------------------------------
// Softmax over the last axis.
//
// The kernels compute e_i = exp(fl(x_i - max)) (relative error E = kExpError.rel, plus
// |x_i - max| * u from rounding the difference), sum the C values (at most (C - 1) * u * sum, and
// E from the terms' own errors), then scale by fl(1 / sum) (two roundings). Relative bound per
// output: 2E + (|x_i - max| + C + 1) * u, plus subnormal steps for outputs that underflow.
export function softmax(batch, channels, input) {
  const value = new Float64Array(batch * channels);
  const tolerance = new Float64Array(batch * channels);
  for (let b = 0; b < batch; b++) {
    const row = input.subarray(b * channels, (b + 1) * channels);
    let max = -Infinity;
    for (const v of row) max = Math.max(max, v);
    let sum = 0;
    for (const v of row) sum += Math.exp(v - max);
    for (let c = 0; c < channels; c++) {
      const y = Math.exp(row[c] - max) / sum;
      value[b * channels + c] = y;
      const rel = 2 * K.kExpError.rel + (Math.abs(row[c] - max) + channels + 1) * U;
      tolerance[b * channels + c] = rel * y + 2 * DENORMAL_STEP;
    }
  }
  return { value, tolerance };
}

// ---------------------------------------------------------------------------------------------

/**
 * Compares a float32 result with a reference: every element within value +- tolerance (tolerance
 * null: exact; NaN matches NaN; equal infinities match). Returns { ok, count, failures,
 * maxErrorOverTol, first }, first describing the first element outside.
 */
export function compare(actual, value, tolerance) {
  const out = { ok: true, count: value.length, failures: 0, maxErrorOverTol: 0, first: null };
  if (actual.length !== value.length) {
    return { ...out, ok: false, failures: value.length,
             first: `length ${actual.length}, expected ${value.length}` };
  }
  for (let i = 0; i < value.length; i++) {
    const y = actual[i];
    const r = value[i];
    const tol = tolerance === null ? 0 : tolerance[i];
    const err = Math.abs(y - r);
    if (tol > 0 && err / tol > out.maxErrorOverTol) out.maxErrorOverTol = err / tol;
    const ok = Number.isNaN(r) ? Number.isNaN(y) : (y === r || err <= tol);
    if (!ok) {
      out.failures++;
      if (out.ok) {
        out.ok = false;
        out.first = `element ${i}: got ${y}, expected ${r} +- ${tol}`;
      }
    }
  }
  return out;
}

/** The first element of `actual` outside value +- tolerance (see compare()), or null. */
export function firstMismatch(actual, value, tolerance) {
  return compare(actual, value, tolerance).first;
}

// ---------------------------------------------------------------------------------------------
// Binary pow: Math.pow has the rules of include/portnn.h (ONNX Pow / C pow) but for pow(+-1, +-inf)
// (JS: NaN, C: 1), and the float result is held to the documented bound of
// kernels/math-constants.h: |y - a^b| <= (kPowError.rel + kPowLogRel * |ln a^b|) * |a^b| +
// kPowError.abs; NaN for NaN; the same infinity for a^b beyond the float range.

export function pow(a, b) {
  if (Math.abs(a) === 1 && !Number.isFinite(b) && !Number.isNaN(b)) return 1;
  if (a === 1) return 1;
  return Math.pow(a, b);
}

/** True when y (unclamped) is acceptable for pow(a, b). */
export function powWithinBound(y, a, b) {
  const r = pow(a, b);
  if (Number.isNaN(r)) return Number.isNaN(y);
  if (Number.isNaN(y)) return false;
  if (!Number.isFinite(y)) return Math.abs(r) > FLOAT_MAX && (y > 0) === (r > 0);
  if (r === 0) return y === 0 && Object.is(y, -0) === Object.is(r, -0);
  const ln = Number.isFinite(r) ? Math.abs(Math.log(Math.abs(r))) : 0;
  return Math.abs(y - r) <= (K.kPowError.rel + K.kPowLogRel * ln) * Math.abs(r) + K.kPowError.abs;
}
