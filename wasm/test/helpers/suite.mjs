// The operator tests every variant runs: each operator against the double-precision references
// of reference.mjs (argmax pooling against argmaxPooling below), on randomized shapes and values
// with fixed seeds, creating each operator once and running it on several shapes.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import {
  AveragePooling2D, BatchMatMul, Binary, Convolution2D, FullyConnected, GlobalAveragePooling,
  MaxPooling2D, Softmax, Unary, info, init, terminate,
} from '../../index.js';
import { Random } from './random.mjs';
import * as ref from './reference.mjs';

function expectClose(actual, expected, what) {
  const bad = ref.firstMismatch(actual, expected.value, expected.tolerance ?? null);
  assert.equal(bad, null, `${what}: ${bad}`);
}

function expectShape(op, shape, expected, what) {
  assert.deepEqual(op.outputShape(...shape), expected, `${what}: output shape`);
}

// Runs `op` (created once) on each NHWC shape, a random input of values in `range` ([] for the
// default), against reference(shape, input): the output shape, then the values; `more(input,
// shape, expected, what)` adds checks. Disposes the operator.
function checkOnShapes(op, shapes, rng, range, reference, name, more = null) {
  try {
    for (const shape of shapes) {
      const [n, h, w, c] = shape;
      const input = rng.floats(n * h * w * c, ...range);
      const expected = reference(shape, input);
      const what = `${name} input ${shape}`;
      expectShape(op, [shape], expected.shape, what);
      expectClose(op.run(input, shape), expected, what);
      if (more) more(input, shape, expected, what);
    }
  } finally {
    op.dispose();
  }
}

// ---------------------------------------------------------------------------------------------

function testConvolution(seed) {
  const rng = new Random(seed);
  let cases = 0;
  while (cases < 24) {
    const depthwise = rng.chance(0.25);
    const groups = depthwise ? rng.int(2, 12) : rng.int(1, 3);
    const p = {
      kh: rng.int(1, 5), kw: rng.int(1, 5), sh: rng.int(1, 3), sw: rng.int(1, 3),
      dh: rng.chance(0.25) ? 2 : 1, dw: rng.chance(0.25) ? 2 : 1,
      pt: 0, pr: 0, pb: 0, pl: 0, same: rng.chance(0.3),
      groups, gic: depthwise ? 1 : rng.int(1, 9), goc: depthwise ? rng.int(1, 2) : rng.int(1, 17),
    };
    if (!p.same) {
      p.pt = rng.int(0, 2); p.pr = rng.int(0, 2); p.pb = rng.int(0, 2); p.pl = rng.int(0, 2);
    }
    assert.ok(p.kh * p.kw * p.gic <= ref.MAX_REDUCTION);
    const clamp = rng.chance(0.3);
    const min = clamp ? -0.5 : -Infinity;
    const max = clamp ? 0.5 : Infinity;
    const cin = p.groups * p.gic;
    const cout = p.groups * p.goc;
    const kernel = rng.floats(cout * p.kh * p.kw * p.gic);
    const bias = rng.chance(0.7) ? rng.floats(cout) : null;
    // Several input shapes per operator: create once, run many.
    const shapes = [];
    for (let s = 0; s < 3; s++) {
      shapes.push([rng.int(1, 2), rng.int(1, 12), rng.int(1, 12), cin]);
    }
    const valid = shapes.filter(([n, h, w]) =>
      ref.convolution2d(p, n, h, w, new Float32Array(n * h * w * cin), kernel, bias, min, max) !== null);
    if (valid.length === 0) continue;
    const op = new Convolution2D({
      kernelHeight: p.kh, kernelWidth: p.kw, strideHeight: p.sh, strideWidth: p.sw,
      dilationHeight: p.dh, dilationWidth: p.dw, paddingTop: p.pt, paddingRight: p.pr,
      paddingBottom: p.pb, paddingLeft: p.pl, tensorflowSamePadding: p.same,
      groups: p.groups, groupInputChannels: p.gic, groupOutputChannels: p.goc,
      outputMin: min, outputMax: max,
    }, kernel, bias);
    checkOnShapes(op, valid, rng, [],
                  ([n, h, w], input) => ref.convolution2d(p, n, h, w, input, kernel, bias, min, max),
                  `conv ${JSON.stringify(p)}`, (input, shape, expected, what) => {
                    // The same operator filling a caller's array.
                    const out = new Float32Array(expected.value.length);
                    assert.equal(op.run(input, shape, out), out);
                    expectClose(out, expected, `${what} (caller's output)`);
                  });
    cases++;
  }
}

