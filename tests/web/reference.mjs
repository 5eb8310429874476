// Naive double-precision references for every portnn operator, with the tolerance each output is
// held to, for the browser tests. Plain ES module, no dependencies: runs in a page and in Node.
//
// Every reference returns { shape, value: Float64Array, tol: Float64Array }: the float32 result
// y of the library must satisfy |y - value[i]| <= tol[i] (tol 0: bit-exact up to the sign of
// zero). The tolerances mirror the native tests' (tests/reference/*.h) and are derived, not
// tuned:
//  - dot products (convolution, fully connected, batch matmul): 1e-5 * (|bias| + sum|terms|)
//    + 1e-6, a proven bound for float recursive summation of up to 160 terms
//    (tests/reference/gemm-reference.h, conv-reference.h); the cases keep K + 1 <= 160;
//  - averages of `count` terms: 1e-6 * (1 + max|x|) * (log2(count) + 1)
//    (tests/reference/pooling-reference.h), for count <= 128;
//  - max, clamp, abs, negate, leaky relu, square, sqrt and the binary ops: exact (a single
//    correctly rounded float operation, or none; the reference rounds the same steps);
//  - transcendental activations: the documented error bounds of kernels/scalar/math-approx.h
//    (rel * |f(x)| + abs, measured over every float), which the SIMD kernels reproduce;
//  - softmax: as examples/chain.cc: (channels + 9 + |x - max|) * FLT_EPSILON relative.

export const FLT_EPSILON = 2 ** -23;
export const FLT_MIN = 2 ** -126;
const U = 2 ** -24;  // unit roundoff of float32
const DENORMAL_STEP = 2 ** -149;

// ---------------------------------------------------------------------------------------------
// Deterministic inputs.

/** A seeded generator of floats (mulberry32): the same seed gives the same data everywhere. */
export function makeRng(seed) {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    /** n float32 values uniform in [lo, hi). */
    floats(n, lo = -1, hi = 1) {
      const a = new Float32Array(n);
      for (let i = 0; i < n; i++) a[i] = lo + (hi - lo) * next();
      return a;
    },
  };
}

const product = (dims) => dims.reduce((a, b) => a * b, 1);
const clamp = (v, lo, hi) => Math.min(Math.max(v, lo), hi);

// ---------------------------------------------------------------------------------------------
// Dot-product family.

export function dotTolerance(magnitude) {
  return 1e-5 * magnitude + 1e-6;
}
/** Longest reduction (terms plus bias) the dot-product tolerance is proven for. */
export const MAX_DOT_TERMS = 160;

function checkReduction(k) {
  if (k + 1 > MAX_DOT_TERMS) {
    throw new Error(`reference: a reduction of ${k} terms exceeds what the tolerance covers`);
  }
}

/** Output size of a convolution/pooling axis with explicit padding. */
export function outputSize(input, padBefore, padAfter, kernel, stride, dilation) {
  return Math.floor((input + padBefore + padAfter - dilation * (kernel - 1) - 1) / stride) + 1;
}

/**
 * 2-D convolution, NHWC. p: { paddingTop/Right/Bottom/Left, kernelHeight/Width, strideHeight/
 * Width, dilationHeight/Width, groups, groupInputChannels, groupOutputChannels, outputMin/Max }.
 * kernel: [groups*GOC][kh][kw][GIC]; bias: [groups*GOC] or null.
 */
