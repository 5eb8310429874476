// NaN and infinity through the JS API, on every variant (scalar, simd, simd-threads on 2
// threads): the behaviour include/portnn.h documents (conventions, "NaN and infinity") and the
// native tests/hostile-input-test.cc pins (NanInf.*), checked here on the wasm kernels.
//
// Each output is compared with the IEEE evaluation of the header's formula in double precision,
// classified as NaN, +inf, -inf or finite (the inputs are positive or small, so no finite sum
// overflows and the class does not depend on the summation order); elementwise ops are compared
// bit for bit (NaN matching any NaN, the sign of a zero significant). Where the header leaves a
// result unspecified (NaN through minimum/maximum, max pooling, a finite fused clamp) exactly the
// documented alternatives are accepted.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import {
  AveragePooling2D, BatchMatMul, Binary, Convolution2D, FullyConnected, GlobalAveragePooling,
  MaxPooling2D, Softmax, Unary, info, init, terminate,
} from '../index.js';
import { Random } from './helpers/random.mjs';

const FLT_MAX = 3.4028234663852886e38;
const FLT_MIN = 1.1754943508222875e-38;

function classOf(v) {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+inf';
  if (v === -Infinity) return '-inf';
  return 'finite';
}

// Every output classified as the double reference is; a list of the first mismatches.
function expectSameClasses(got, ref, what) {
  assert.equal(got.length, ref.length, `${what}: length`);
  const bad = [];
  for (let i = 0; i < ref.length && bad.length < 8; i++) {
    if (classOf(got[i]) !== classOf(ref[i])) {
      bad.push(`[${i}] got ${got[i]} (${classOf(got[i])}), the formula gives ${classOf(ref[i])}`);
    }
  }
  assert.deepEqual(bad, [], what);
}

// Exact match, NaN matching any NaN, and the sign of a zero significant.
function sameValue(got, want) {
  return Number.isNaN(want) ? Number.isNaN(got) : Object.is(got, want);
}

// Positive values in [0.25, 1): a sum of finite terms never cancels to hide an infinity.
// Runs fn(), then frees the operator whatever happened.
function using(op, fn) {
  try {
    fn();
  } finally {
    op.dispose();
  }
}

function positive(n, seed) { return new Random(seed).floats(n, 0.25, 1); }

// ---------------------------------------------------------------------------------------------

function convolutionCase(p, path) {
  const n = 2;
  const h = 5;
  const w = 6;
  const { kh, kw, pad, groups, gic, goc } = p;
  const cin = groups * gic;
  const cout = groups * goc;
  const x = positive(n * h * w * cin, 71);
  const k = positive(cout * kh * kw * gic, 72);
  const b = positive(cout, 73);
  // NaN, +inf, -inf in image 0; +inf next to -inf in image 1 (their windows overlap: inf - inf).
  x[(1 * w + 1) * cin] = NaN;
  x[(3 * w + 4) * cin + (cin - 1)] = Infinity;
  x[(0 * w + 5) * cin] = -Infinity;
  x[h * w * cin + (2 * w + 2) * cin] = Infinity;
  x[h * w * cin + (2 * w + 3) * cin] = -Infinity;
  // A zero weight against an infinite input is NaN (0 * inf); an infinite weight meets the
  // padding's zeros the same way.
  k[0] = 0;
  if (k.length > 3) k[3] = Infinity;
  const oh = h + 2 * pad - kh + 1;
  const ow = w + 2 * pad - kw + 1;
  const ref = new Float64Array(n * oh * ow * cout);
  for (let bi = 0; bi < n; bi++) {
    for (let oy = 0; oy < oh; oy++) {
      for (let ox = 0; ox < ow; ox++) {
        for (let g = 0; g < groups; g++) {
          for (let oc = 0; oc < goc; oc++) {
            const o = g * goc + oc;
            let acc = b[o];
            for (let ky = 0; ky < kh; ky++) {
              for (let kx = 0; kx < kw; kx++) {
                for (let ic = 0; ic < gic; ic++) {
                  const iy = oy + ky - pad;
                  const ix = ox + kx - pad;
                  const inside = iy >= 0 && iy < h && ix >= 0 && ix < w;
                  // Padded taps read 0, which multiplies the weight (0 * inf = NaN).
                  const xv = inside ? x[((bi * h + iy) * w + ix) * cin + g * gic + ic] : 0;
                  acc += xv * k[((o * kh + ky) * kw + kx) * gic + ic];
                }
              }
            }
            ref[((bi * oh + oy) * ow + ox) * cout + o] = acc;
          }
        }
      }
    }
  }
  const op = new Convolution2D({
    kernelHeight: kh, kernelWidth: kw, paddingTop: pad, paddingRight: pad, paddingBottom: pad,
    paddingLeft: pad, groups, groupInputChannels: gic, groupOutputChannels: goc,
  }, k, b);
  using(op, () => {
    expectSameClasses(op.run(x, [n, h, w, cin]), ref, `convolution (${path})`);
    assert.ok(ref.some(Number.isNaN), 'the case must exercise NaN');
  });
}