function testFullyConnected(seed) {
  const rng = new Random(seed);
  for (let c = 0; c < 24; c++) {
    const ic = rng.int(1, ref.MAX_REDUCTION);
    const oc = rng.int(1, 40);
    const transposed = rng.chance(0.5);
    const clamp = rng.chance(0.3);
    const min = clamp ? -1 : -Infinity;
    const max = clamp ? 1 : Infinity;
    const kernel = rng.floats(ic * oc);
    const bias = rng.chance(0.7) ? rng.floats(oc) : null;
    const op = new FullyConnected({ inputChannels: ic, outputChannels: oc,
                                    transposeWeights: transposed, outputMin: min,
                                    outputMax: max }, kernel, bias);
    try {
      for (const batch of [rng.int(1, 9), rng.int(1, 20), 1]) {
        const input = rng.floats(batch * ic);
        const expected = ref.fullyConnected(batch, ic, oc, input, kernel, bias, transposed, min, max);
        const what = `fc ${ic}->${oc} batch ${batch} transposed ${transposed}`;
        expectClose(op.run(input, [batch, ic]), expected, what);
        // Leading dims are flattened into the batch; no shape means [length / ic, ic].
        if (batch % 2 === 0) expectClose(op.run(input, [2, batch / 2, ic]), expected, `${what} rank 3`);
        expectClose(op.run(input), expected, `${what} (no shape)`);
      }
    } finally {
      op.dispose();
    }
  }
}

function testBatchMatMul(seed) {
  const rng = new Random(seed);
  for (let c = 0; c < 24; c++) {
    const transposeA = rng.chance(0.5);
    const transposeB = rng.chance(0.5);
    const op = new BatchMatMul({ transposeA, transposeB });
    try {
      for (let s = 0; s < 3; s++) {
        const m = rng.int(1, 17);
        const k = rng.int(1, 64);
        const n = rng.int(1, 17);
        const rank = rng.int(0, 3);
        const batch = Array.from({ length: rank }, () => rng.int(1, 3));
        // Broadcast: some dims are 1 on one side; B may have fewer batch dims than A.
        const batchA = batch.map((d) => (rng.chance(0.25) ? 1 : d));
        let batchB = batch.map((d, i) => (batchA[i] !== 1 && rng.chance(0.25) ? 1 : d));
        if (rng.chance(0.3)) batchB = batchB.slice(rng.int(0, rank));
        const aShape = [...batchA, ...(transposeA ? [k, m] : [m, k])];
        const bShape = [...batchB, ...(transposeB ? [n, k] : [k, n])];
        const a = rng.floats(aShape.reduce((x, y) => x * y, 1));
        const b = rng.floats(bShape.reduce((x, y) => x * y, 1));
        const expected = ref.batchMatMul(aShape, bShape, a, b, transposeA, transposeB);
        const what = `batch matmul A ${aShape} B ${bShape} tA ${transposeA} tB ${transposeB}`;
        expectShape(op, [aShape, bShape], expected.shape, what);
        expectClose(op.run(a, aShape, b, bShape), expected, what);
      }
    } finally {
      op.dispose();
    }
  }
}