export function convolution2d(x, shape, p, kernel, bias) {
  const [n, ih, iw, c] = shape;
  const g = p.groups ?? 1;
  const gic = p.groupInputChannels;
  const goc = p.groupOutputChannels;
  const kh = p.kernelHeight, kw = p.kernelWidth;
  const sh = p.strideHeight ?? 1, sw = p.strideWidth ?? 1;
  const dh = p.dilationHeight ?? 1, dw = p.dilationWidth ?? 1;
  const pt = p.paddingTop ?? 0, pr = p.paddingRight ?? 0;
  const pb = p.paddingBottom ?? 0, pl = p.paddingLeft ?? 0;
  const lo = p.outputMin ?? -Infinity, hi = p.outputMax ?? Infinity;
  if (c !== g * gic) throw new Error('reference: channel count mismatch');
  checkReduction(kh * kw * gic);
  const oh = outputSize(ih, pt, pb, kh, sh, dh);
  const ow = outputSize(iw, pl, pr, kw, sw, dw);
  const oc = g * goc;
  const value = new Float64Array(n * oh * ow * oc);
  const tol = new Float64Array(value.length);
  for (let b = 0; b < n; b++) {
    for (let oy = 0; oy < oh; oy++) {
      for (let ox = 0; ox < ow; ox++) {
        for (let gi = 0; gi < g; gi++) {
          for (let o = 0; o < goc; o++) {
            const ch = gi * goc + o;
            let sum = bias ? bias[ch] : 0;
            let mag = Math.abs(sum);
            for (let ky = 0; ky < kh; ky++) {
              const iy = oy * sh + ky * dh - pt;
              if (iy < 0 || iy >= ih) continue;
              for (let kx = 0; kx < kw; kx++) {
                const ix = ox * sw + kx * dw - pl;
                if (ix < 0 || ix >= iw) continue;
                for (let ic = 0; ic < gic; ic++) {
                  const t = x[((b * ih + iy) * iw + ix) * c + gi * gic + ic] *
                            kernel[((ch * kh + ky) * kw + kx) * gic + ic];
                  sum += t;
                  mag += Math.abs(t);
                }
              }
            }
            const i = ((b * oh + oy) * ow + ox) * oc + ch;
            value[i] = clamp(sum, lo, hi);
            tol[i] = dotTolerance(mag);  // clamping both sides never widens the gap
          }
        }
      }
    }
  }
  return { shape: [n, oh, ow, oc], value, tol };
}

/** Fully connected: x [batch][ic], kernel [oc][ic] (or [ic][oc] with transposeWeights). */
export function fullyConnected(x, batch, ic, oc, kernel, bias, p = {}) {
  const lo = p.outputMin ?? -Infinity, hi = p.outputMax ?? Infinity;
  checkReduction(ic);
  const value = new Float64Array(batch * oc);
  const tol = new Float64Array(value.length);
  for (let b = 0; b < batch; b++) {
    for (let o = 0; o < oc; o++) {
      let sum = bias ? bias[o] : 0;
      let mag = Math.abs(sum);
      for (let i = 0; i < ic; i++) {
        const w = p.transposeWeights ? kernel[i * oc + o] : kernel[o * ic + i];
        const t = x[b * ic + i] * w;
        sum += t;
        mag += Math.abs(t);
      }
      value[b * oc + o] = clamp(sum, lo, hi);
      tol[b * oc + o] = dotTolerance(mag);
    }
  }
  return { shape: [batch, oc], value, tol };
}

/**
 * Batched matmul with NumPy-broadcast batch dims: a [...batchA, M, K] ([..., K, M] with
 * transposeA), b [...batchB, K, N] ([..., N, K] with transposeB).
 */
export function batchMatMul(a, aShape, b, bShape, p = {}) {
  const ta = !!p.transposeA, tb = !!p.transposeB;
  const m = ta ? aShape.at(-1) : aShape.at(-2);
  const k = ta ? aShape.at(-2) : aShape.at(-1);
  const n = tb ? bShape.at(-2) : bShape.at(-1);
  checkReduction(k);
  const rank = Math.max(aShape.length, bShape.length) - 2;
  const pad = (s) => new Array(rank - (s.length - 2)).fill(1).concat(s.slice(0, -2));
  const ba = pad(aShape), bb = pad(bShape);
  const bo = ba.map((d, i) => Math.max(d, bb[i]));
  const batches = product(bo);
  const value = new Float64Array(batches * m * n);
  const tol = new Float64Array(value.length);
  const index = new Array(rank).fill(0);
  for (let t = 0; t < batches; t++) {
    // Row-major batch index -> flat offsets into A's and B's (broadcast) batches.
    let rest = t;
    for (let d = rank - 1; d >= 0; d--) {
      index[d] = rest % bo[d];
      rest = Math.floor(rest / bo[d]);
    }
    let offA = 0, offB = 0;
    for (let d = 0; d < rank; d++) {
      offA = offA * ba[d] + (ba[d] === 1 ? 0 : index[d]);
      offB = offB * bb[d] + (bb[d] === 1 ? 0 : index[d]);
    }
    offA *= m * k;
    offB *= k * n;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let sum = 0, mag = 0;
        for (let q = 0; q < k; q++) {
          const av = ta ? a[offA + q * m + i] : a[offA + i * k + q];
          const bv = tb ? b[offB + j * k + q] : b[offB + q * n + j];
          sum += av * bv;
          mag += Math.abs(av * bv);
        }
        value[(t * m + i) * n + j] = sum;
        tol[(t * m + i) * n + j] = dotTolerance(mag);
      }
    }
  }
  return { shape: [...bo, m, n], value, tol };
}