function fullyConnectedAndBatchMatMul() {
  const batch = 4;
  const ic = 6;
  const oc = 5;
  const x = positive(batch * ic, 81);
  const wt = positive(oc * ic, 82);
  const bias = positive(oc, 83);
  x[0 * ic + 2] = NaN;        // row 0: NaN everywhere
  x[1 * ic + 1] = Infinity;   // row 1: +inf, except where its weight is 0
  wt[3 * ic + 1] = 0;         //   -> row 1, output 3: 0 * inf = NaN
  x[2 * ic + 0] = Infinity;   // row 2: +inf and -inf: NaN
  x[2 * ic + 5] = -Infinity;
  wt[4 * ic + 4] = -Infinity; // column 4: -inf, except rows 0 and 2 (NaN)
  const product = (withBias) => {
    const ref = new Float64Array(batch * oc);
    for (let r = 0; r < batch; r++) {
      for (let o = 0; o < oc; o++) {
        let acc = withBias ? bias[o] : 0;
        for (let i = 0; i < ic; i++) acc += x[r * ic + i] * wt[o * ic + i];
        ref[r * oc + o] = acc;
      }
    }
    return ref;
  };
  const fc = new FullyConnected({ inputChannels: ic, outputChannels: oc }, wt, bias);
  using(fc, () => {
    expectSameClasses(fc.run(x, [batch, ic]), product(true), 'fully connected');
  });
  // The same product as a batch matmul: B = wt given as [N][K] (transposeB), no bias.
  const bmm = new BatchMatMul({ transposeB: true });
  using(bmm, () => {
    expectSameClasses(bmm.run(x, [batch, ic], wt, [oc, ic]), product(false), 'batch matmul');
  });
}

// With a finite fused clamp a NaN result is unspecified: NaN or a bound; infinities clamp.
function finiteFusedClamp() {
  const ic = 3;
  const oc = 2;
  const wt = positive(ic * oc, 91);
  const x = new Float32Array([NaN, 1, 1, Infinity, 1, 1, -Infinity, 0.5, 0.5]);
  const op = new FullyConnected({ inputChannels: ic, outputChannels: oc, outputMin: -1,
                                  outputMax: 1 }, wt);
  using(op, () => {
    const y = op.run(x, [3, ic]);
    for (let o = 0; o < oc; o++) {
      assert.ok(Number.isNaN(y[o]) || y[o] === -1 || y[o] === 1, `NaN row gave ${y[o]}`);
      assert.equal(y[oc + o], 1, '+inf clamps to the max');
      assert.equal(y[2 * oc + o], -1, '-inf clamps to the min');
    }
  });
}

// The values of channel ch that a k x k window at output (oy, ox) covers, stride 1 and padding 1
// on an h x w x c image (padding contributes nothing), in row-major order.
function windowValues(x, h, w, c, ch, k, oy, ox) {
  const out = [];
  for (let ky = 0; ky < k; ky++) {
    for (let kx = 0; kx < k; kx++) {
      const iy = oy + ky - 1;
      const ix = ox + kx - 1;
      if (iy >= 0 && iy < h && ix >= 0 && ix < w) out.push(x[(iy * w + ix) * c + ch]);
    }
  }
  return out;
}