function testPooling(seed, isMax) {
  const rng = new Random(seed);
  let cases = 0;
  while (cases < 24) {
    const p = {
      ph: rng.int(1, 4), pw: rng.int(1, 4), sh: rng.int(1, 3), sw: rng.int(1, 3),
      dh: isMax && rng.chance(0.3) ? 2 : 1, dw: isMax && rng.chance(0.3) ? 2 : 1,
      pt: 0, pr: 0, pb: 0, pl: 0, same: rng.chance(0.3), includePad: !isMax && rng.chance(0.5),
      channels: rng.int(1, 19),
    };
    if (!p.same) {
      // Every window must overlap the input: padding below the kernel extent.
      p.pt = rng.int(0, p.ph - 1); p.pb = rng.int(0, p.ph - 1);
      p.pl = rng.int(0, p.pw - 1); p.pr = rng.int(0, p.pw - 1);
    }
    const clamp = rng.chance(0.3);
    const min = clamp ? -0.25 : -Infinity;
    const max = clamp ? 0.25 : Infinity;
    const shapes = [];
    for (let s = 0; s < 3; s++) shapes.push([rng.int(1, 2), rng.int(1, 11), rng.int(1, 11), p.channels]);
    const valid = shapes.filter(([n, h, w, c]) =>
      ref.pooling2d(isMax, p, n, h, w, new Float32Array(n * h * w * c), min, max) !== null);
    if (valid.length === 0) continue;
    const Op = isMax ? MaxPooling2D : AveragePooling2D;
    const op = new Op({
      poolingHeight: p.ph, poolingWidth: p.pw, strideHeight: p.sh, strideWidth: p.sw,
      dilationHeight: p.dh, dilationWidth: p.dw, paddingTop: p.pt, paddingRight: p.pr,
      paddingBottom: p.pb, paddingLeft: p.pl, tensorflowSamePadding: p.same,
      countIncludePad: p.includePad, channels: p.channels, outputMin: min, outputMax: max,
    });
    checkOnShapes(op, valid, rng, [-2, 2],
                  ([n, h, w], input) => ref.pooling2d(isMax, p, n, h, w, input, min, max),
                  `${isMax ? 'max' : 'average'} pooling ${JSON.stringify(p)}`);
    cases++;
  }
}

function testGlobalAveragePooling(seed) {
  const rng = new Random(seed);
  for (let c = 0; c < 16; c++) {
    const channels = rng.int(1, 40);
    const clamp = rng.chance(0.3);
    const min = clamp ? -0.1 : -Infinity;
    const max = clamp ? 0.1 : Infinity;
    const op = new GlobalAveragePooling({ channels, outputMin: min, outputMax: max });
    try {
      for (let s = 0; s < 3; s++) {
        const n = rng.int(1, 3);
        const h = rng.int(1, 8);
        const w = rng.int(1, 16);
        const input = rng.floats(n * h * w * channels, -3, 3);
        const expected = ref.globalAveragePooling(n, h * w, channels, input, min, max);
        const what = `global average pooling [${n}, ${h}, ${w}, ${channels}]`;
        expectClose(op.run(input, [n, h, w, channels]), expected, `${what} as NHWC`);
        expectClose(op.run(input, [n, h * w, channels]), expected, `${what} as NWC`);
      }
    } finally {
      op.dispose();
    }
  }
}

// Inputs for the unary ops: random values over the interesting range, plus edge values.
const SPECIAL = [0, -0, 1, -1, 3, -3, 6, 1e-30, -1e-30, 1e-45, 20, -20, 88.8, -104, 1e30,
                 -1e30, Infinity, -Infinity, NaN];

const UNARY_CASES = [
  ['clamp', { min: -0.75, max: 1.5 }], ['relu', {}], ['relu6', {}],
  ['leakyRelu', { negativeSlope: 0.125 }], ['elu', { alpha: 0.7 }], ['sigmoid', {}], ['tanh', {}],
  ['hardswish', {}], ['gelu', {}], ['gelu', { approximate: 'tanh' }], ['silu', {}], ['abs', {}],
  ['negate', {}], ['square', {}], ['sqrt', {}], ['exp', {}],
];