// ---------------------------------------------------------------------------------------------
// Pooling.

export function averageTolerance(count, maxAbs) {
  if (count > 128) throw new Error('reference: average tolerance covers at most 128 terms');
  return 1e-6 * (1 + maxAbs) * (Math.log2(count) + 1);
}

/**
 * Max (isMax) or average pooling, NHWC. p: { paddingTop/Right/Bottom/Left, poolingHeight/Width,
 * strideHeight/Width, dilationHeight/Width, outputMin/Max, countIncludePad }. Padded taps never
 * win a max and count in an average's divisor only with countIncludePad.
 */
export function pooling2d(isMax, x, shape, p) {
  const [n, ih, iw, c] = shape;
  const ph = p.poolingHeight, pw = p.poolingWidth;
  const sh = p.strideHeight ?? 1, sw = p.strideWidth ?? 1;
  const dh = p.dilationHeight ?? 1, dw = p.dilationWidth ?? 1;
  const pt = p.paddingTop ?? 0, pr = p.paddingRight ?? 0;
  const pb = p.paddingBottom ?? 0, pl = p.paddingLeft ?? 0;
  const lo = p.outputMin ?? -Infinity, hi = p.outputMax ?? Infinity;
  const oh = outputSize(ih, pt, pb, ph, sh, dh);
  const ow = outputSize(iw, pl, pr, pw, sw, dw);
  const value = new Float64Array(n * oh * ow * c);
  const tol = new Float64Array(value.length);
  for (let b = 0; b < n; b++) {
    for (let oy = 0; oy < oh; oy++) {
      for (let ox = 0; ox < ow; ox++) {
        for (let ch = 0; ch < c; ch++) {
          let best = -Infinity, sum = 0, taps = 0, maxAbs = 0;
          for (let ky = 0; ky < ph; ky++) {
            const iy = oy * sh + ky * dh - pt;
            for (let kx = 0; kx < pw; kx++) {
              const ix = ox * sw + kx * dw - pl;
              if (iy < 0 || iy >= ih || ix < 0 || ix >= iw) continue;
              const v = x[((b * ih + iy) * iw + ix) * c + ch];
              best = Math.max(best, v);
              sum += v;
              taps++;
              maxAbs = Math.max(maxAbs, Math.abs(v));
            }
          }
          const i = ((b * oh + oy) * ow + ox) * c + ch;
          if (isMax) {
            value[i] = clamp(best, lo, hi);
          } else {
            const divisor = p.countIncludePad ? ph * pw : taps;
            value[i] = clamp(sum / divisor, lo, hi);
            tol[i] = averageTolerance(divisor, maxAbs);
          }
        }
      }
    }
  }
  return { shape: [n, oh, ow, c], value, tol };
}

/** Global average pooling of [N, ...spatial, C] to [N, C]. */
export function globalAveragePooling(x, shape, p = {}) {
  const n = shape[0], c = shape.at(-1);
  const w = product(shape) / (n * c);
  const lo = p.outputMin ?? -Infinity, hi = p.outputMax ?? Infinity;
  const value = new Float64Array(n * c);
  const tol = new Float64Array(n * c);
  for (let b = 0; b < n; b++) {
    for (let ch = 0; ch < c; ch++) {
      let sum = 0, maxAbs = 0;
      for (let i = 0; i < w; i++) {
        const v = x[(b * w + i) * c + ch];
        sum += v;
        maxAbs = Math.max(maxAbs, Math.abs(v));
      }
      value[b * c + ch] = clamp(sum / w, lo, hi);
      tol[b * c + ch] = averageTolerance(w, maxAbs);
    }
  }
  return { shape: [n, c], value, tol };
}

// ---------------------------------------------------------------------------------------------
// Unary elementwise.

// erfc(z) for z >= 0 to near double precision: the Taylor series of erf below 2 (terms stay
// below 3, so cancellation costs little), a continued fraction beyond (computed directly, so the
// tiny tail keeps its relative accuracy, which 1 - erf would lose).
function erfcNonNegative(z) {
  if (z < 2) {
    let term = z, sum = z;
    for (let k = 1; k < 80; k++) {
      term *= -z * z / k;
      const add = term / (2 * k + 1);
      sum += add;
      if (Math.abs(add) < 1e-18 * Math.abs(sum)) break;
    }
    return 1 - (2 / Math.sqrt(Math.PI)) * sum;
  }
  // erfc(z) = exp(-z^2)/sqrt(pi) / (z + (1/2)/(z + 1/(z + (3/2)/(z + ...)))), evaluated
  // bottom-up.
  let f = z;
  for (let k = 300; k >= 1; k--) f = z + (k / 2) / f;
  return Math.exp(-z * z) / (Math.sqrt(Math.PI) * f);
}