function maxPooling() {
  // 3x3 windows, stride 1, padding 1 on a 4x4 image, 2 channels.
  const h = 4;
  const w = 4;
  const c = 2;
  const x = new Random(101).floats(h * w * c);
  x[0] = NaN;
  x[(3 * w + 3) * c] = Infinity;
  // Channel 1 is all -inf: padding never wins, so every output is -inf, not 0.
  for (let i = 0; i < h * w; i++) x[i * c + 1] = -Infinity;
  const op = new MaxPooling2D({ poolingHeight: 3, poolingWidth: 3, paddingTop: 1,
                                paddingRight: 1, paddingBottom: 1, paddingLeft: 1, channels: c });
  using(op, () => {
    const y = op.run(x, [1, h, w, c]);
    for (let oy = 0; oy < h; oy++) {
      for (let ox = 0; ox < w; ox++) {
        const window = windowValues(x, h, w, c, 0, 3, oy, ox);
        const got = y[(oy * w + ox) * c];
        const where = `max pooling at (${oy}, ${ox})`;
        if (window.some(Number.isNaN)) {
          // Unspecified: NaN or one of the window's values.
          assert.ok(Number.isNaN(got) || window.includes(got), `${where}: ${got}`);
        } else {
          assert.equal(got, Math.max(...window), where);
        }
        assert.equal(y[(oy * w + ox) * c + 1], -Infinity, `${where}: padding won a max over -inf`);
      }
    }
  });
}

function averagePooling() {
  const h = 4;
  const w = 4;
  const c = 3;
  const x = positive(h * w * c, 111);
  x[(1 * w + 1) * c + 0] = NaN;
  x[(3 * w + 0) * c + 1] = Infinity;
  x[(0 * w + 3) * c + 2] = Infinity;
  x[(1 * w + 3) * c + 2] = -Infinity;  // +inf and -inf in the same windows: NaN
  for (const countIncludePad of [false, true]) {
    // 2x2 windows, stride 1, padding 1: output 5x5.
    const oh = h + 1;
    const ow = w + 1;
    const ref = new Float64Array(oh * ow * c);
    for (let oy = 0; oy < oh; oy++) {
      for (let ox = 0; ox < ow; ox++) {
        for (let ch = 0; ch < c; ch++) {
          const sum = windowValues(x, h, w, c, ch, 2, oy, ox).reduce((a, b) => a + b, 0);
          ref[(oy * ow + ox) * c + ch] = sum / 4;  // the divisor does not change the class
        }
      }
    }
    const op = new AveragePooling2D({ poolingHeight: 2, poolingWidth: 2, paddingTop: 1,
                                      paddingRight: 1, paddingBottom: 1, paddingLeft: 1,
                                      channels: c, countIncludePad });
    using(op, () => {
      expectSameClasses(op.run(x, [1, h, w, c]), ref,
                        `average pooling${countIncludePad ? ' (include pad)' : ''}`);
    });
  }
  // Global: channel 0 holds a NaN, channel 1 +inf, channel 2 +inf and -inf.
  const gap = new GlobalAveragePooling({ channels: c });
  using(gap, () => {
    const y = gap.run(x, [1, h, w, c]);
    assert.ok(Number.isNaN(y[0]), `global average pooling of a NaN: ${y[0]}`);
    assert.equal(y[1], Infinity);
    assert.ok(Number.isNaN(y[2]), `global average pooling of +inf and -inf: ${y[2]}`);
  });
}