function testUnary(seed) {
  const rng = new Random(seed);
  for (const [name, params] of UNARY_CASES) {
    const op = new Unary(name, params);
    // Clamp-like ops leave NaN unspecified.
    const special = ['clamp', 'relu', 'relu6'].includes(name) ? SPECIAL.filter((v) => !Number.isNaN(v))
                                                              : SPECIAL;
    const bound = ref.unaryBound(name, params);
    try {
      for (const length of [1, 7, 64, 1000, rng.int(1, 5000)]) {
        const input = rng.floats(length, -10, 10);
        for (let i = 0; i < Math.min(length, special.length); i++) {
          input[rng.int(0, length - 1)] = special[i];
        }
        const shape = length % 4 === 0 ? [4, length / 4] : [length];
        const y = op.run(input, shape);
        assert.equal(y.length, length);
        for (let i = 0; i < length; i++) {
          const r = ref.unary(name, input[i], params);
          assert.ok(ref.withinBound(y[i], r, bound),
                    `${name} ${JSON.stringify(params)}(${input[i]}) = ${y[i]}, expected ${r} (+- ${bound.rel} rel + ${bound.abs})`);
        }
        // In place: the caller may pass its input as the output.
        const copy = input.slice();
        op.run(copy, shape, copy);
        for (let i = 0; i < length; i++) {
          assert.ok(Object.is(copy[i], y[i]) || (Number.isNaN(copy[i]) && Number.isNaN(y[i])),
                    `${name} in place differs at ${i}`);
        }
      }
    } finally {
      op.dispose();
    }
  }
}

const BINARY_OPS = ['add', 'subtract', 'multiply', 'divide', 'minimum', 'maximum',
                    'squaredDifference'];

function randomBroadcastPair(rng) {
  const rank = rng.int(1, 4);
  const out = Array.from({ length: rank }, () => rng.int(1, 6));
  const a = out.map((d) => (rng.chance(0.3) ? 1 : d));
  let b = out.map((d, i) => (a[i] !== 1 && rng.chance(0.3) ? 1 : d));
  if (rng.chance(0.3)) b = b.slice(rng.int(0, rank - 1));
  return rng.chance(0.5) ? [a, b] : [b, a];
}

function testBinary(seed) {
  const rng = new Random(seed);
  for (const name of BINARY_OPS) {
    for (const clamp of [false, true]) {
      const min = clamp ? -0.5 : -Infinity;
      const max = clamp ? 2 : Infinity;
      const op = new Binary(name, { outputMin: min, outputMax: max });
      try {
        const pairs = [[[1], [1]], [[], [5]], [[7], []], [[3, 1], [1, 4]]];
        for (let s = 0; s < 6; s++) pairs.push(randomBroadcastPair(rng));
        pairs.push([[2, 3, 64], [64]], [[1000], [1000]]);
        for (const [aShape, bShape] of pairs) {
          const a = rng.floats(aShape.reduce((x, y) => x * y, 1), -3, 3);
          const b = rng.floats(bShape.reduce((x, y) => x * y, 1), -3, 3);
          if (b.length > 2) b[1] = 0;  // x / 0 = +-inf, 0 / 0 = NaN
          if (a.length > 2 && b.length > 2) a[1] = 0;
          const expected = ref.binaryBroadcast(name, aShape.length ? aShape : [1], a,
                                               bShape.length ? bShape : [1], b, min, max);
          const what = `${name} A ${JSON.stringify(aShape)} B ${JSON.stringify(bShape)} clamp ${clamp}`;
          const y = op.run(a, aShape, b, bShape);
          assert.deepEqual(op.outputShape(aShape, bShape), expected.shape, what);
          // Exact: == (so the sign of a zero minimum/maximum does not matter), NaN for NaN.
          expectClose(y, { value: expected.value, tolerance: null }, what);
        }
      } finally {
        op.dispose();
      }
    }
  }
}