/** 1 + erf(z), accurate also where it is tiny (z << 0). */
function onePlusErf(z) {
  return z < 0 ? erfcNonNegative(-z) : 2 - erfcNonNegative(z);
}

const sigmoid = (x) => 1 / (1 + Math.exp(-x));

// Error bounds |y - f(x)| <= rel * |f(x)| + abs of kernels/scalar/math-approx.h (k*Error).
const APPROX = {
  exp: { rel: 1.2e-7, abs: DENORMAL_STEP },
  expm1: { rel: 2.0e-7, abs: 0 },
  sigmoid: { rel: 2.8e-7, abs: DENORMAL_STEP },
  tanh: { rel: 4.6e-7, abs: 0 },
  gelu: { rel: 3.0e-7, abs: 16 * DENORMAL_STEP },
  geluTanh: { rel: 6.0e-7, abs: 1.0e-9 },
  silu: { rel: 3.4e-7, abs: DENORMAL_STEP },
};

/**
 * f(x) in double and the error allowed, for the ops of the Unary class (wasm/src/operators.js):
 * 'clamp' {min, max}, 'relu', 'relu6', 'leakyRelu' {negativeSlope}, 'elu' {alpha}, 'sigmoid',
 * 'tanh', 'hardswish', 'gelu' {approximate}, 'silu', 'abs', 'negate', 'square', 'sqrt', 'exp'.
 * Returns { f(x) -> double, tol(ref) -> allowed |error|, exact: boolean }.
 */
export function unaryOp(op, p = {}) {
  const exact = (f) => ({ f: (x) => Math.fround(f(x)), tol: () => 0 });
  const bound = (f, b, extraRel = 0) => ({ f, tol: (r) => (b.rel + extraRel) * Math.abs(r) + b.abs });
  switch (op) {
    case 'clamp': return exact((x) => clamp(x, p.min ?? -Infinity, p.max ?? Infinity));
    case 'relu': return exact((x) => Math.max(x, 0));
    case 'relu6': return exact((x) => clamp(x, 0, 6));
    case 'leakyRelu': {
      const s = Math.fround(p.negativeSlope ?? 0.01);
      return exact((x) => (x >= 0 ? x : s * x));  // one float multiply: correctly rounded
    }
    case 'elu': {
      // alpha * expm1(x): the expm1 bound plus the rounding of the product by alpha.
      const a = Math.fround(p.alpha ?? 1);
      return bound((x) => (x >= 0 ? x : a * Math.expm1(x)), APPROX.expm1, U);
    }
    case 'sigmoid': return bound(sigmoid, APPROX.sigmoid);
    case 'tanh': return bound(Math.tanh, APPROX.tanh);
    case 'hardswish':
      // x * (relu6(x + 3) * fl(1/6)): the sum, the rounded constant and two products, each
      // within one unit roundoff of its exact value.
      return { f: (x) => x * clamp(x + 3, 0, 6) / 6, tol: (r) => 4 * U * Math.abs(r) + DENORMAL_STEP };
    case 'gelu':
      if (p.approximate === 'tanh') {
        // 1 + tanh(y) = 2 * sigmoid(2y): no cancellation for very negative y.
        const c = Math.sqrt(2 / Math.PI);
        return bound((x) => x * sigmoid(2 * c * (x + 0.044715 * x * x * x)), APPROX.geluTanh);
      }
      return bound((x) => 0.5 * x * onePlusErf(x / Math.SQRT2), APPROX.gelu);
    case 'silu': return bound((x) => x * sigmoid(x), APPROX.silu);
    case 'abs': return exact(Math.abs);
    case 'negate': return exact((x) => -x);
    case 'square': return exact((x) => x * x);
    case 'sqrt': return exact(Math.sqrt);  // double sqrt rounded to float is correctly rounded
    case 'exp': return bound(Math.exp, APPROX.exp);
    default: throw new Error(`reference: unknown unary op ${op}`);
  }
}