function unary() {
  const f = Math.fround;
  const rows = [
    ['leakyRelu', { negativeSlope: 0.1 }, NaN, Infinity, -Infinity],
    ['leakyRelu', { negativeSlope: -0.5 }, NaN, Infinity, Infinity],
    // IEEE: -inf * 0 is NaN (the formula is x * slope below 0).
    ['leakyRelu', { negativeSlope: 0 }, NaN, Infinity, NaN],
    ['elu', { alpha: 1.5 }, NaN, Infinity, f(-1.5)],
    ['sigmoid', {}, NaN, 1, 0],
    ['tanh', {}, NaN, 1, -1],
    ['hardswish', {}, NaN, Infinity, -0],
    ['gelu', {}, NaN, Infinity, -0],
    ['gelu', { approximate: 'tanh' }, NaN, Infinity, -0],
    ['silu', {}, NaN, Infinity, -0],
    ['abs', {}, NaN, Infinity, Infinity],
    ['negate', {}, NaN, -Infinity, Infinity],
    ['square', {}, NaN, Infinity, Infinity],
    ['sqrt', {}, NaN, Infinity, NaN],
    ['exp', {}, NaN, Infinity, 0],
    // relu and relu6 are clamps with finite lower bounds: NaN gives NaN or a bound.
    ['relu', {}, [NaN, 0], Infinity, 0],
    ['relu6', {}, [NaN, 0, 6], 6, 0],
  ];
  // Specials at every position of a 4-wide block and in the remainder, in a longer row too.
  const xs = new Float32Array([NaN, Infinity, -Infinity, 0.5, 0.25, NaN, Infinity, -Infinity, 1]);
  for (const [name, params, atNaN, atPosInf, atNegInf] of rows) {
    const op = new Unary(name, params);
    try {
      for (const input of [xs, new Float32Array(37).fill(0.5).map((v, i) => xs[i % 9])]) {
        const y = op.run(input);
        input.forEach((v, i) => {
          if (Number.isFinite(v)) return;
          const want = Number.isNaN(v) ? atNaN : v > 0 ? atPosInf : atNegInf;
          const ok = Array.isArray(want) ? want.some((x) => sameValue(y[i], x)) : sameValue(y[i], want);
          assert.ok(ok, `${name} ${JSON.stringify(params)} (${v}) = ${Object.is(y[i], -0) ? '-0' : y[i]}, documented ${want}`);
        });
      }
    } finally {
      op.dispose();
    }
  }
  // sqrt of a negative number is NaN, of -0 is -0; abs clears the sign of NaN too.
  const sqrt = new Unary('sqrt');
  const abs = new Unary('abs');
  try {
    const sq = sqrt.run(new Float32Array([-1, -0, -FLT_MIN]));
    assert.ok(Number.isNaN(sq[0]));
    assert.ok(Object.is(sq[1], -0), `sqrt(-0) = ${sq[1]}`);
    assert.ok(Number.isNaN(sq[2]));
    const negativeNaN = new Float32Array(new Uint32Array([0xffc00000]).buffer);
    const ab = abs.run(negativeNaN);
    assert.ok(Number.isNaN(ab[0]));
    assert.equal(new Uint32Array(ab.buffer)[0] >>> 31, 0, 'abs(-NaN) has its sign bit cleared');
  } finally {
    sqrt.dispose();
    abs.dispose();
  }
  // Clamp: infinities go to the bounds; NaN is unspecified (NaN or a bound).
  const clamp = new Unary('clamp', { min: -2, max: 3 });
  using(clamp, () => {
    const cl = clamp.run(new Float32Array([Infinity, -Infinity, NaN, 1]));
    assert.equal(cl[0], 3);
    assert.equal(cl[1], -2);
    assert.ok(Number.isNaN(cl[2]) || cl[2] === -2 || cl[2] === 3, `clamp(NaN) = ${cl[2]}`);
    assert.equal(cl[3], 1);
  });
  // The unbounded clamp is the identity, NaN included.
  const identity = new Unary('clamp');
  using(identity, () => {
    const y = identity.run(xs);
    xs.forEach((v, i) => assert.ok(sameValue(y[i], v), `clamp(-inf, inf)(${v}) = ${y[i]}`));
  });
}

function binary() {
  const specials = [NaN, Infinity, -Infinity, 0, -0, 1, -2.5, FLT_MAX, Math.fround(FLT_MIN / 4)];
  const ns = specials.length;
  const a = new Float32Array(ns * ns);
  const b = new Float32Array(ns * ns);
  for (let i = 0; i < ns; i++) {
    for (let j = 0; j < ns; j++) {
      a[i * ns + j] = specials[i];
      b[i * ns + j] = specials[j];
    }
  }
  const f = Math.fround;
  const formulas = {
    add: (x, z) => f(x + z),
    subtract: (x, z) => f(x - z),
    multiply: (x, z) => f(x * z),
    divide: (x, z) => f(x / z),
    squaredDifference: (x, z) => f(f(x - z) * f(x - z)),
    minimum: null,
    maximum: null,
  };
  for (const [name, formula] of Object.entries(formulas)) {
    const op = new Binary(name);
    using(op, () => {
      // Full shapes and a broadcast B (each row of A against one value) use different kernels.
      for (const broadcast of [false, true]) {
        const bb = broadcast ? new Float32Array(specials) : b;
        const y = op.run(a, [ns, ns], bb, broadcast ? [ns, 1] : [ns, ns]);
        for (let i = 0; i < ns; i++) {
          for (let j = 0; j < ns; j++) {
            const x = specials[i];
            const z = broadcast ? specials[i] : specials[j];
            const got = y[i * ns + j];
            const what = `${name}(${x}, ${z})${broadcast ? ' broadcast' : ''} = ${Object.is(got, -0) ? '-0' : got}`;
            if (formula === null) {
              if (Number.isNaN(x) || Number.isNaN(z)) {
                // Unspecified: NaN or one of the operands.
                assert.ok(Number.isNaN(got) || got === f(x) || got === f(z), what);
              } else if (f(x) === f(z)) {
                assert.equal(got, f(x), what);  // the sign of a zero from +0 vs -0 is unspecified
              } else {
                assert.equal(got, (name === 'minimum' ? Math.min : Math.max)(f(x), f(z)), what);
              }
            } else {
              assert.ok(sameValue(got, formula(f(x), f(z))), `${what}, IEEE ${formula(f(x), f(z))}`);
            }
          }
        }
      }
    });
  }
}