function testSoftmax(seed) {
  const rng = new Random(seed);
  for (let c = 0; c < 16; c++) {
    const channels = rng.pick([1, 2, 3, 5, 8, 17, 64, 100, rng.int(1, 300)]);
    const op = new Softmax({ channels });
    try {
      for (let s = 0; s < 3; s++) {
        const batch = rng.int(1, 6);
        const input = rng.floats(batch * channels, -10, 10);
        const expected = ref.softmax(batch, channels, input);
        const what = `softmax ${batch}x${channels}`;
        expectClose(op.run(input, [batch, channels]), expected, what);
        if (batch % 2 === 0) {
          expectClose(op.run(input, [2, batch / 2, channels]), expected, `${what} as rank 3`);
        }
        expectClose(op.run(input), expected, `${what} (no shape)`);
      }
    } finally {
      op.dispose();
    }
  }
}

// ---------------------------------------------------------------------------------------------

// MaxPooling2D with argmax: true (C's argmax pooling): values and indices (iy * W + ix of the
// first maximum in row-major window order, per image and channel), inputs on a coarse grid so
// that windows hold equal maxima; the caller's arrays; the errors. The reference: for each
// output element the first valid tap holding the maximum.
function argmaxPooling(p, n, h, w, c, x) {
  const oh = Math.floor((h + p.pt + p.pb - (p.dh * (p.kh - 1) + 1)) / p.sh) + 1;
  const ow = Math.floor((w + p.pl + p.pr - (p.dw * (p.kw - 1) + 1)) / p.sw) + 1;
  const values = new Float32Array(n * oh * ow * c);
  const indices = new Uint32Array(values.length);
  let o = 0;
  for (let b = 0; b < n; b++) {
    for (let oy = 0; oy < oh; oy++) {
      for (let ox = 0; ox < ow; ox++) {
        for (let ch = 0; ch < c; ch++, o++) {
          let best = -Infinity;
          let index = -1;
          for (let ky = 0; ky < p.kh; ky++) {
            const iy = oy * p.sh + ky * p.dh - p.pt;
            for (let kx = 0; kx < p.kw; kx++) {
              const ix = ox * p.sw + kx * p.dw - p.pl;
              if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
              const v = x[((b * h + iy) * w + ix) * c + ch];
              if (index < 0 || best < v) { best = v; index = iy * w + ix; }
            }
          }
          values[o] = best;
          indices[o] = index;
        }
      }
    }
  }
  return { shape: [n, oh, ow, c], values, indices };
}

function testArgmax(seed) {
  const rng = new Random(seed);
  for (let t = 0; t < 25; t++) {
    const p = {
      kh: rng.int(1, 4), kw: rng.int(1, 4), sh: rng.int(1, 3), sw: rng.int(1, 3),
      dh: rng.chance(0.25) ? 2 : 1, dw: rng.chance(0.25) ? 2 : 1,
    };
    // Padding below the window's extent, so no window covers only padding.
    [p.pt, p.pb] = [rng.int(0, p.kh - 1), rng.int(0, p.kh - 1)];
    [p.pl, p.pr] = [rng.int(0, p.kw - 1), rng.int(0, p.kw - 1)];
    const c = rng.int(1, 19);
    const op = new MaxPooling2D({
      poolingHeight: p.kh, poolingWidth: p.kw, strideHeight: p.sh, strideWidth: p.sw,
      dilationHeight: p.dh, dilationWidth: p.dw, paddingTop: p.pt, paddingRight: p.pr,
      paddingBottom: p.pb, paddingLeft: p.pl, channels: c, argmax: true,
    });
    try {
      assert.equal(op.argmax, true);
      for (let s = 0; s < 2; s++) {  // create once, run two shapes
        const n = rng.int(1, 2);
        const h = p.dh * (p.kh - 1) + 1 + rng.int(0, 5);
        const w = p.dw * (p.kw - 1) + 1 + rng.int(0, 5);
        const x = rng.floats(n * h * w * c).map((v) => Math.round(v * 2) / 2);  // ties
        const want = argmaxPooling(p, n, h, w, c, x);
        const what = `argmax pooling ${JSON.stringify(p)} input ${[n, h, w, c]}`;
        assert.deepEqual(op.outputShape([n, h, w, c]), want.shape, what);
        const got = op.runWithIndices(x, [n, h, w, c]);
        assert.ok(got.indices instanceof Uint32Array, what);
        assert.deepEqual(Array.from(got.indices), Array.from(want.indices), `${what}: indices`);
        assert.deepEqual(Array.from(got.output), Array.from(want.values), `${what}: values`);
        assert.deepEqual(Array.from(op.run(x, [n, h, w, c])), Array.from(want.values), what);
        // Into the caller's arrays.
        const out = new Float32Array(want.values.length);
        const ind = new Uint32Array(want.indices.length);
        const filled = op.runWithIndices(x, [n, h, w, c], out, ind);
        assert.equal(filled.output, out);
        assert.equal(filled.indices, ind);
        assert.deepEqual(Array.from(ind), Array.from(want.indices), what);
      }
    } finally {
      op.dispose();
    }
  }
}

