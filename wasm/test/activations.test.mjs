// The activations added for whole models (hardSigmoid, erf, log, reciprocal, rsqrt, floor, ceil,
// round, sin, cos, softplus) and Binary 'pow', on every variant (scalar, simd, simd-threads with 2
// threads), against the double references of helpers/reference.mjs within the bounds of
// kernels/math-constants.h (read through helpers/bounds.mjs): random values over each op's
// interesting range, special values (zeros, infinities, NaN, denormals, huge and tiny
// magnitudes), large sin / cos arguments (the exact reduction), in place, and C's reason for a
// rejected parameter.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { Binary, PortnnError, Unary, info, init, terminate } from '../index.js';
import { Random } from './helpers/random.mjs';
import * as ref from './helpers/reference.mjs';

const SPECIAL = [0, -0, 1, -1, 0.5, -0.5, 1.5, -2.5, 2.5, 1e-30, -1e-30, 1e-45, -1e-45, 20, -20,
                 88.8, -104, 6000.5, 1e5, -3e7, 1e30, -1e30, 3.4e38, Infinity, -Infinity, NaN];

// [op, params, random range]
const CASES = [
  ['hardSigmoid', {}, 8], ['hardSigmoid', { alpha: -1.5, beta: 1 }, 8], ['erf', {}, 5],
  ['log', {}, 1e4], ['reciprocal', {}, 1e3], ['rsqrt', {}, 1e6], ['floor', {}, 100],
  ['ceil', {}, 100], ['round', {}, 100], ['sin', {}, 1e4], ['cos', {}, 40], ['softplus', {}, 30],
];

function checkUnary(seed) {
  const rng = new Random(seed);
  for (const [name, params, range] of CASES) {
    const op = new Unary(name, params);
    const bound = ref.unaryBound(name, params);
    try {
      for (const length of [1, 5, 64, 1000, rng.int(1, 5000)]) {
        const input = rng.floats(length, name === 'log' || name === 'rsqrt' ? 0 : -range, range);
        for (let i = 0; i < Math.min(length, SPECIAL.length); i++) {
          input[rng.int(0, length - 1)] = SPECIAL[(i + length) % SPECIAL.length];
        }
        // Halves, for round's ties.
        if (name === 'round') for (let i = 1; i < length; i += 3) input[i] = Math.round(input[i]) + 0.5;
        const y = op.run(input);
        for (let i = 0; i < length; i++) {
          const r = ref.unary(name, input[i], params);
          assert.ok(ref.withinBound(y[i], r, bound),
                    `${name} ${JSON.stringify(params)}(${input[i]}) = ${y[i]}, expected ${r} (+- ${bound.rel} rel + ${bound.abs})`);
          if ((name === 'floor' || name === 'ceil' || name === 'round' || name === 'erf' ||
               name === 'sin') && r === 0) {
            assert.equal(Object.is(y[i], -0), Object.is(r, -0), `${name}(${input[i]}): sign of zero`);
          }
        }
        const copy = input.slice();
        op.run(copy, [length], copy);
        for (let i = 0; i < length; i++) {
          assert.ok(Object.is(copy[i], y[i]), `${name} in place differs at ${i}`);
        }
      }
    } finally {
      op.dispose();
    }
  }
}

// Pow operands: bases over many magnitudes and both signs, exponents integral on every second
// element (negative bases then give real results), special values in both.
function powOperands(rng, n, exponent) {
  const v = rng.floats(n, exponent ? -6 : -4, exponent ? 6 : 4);
  const special = [0, -0, 1, -1, Infinity, -Infinity, NaN, 0.5, -2, 1e-40, 3e38];
  for (let i = 0; i < n; i++) {
    if (exponent && i % 2 === 0) v[i] = Math.round(v[i]);
    if (!exponent) v[i] = Math.fround(v[i] * 2 ** ((i * 7) % 41 - 20));
    if (i % 11 === 5) v[i] = special[(i / 11 | 0) % special.length];
  }
  return v;
}