export function unary(op, x, p = {}) {
  const { f, tol } = unaryOp(op, p);
  const value = new Float64Array(x.length);
  const t = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    value[i] = f(x[i]);
    t[i] = tol(value[i]);
  }
  return { shape: [x.length], value, tol: t };
}

// ---------------------------------------------------------------------------------------------
// Binary elementwise with NumPy broadcasting. Exact: each op is one correctly rounded float
// operation (a double result of two floats rounds to the same float), squared difference two.

const BINARY = {
  add: (a, b) => Math.fround(a + b),
  subtract: (a, b) => Math.fround(a - b),
  multiply: (a, b) => Math.fround(a * b),
  divide: (a, b) => Math.fround(a / b),
  minimum: (a, b) => Math.min(a, b),
  maximum: (a, b) => Math.max(a, b),
  squaredDifference: (a, b) => {
    const d = Math.fround(a - b);
    return Math.fround(d * d);
  },
};

export function binary(op, a, aShape, b, bShape, p = {}) {
  const f = BINARY[op];
  if (!f) throw new Error(`reference: unknown binary op ${op}`);
  const lo = p.outputMin ?? -Infinity, hi = p.outputMax ?? Infinity;
  const rank = Math.max(aShape.length, bShape.length);
  const pad = (s) => new Array(rank - s.length).fill(1).concat(s);
  const sa = pad(aShape), sb = pad(bShape);
  const so = sa.map((d, i) => Math.max(d, sb[i]));
  const count = product(so);
  const value = new Float64Array(count);
  const index = new Array(rank).fill(0);
  for (let t = 0; t < count; t++) {
    let rest = t;
    for (let d = rank - 1; d >= 0; d--) {
      index[d] = rest % so[d];
      rest = Math.floor(rest / so[d]);
    }
    let ia = 0, ib = 0;
    for (let d = 0; d < rank; d++) {
      ia = ia * sa[d] + (sa[d] === 1 ? 0 : index[d]);
      ib = ib * sb[d] + (sb[d] === 1 ? 0 : index[d]);
    }
    value[t] = clamp(f(a[ia], b[ib]), lo, hi);
  }
  return { shape: so, value, tol: new Float64Array(count) };
}

// ---------------------------------------------------------------------------------------------
// Softmax over the last axis of [batch][channels].

export function softmax(x, batch, channels) {
  const value = new Float64Array(batch * channels);
  const tol = new Float64Array(value.length);
  for (let b = 0; b < batch; b++) {
    let max = -Infinity;
    for (let c = 0; c < channels; c++) max = Math.max(max, x[b * channels + c]);
    let denom = 0;
    for (let c = 0; c < channels; c++) denom += Math.exp(x[b * channels + c] - max);
    for (let c = 0; c < channels; c++) {
      const i = b * channels + c;
      const want = Math.exp(x[i] - max) / denom;
      // The subtraction of the max (carried through exp), 8 ulp for the exp approximation, the
      // float sum of `channels` terms and the division.
      const rel = (channels + 9 + Math.abs(x[i] - max)) * FLT_EPSILON;
      value[i] = want;
      tol[i] = rel * want + FLT_MIN;
    }
  }
  return { shape: [batch, channels], value, tol };
}

// ---------------------------------------------------------------------------------------------

/**
 * Compares a float32 result with a reference. Returns { ok, count, failures, maxError,
 * maxErrorOverTol, first } where first describes the first failing element.
 */
export function compare(got, ref) {
  const out = { ok: true, count: ref.value.length, failures: 0, maxError: 0, maxErrorOverTol: 0,
                first: null };
  if (!got || got.length !== ref.value.length) {
    out.ok = false;
    out.failures = ref.value.length;
    out.first = `output has ${got ? got.length : 'no'} elements, expected ${ref.value.length}`;
    return out;
  }
  for (let i = 0; i < got.length; i++) {
    const err = Math.abs(got[i] - ref.value[i]);
    const tol = ref.tol[i];
    // !(err <= tol) also catches NaN outputs; equal infinities give NaN err but match.
    const match = err <= tol || got[i] === ref.value[i];
    if (!(err <= out.maxError) && !Number.isNaN(err)) out.maxError = err;
    if (tol > 0 && err / tol > out.maxErrorOverTol) out.maxErrorOverTol = err / tol;
    if (!match) {
      out.failures++;
      if (out.ok) {
        out.ok = false;
        out.first = `[${i}] = ${got[i]}, reference ${ref.value[i]} (tolerance ${tol})`;
      }
    }
  }
  return out;
}