function softmax() {
  const big = 1e30;
  const rows = [
    ['a NaN makes the row NaN', [1, NaN, 2, 0.5, 3], null],
    ['NaN first', [NaN, 1, 2, 0.5, 3], null],
    ['+inf makes the row NaN (inf - inf)', [1, Infinity, 2, 0.5, 3], null],
    ['all -inf: NaN', [-Infinity, -Infinity, -Infinity, -Infinity, -Infinity], null],
    ['-inf entries are exact zeros', [-Infinity, 0, -Infinity, 0, -Infinity], [0, 0.5, 0, 0.5, 0]],
    ['large values do not overflow', [big, big, -big, big, big], [0.25, 0.25, 0, 0.25, 0.25]],
    ['FLT_MAX vs -FLT_MAX', [FLT_MAX, -FLT_MAX, -FLT_MAX, -FLT_MAX, -FLT_MAX], [1, 0, 0, 0, 0]],
  ];
  const c = 5;
  const op = new Softmax({ channels: c });
  using(op, () => {
    const y = op.run(new Float32Array(rows.flatMap((r) => r[1])), [rows.length, c]);
    rows.forEach(([what, , want], r) => {
      for (let i = 0; i < c; i++) {
        const got = y[r * c + i];
        if (want === null) {
          assert.ok(Number.isNaN(got), `${what} [${i}] = ${got}`);
        } else {
          assert.ok(Math.abs(got - want[i]) <= 1e-6, `${what} [${i}] = ${got}, want ${want[i]}`);
          if (want[i] === 0) assert.equal(got, 0, `${what} [${i}] must be exactly 0`);
        }
      }
    });
  });
}

// ---------------------------------------------------------------------------------------------

for (const [variant, threads] of [['scalar', 1], ['simd', 1], ['simd-threads', 2]]) {
  describe(`NaN and infinity on ${variant} (${threads} thread(s))`, () => {
    before(async () => {
      await terminate();
      await init({ variant, threads });
      assert.equal(info().variant, variant);
      assert.equal(info().threads, threads);
    });
    after(() => terminate());

    it('convolution: igemm, 1x1 gemm, depthwise, grouped with padding beyond the kernel', () => {
      convolutionCase({ kh: 3, kw: 3, pad: 1, groups: 1, gic: 2, goc: 3 }, 'igemm, padding 1');
      convolutionCase({ kh: 1, kw: 1, pad: 0, groups: 1, gic: 3, goc: 4 }, '1x1 gemm');
      convolutionCase({ kh: 3, kw: 3, pad: 1, groups: 3, gic: 1, goc: 1 }, 'depthwise');
      convolutionCase({ kh: 2, kw: 2, pad: 2, groups: 3, gic: 1, goc: 2 }, 'grouped, padding 2');
    });
    it('fully connected and batch matmul', fullyConnectedAndBatchMatMul);
    it('a finite fused clamp gives NaN or a bound for NaN, the bounds for infinities',
       finiteFusedClamp);
    it('max pooling: NaN unspecified among the window, padding never wins over -inf', maxPooling);
    it('average and global average pooling', averagePooling);
    it('unary ops at NaN, +inf, -inf (the documented values)', unary);
    it('binary ops on every pair of specials, full and broadcast', binary);
    it('softmax rows with NaN, infinities and extremes', softmax);
  });
}
