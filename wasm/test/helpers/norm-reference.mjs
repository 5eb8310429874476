// Double-precision references of the reductions and normalizations with their tolerances,
// derived as in tests/operators/{reduce,normalization}-test.cc (u = 2^-24 per float rounding,
// gamma(k) = k u / (1 - k u) for k roundings in a chain).

import { KERNEL_BOUNDS as K } from './bounds.mjs';

const U = 2 ** -24;
const gamma = (k) => (k * U) / (1 - k * U);

/** { shape, value, tolerance } of a reduction (sum and mean within the float-sum bound). */
export function reduce(op, shape, axes, keepDims, input) {
  const rank = shape.length;
  const reduced = new Array(rank).fill(false);
  for (const a of axes) reduced[a < 0 ? a + rank : a] = true;
  const outShape = [];
  let countOut = 1;
  for (let d = 0; d < rank; d++) {
    if (!reduced[d]) countOut *= shape[d];
    if (!reduced[d] || keepDims) outShape.push(reduced[d] ? 1 : shape[d]);
  }
  const k = input.length / countOut;
  const acc = new Float64Array(countOut).fill(op === 'max' ? -Infinity : op === 'min' ? Infinity : 0);
  const magnitude = new Float64Array(countOut);
  const idx = new Array(rank).fill(0);
  for (let i = 0; i < input.length; i++) {
    let o = 0;
    for (let d = 0; d < rank; d++) if (!reduced[d]) o = o * shape[d] + idx[d];
    const v = input[i];
    if (op === 'max') acc[o] = Math.max(acc[o], v);
    else if (op === 'min') acc[o] = Math.min(acc[o], v);
    else acc[o] += v;
    magnitude[o] += Math.abs(v);
    for (let d = rank - 1; d >= 0; d--) {
      if (++idx[d] < shape[d]) break;
      idx[d] = 0;
    }
  }
  const tolerance = new Float64Array(countOut);
  for (let o = 0; o < countOut; o++) {
    if (op === 'sum') tolerance[o] = gamma(k - 1) * magnitude[o];
    if (op === 'mean') {
      acc[o] /= k;
      tolerance[o] = (gamma(k - 1) * magnitude[o]) / k + 2 * U * Math.abs(acc[o]);  // 1/k, product
    }
  }
  return { shape: outShape, value: acc, tolerance };
}

/** Layer norm (beta may be null) or RMS norm of rows of n. */
export function rowNorm(rms, input, n, g, beta, eps) {
  const value = new Float64Array(input.length);
  const tolerance = new Float64Array(input.length);
  for (let r = 0; r < input.length / n; r++) {
    const row = input.subarray(r * n, (r + 1) * n);
    let mean = 0;
    let mag = 0;
    for (const v of row) { mean += v; mag += Math.abs(v); }
    mean = rms ? 0 : mean / n;
    const dm = rms ? 0 : (gamma(n) * mag) / n;
    let variance = 0;
    for (const v of row) variance += (v - mean) ** 2;
    variance /= n;
    const s = 1 / Math.sqrt(variance + eps);
    const rs = (gamma(n + 2) + (dm * dm) / (variance + eps)) / 2 + 3 * U;
    for (let i = 0; i < n; i++) {
      const t = (row[i] - mean) * s;
      const b = beta === null ? 0 : beta[i];
      value[r * n + i] = t * g[i] + b;
      const errT = Math.abs(t) * (rs + 2 * U) + dm * s * (1 + rs);
      tolerance[r * n + i] = Math.abs(g[i]) * errT + 2 * U * (Math.abs(t * g[i]) + Math.abs(b));
    }
  }
  return { value, tolerance };
}

/** Batch norm over the last axis: scale and shift rounded once, then a multiply and an add. */
export function batchNorm(input, mean, variance, g, beta, eps) {
  const c = mean.length;
  const value = new Float64Array(input.length);
  const tolerance = new Float64Array(input.length);
  for (let i = 0; i < input.length; i++) {
    const k = i % c;
    const scale = g[k] / Math.sqrt(variance[k] + eps);
    const shift = beta[k] - mean[k] * scale;
    value[i] = (input[i] - mean[k]) * scale + beta[k];
    tolerance[i] = 3 * U * Math.abs(input[i] * scale) + 2 * U * Math.abs(shift) + U * Math.abs(value[i]);
  }
  return { value, tolerance };
}

/** PRelu over the last axis: exact. */
export function prelu(input, slope) {
  const c = slope.length;
  const value = new Float64Array(input.length);
  for (let i = 0; i < input.length; i++) {
    value[i] = input[i] < 0 ? Math.fround(input[i] * slope[i % c]) : input[i];
  }
  return { value, tolerance: null };
}

/**
 * Softmax (or log-softmax) along `axis` of `shape`, with the bounds of
 * tests/operators/softmax-axis-test.cc.
 */
export function softmaxAxis(shape, axis, input, log) {
  const a = axis < 0 ? axis + shape.length : axis;
  const n = shape[a];
  let inner = 1;
  for (let i = a + 1; i < shape.length; i++) inner *= shape[i];
  const outer = input.length / (n * inner);
  const value = new Float64Array(input.length);
  const tolerance = new Float64Array(input.length);
  const E = K.kExpError.rel;
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      const at = (k) => o * n * inner + k * inner + j;
      let m = -Infinity;
      for (let k = 0; k < n; k++) m = Math.max(m, input[at(k)]);
      let sum = 0;
      let shares = 0;
      for (let k = 0; k < n; k++) {
        const d = input[at(k)] - m;
        sum += Math.exp(d);
        shares += Math.exp(d) * (E + Math.abs(d) * U);
      }
      const sumRel = (n - 1) * U + shares / sum;
      for (let k = 0; k < n; k++) {
        const d = input[at(k)] - m;
        if (log) {
          const y = d - Math.log(sum);
          value[at(k)] = y;
          tolerance[at(k)] = U * Math.abs(d) + sumRel + 2 * U * Math.abs(Math.log(sum)) + U * Math.abs(y);
        } else {
          const y = Math.exp(d) / sum;
          value[at(k)] = y;
          tolerance[at(k)] = (E + Math.abs(d) * U + sumRel + 2 * U) * y + 2 * 2 ** -149;
        }
      }
    }
  }
  return { value, tolerance };
}