function testArgmaxErrors() {
  const params = { poolingHeight: 2, poolingWidth: 2, strideHeight: 2, strideWidth: 2, channels: 1 };
  const plain = new MaxPooling2D(params);
  const op = new MaxPooling2D({ ...params, argmax: true });
  try {
    assert.equal(plain.argmax, false);
    assert.throws(() => plain.runWithIndices(new Float32Array(4), [1, 2, 2, 1]),
                  /created without argmax: true/);
    assert.throws(() => op.runWithIndices(new Float32Array(4), [1, 2, 2, 1], undefined, [0]),
                  (e) => e instanceof TypeError && /indices must be a Uint32Array/.test(e.message));
    assert.throws(() => op.runWithIndices(new Float32Array(4), [1, 2, 2, 1], undefined,
                                          new Uint32Array(2)),
                  /indices has 2 elements, expected 1/);
    assert.throws(() => new MaxPooling2D({ ...params, argmax: 1 }), /argmax must be a boolean/);
  } finally {
    plain.dispose();
    op.dispose();
  }
}

// The kernel level each variant runs (pnn_isa_name()).
const isaOf = (variant) => {
  if (variant === 'scalar') return 'scalar';
  return variant.startsWith('relaxed-') ? 'wasmrelaxed' : 'wasmsimd';
};

/** Registers the operator tests on `variant` with `threads` threads. */
export function operatorSuite(variant, threads) {
  describe(`operators on the ${variant} build with ${threads} thread(s)`, () => {
    before(async () => {
      const i = await init({ variant, threads });
      assert.equal(i.variant, variant);
      assert.equal(i.threads, threads);
      assert.equal(i.simd, variant !== 'scalar');
      assert.equal(i.isa, isaOf(variant));
    });
    after(() => terminate());

    it('reports the variant it runs', () => {
      assert.deepEqual(info(), { variant, simd: variant !== 'scalar', threads,
                                 isa: isaOf(variant) });
    });
    it('Convolution2D (dense, grouped, depthwise; padding, SAME, strides, dilation, clamp)',
       () => testConvolution(101));
    it('FullyConnected (both weight layouts, bias, clamp, several batch sizes)',
       () => testFullyConnected(202));
    it('BatchMatMul (transposes, broadcast batch dims of different ranks)',
       () => testBatchMatMul(303));
    it('MaxPooling2D (padding, SAME, strides, dilation, clamp)', () => testPooling(404, true));
    it('MaxPooling2D with argmax: values and first-maximum indices', () => testArgmax(1501));
    it('MaxPooling2D with argmax: errors', () => testArgmaxErrors());
    it('AveragePooling2D (padding, SAME, include/exclude pad, clamp)',
       () => testPooling(505, false));
    it('GlobalAveragePooling (NWC and NHWC shapes, clamp)', () => testGlobalAveragePooling(606));
    it('Unary: every op within its documented bound, edge values, in place',
       () => testUnary(707));
    it('Binary: every op exact, broadcasting, scalars, fused clamp', () => testBinary(808));
    it('Softmax (short and long rows, several batch shapes)', () => testSoftmax(909));
  });
}