function checkPow(seed) {
  const rng = new Random(seed);
  const op = new Binary('pow');
  const clamped = new Binary('pow', { outputMin: -1, outputMax: 2 });
  try {
    for (const [aShape, bShape] of [[[1000], [1000]], [[3, 1], [1, 40]], [[1], [77]], [[50], []],
                                    [[2, 3, 8], [8]]]) {
      const a = powOperands(rng, aShape.reduce((x, y) => x * y, 1), false);
      const b = powOperands(rng, bShape.reduce((x, y) => x * y, 1), true);
      const y = op.run(a, aShape, b, bShape);
      const yc = clamped.run(a, aShape, b, bShape);
      const expected = ref.binaryBroadcast('add', aShape.length ? aShape : [1], a,
                                           bShape.length ? bShape : [1], b);  // for the shape
      assert.deepEqual(op.outputShape(aShape, bShape), expected.shape);
      // Walk the broadcast: operand indices of each output element.
      const out = expected.shape;
      const rank = out.length;
      const align = (s) => [...Array(rank - s.length).fill(1), ...s];
      const sa = align(aShape.length ? aShape : [1]);
      const sb = align(bShape.length ? bShape : [1]);
      const index = (s, coords) => coords.reduce((f, c, d) => f * s[d] + (s[d] === 1 ? 0 : c), 0);
      for (let flat = 0; flat < y.length; flat++) {
        const coords = [];
        let rest = flat;
        for (let d = rank - 1; d >= 0; d--) { coords[d] = rest % out[d]; rest = Math.floor(rest / out[d]); }
        const ai = a[index(sa, coords)], bi = b[index(sb, coords)];
        assert.ok(ref.powWithinBound(y[flat], ai, bi),
                  `pow(${ai}, ${bi}) = ${y[flat]}, expected ${ref.pow(ai, bi)}`);
        if (!Number.isNaN(y[flat])) {
          assert.equal(yc[flat], Math.fround(Math.min(Math.max(y[flat], -1), 2)), `clamped pow(${ai}, ${bi})`);
        }
      }
    }
    // ONNX's sign rules, exactly.
    const a = new Float32Array([-2, -2, -8, -0, -0, -1, -Infinity, NaN, 1, 4]);
    const b = new Float32Array([3, -1, 1 / 3, 3, -3, Infinity, 3, 0, NaN, 0.5]);
    const want = [-8, -0.5, NaN, -0, -Infinity, 1, -Infinity, 1, 1, 2];
    const y = op.run(a, [10], b, [10]);
    for (let i = 0; i < want.length; i++) assert.ok(Object.is(y[i], want[i]), `pow(${a[i]}, ${b[i]}) = ${y[i]}`);
  } finally {
    op.dispose();
    clamped.dispose();
  }
}

for (const [variant, threads] of [['scalar', 1], ['simd', 1], ['simd-threads', 2]]) {
  describe(`new activations and pow on the ${variant} build with ${threads} thread(s)`, () => {
    before(async () => {
      await init({ variant, threads });
      assert.equal(info().variant, variant);
    });
    after(() => terminate());

    it('Unary: hardSigmoid, erf, log, reciprocal, rsqrt, floor, ceil, round, sin, cos, softplus',
       () => checkUnary(4242));
    it('Binary pow: broadcasting, within its bound, clamp, ONNX sign rules', () => checkPow(4343));
    it('reports C\'s reason for bad hardSigmoid parameters', () => {
      assert.throws(() => new Unary('hardSigmoid', { beta: NaN }),
                    (e) => e instanceof PortnnError && /params->beta is nan; it must be finite/.test(e.message));
      assert.throws(() => new Unary('hardSigmoid', { alpha: Infinity }),
                    (e) => e instanceof PortnnError && /params->alpha is inf; it must be finite/.test(e.message));
    });
  });
}
