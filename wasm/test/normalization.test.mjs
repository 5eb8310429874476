// Reduce, LayerNorm, RmsNorm, BatchNorm and PRelu on every variant (scalar, simd, simd-threads
// with 2 threads) against double-precision references (helpers/norm-reference.mjs) over
// randomized shapes, axes and parameters, plus the C library's reasons for what it rejects.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import {
  BatchNorm, LayerNorm, PRelu, PortnnError, Reduce, RmsNorm, Softmax, init, terminate,
} from '../index.js';
import { Random } from './helpers/random.mjs';
import * as ref from './helpers/reference.mjs';
import * as norm from './helpers/norm-reference.mjs';

function expectClose(actual, expected, what) {
  const bad = ref.firstMismatch(actual, expected.value, expected.tolerance);
  assert.equal(bad, null, `${what}: ${bad}`);
}

function testReduce(seed) {
  const rng = new Random(seed);
  for (let iter = 0; iter < 60; iter++) {
    const op = rng.pick(['sum', 'mean', 'max', 'min']);
    const rank = rng.int(0, 5);
    const shape = Array.from({ length: rank }, () => rng.int(1, rank <= 2 ? 40 : 6));
    const axes = [];
    for (let d = 0; d < rank; d++) if (rng.chance(0.5)) axes.push(rng.chance(0.5) ? d : d - rank);
    const keepDims = rng.chance(0.5);
    const r = new Reduce(op, { axes, keepDims });
    try {
      const count = shape.reduce((a, b) => a * b, 1);
      const input = rng.floats(count, -4, 4);
      const expected = norm.reduce(op, shape, axes, keepDims, input);
      const what = `${op} shape [${shape}] axes [${axes}] keepDims ${keepDims}`;
      assert.deepEqual(r.outputShape(shape), expected.shape, `${what}: output shape`);
      expectClose(r.run(input, shape), expected, what);
    } finally {
      r.dispose();
    }
  }
}

// A random shape of rank 1 to 4 (dims up to `large` at rank <= 2, else up to `small`) and one of
// its axes, given as a non-negative or a negative index half the time each.
function shapeAndAxis(rng, large, small) {
  const rank = rng.int(1, 4);
  const shape = Array.from({ length: rank }, () => rng.int(1, rank <= 2 ? large : small));
  const first = rng.int(0, rank - 1);
  return { shape, first, axis: rng.chance(0.5) ? first : first - rank };
}

function testRowNorm(seed, rms) {
  const rng = new Random(seed);
  for (let iter = 0; iter < 30; iter++) {
    const { shape, first, axis } = shapeAndAxis(rng, 50, 8);
    const n = shape.slice(first).reduce((a, b) => a * b, 1);
    const gamma = rng.floats(n, -2, 2);
    const beta = rng.floats(n, -1, 1);
    const epsilon = rng.pick([0, 1e-5, 0.1]);
    const useBeta = !rms && rng.chance(0.8);
    const op = rms ? new RmsNorm({ axis, epsilon }, gamma)
      : new LayerNorm({ axis, epsilon }, gamma, useBeta ? beta : null);
    try {
      const offset = rng.int(-3, 3);
      const input = rng.floats(shape.reduce((a, b) => a * b, 1), offset - 2, offset + 2);
      const expected = norm.rowNorm(rms, input, n, gamma, useBeta ? beta : null, epsilon);
      expectClose(op.run(input, shape), expected, `${rms ? 'RmsNorm' : 'LayerNorm'} [${shape}] axis ${axis}`);
    } finally {
      op.dispose();
    }
  }
}

function testChannels(seed) {
  const rng = new Random(seed);
  for (const channels of [1, 3, 16, 67]) {
    const mean = rng.floats(channels, -1, 1);
    const variance = rng.floats(channels, 0.1, 3);
    const gamma = rng.floats(channels, -2, 2);
    const beta = rng.floats(channels, -1, 1);
    const slope = rng.floats(channels, -0.5, 0.5);
    const bn = new BatchNorm({ epsilon: 1e-3 }, mean, variance, gamma, beta);
    const pr = new PRelu(slope);
    try {
      for (const shape of [[1, channels], [2, 3, 5, channels]]) {
        const input = rng.floats(shape.reduce((a, b) => a * b, 1), -5, 5);
        expectClose(bn.run(input, shape), norm.batchNorm(input, mean, variance, gamma, beta, 1e-3),
                    `BatchNorm [${shape}]`);
        expectClose(pr.run(input, shape), norm.prelu(input, slope), `PRelu [${shape}]`);
        const inPlace = input.slice();
        pr.run(inPlace, shape, inPlace);
        expectClose(inPlace, norm.prelu(input, slope), `PRelu in place [${shape}]`);
      }
    } finally {
      bn.dispose();
      pr.dispose();
    }
  }
}

function testSoftmaxAxis(seed) {
  const rng = new Random(seed);
  for (let iter = 0; iter < 30; iter++) {
    const { shape, first: a, axis } = shapeAndAxis(rng, 60, 7);
    const logSoftmax = rng.chance(0.5);
    const op = new Softmax({ channels: shape[a], axis, logSoftmax });
    try {
      const input = rng.floats(shape.reduce((x, y) => x * y, 1), -20, 20);
      expectClose(op.run(input, shape), norm.softmaxAxis(shape, axis, input, logSoftmax),
                  `Softmax [${shape}] axis ${axis} log ${logSoftmax}`);
    } finally {
      op.dispose();
    }
  }
  // The last-axis form with logSoftmax, and C's reason for a wrong dim at the axis.
  const last = new Softmax({ channels: 5, logSoftmax: true });
  const axis0 = new Softmax({ channels: 5, axis: 0 });
  try {
    const input = rng.floats(15, -3, 3);
    expectClose(last.run(input, [3, 5]), norm.softmaxAxis([3, 5], -1, input, true), 'log-softmax rows');
    assert.throws(() => axis0.run(input, [3, 5]), (e) => e instanceof PortnnError
      && /shape\[0\] \(axis 0\) is 3; it must equal channels \(5\)/.test(e.message));
  } finally {
    last.dispose();
    axis0.dispose();
  }
}

function testReasons() {
  const r = new Reduce('sum', { axes: [1, -2] });
  try {
    assert.throws(() => r.outputShape([2, 3, 4]), (e) => e instanceof PortnnError
      && /pnn_reshape_reduce_nd_f32 for input shape \[2, 3, 4\] failed: invalid parameter \(axes\[1\] = -2 names dim 1 again/.test(e.message));
    assert.deepEqual(r.outputShape([2, 3]), []);
  } finally {
    r.dispose();
  }
  assert.throws(() => new Reduce('sum', { axes: [6] }), (e) => e instanceof PortnnError
    && /axes\[0\] is 6/.test(e.message));
  assert.throws(() => new Reduce('median'), TypeError);
  assert.throws(() => new LayerNorm({ epsilon: -1 }, [1, 2]), (e) => e instanceof PortnnError
    && /epsilon is -1/.test(e.message));
  const ln = new LayerNorm({ axis: 0 }, [1, 1, 1]);
  try {
    assert.throws(() => ln.run(new Float32Array(6), [2, 3]), (e) => e instanceof PortnnError
      && /holds 6 elements; it must equal norm_size \(3\)/.test(e.message));
  } finally {
    ln.dispose();
  }
  assert.throws(() => new PRelu([]), (e) => e instanceof PortnnError && /channels is 0/.test(e.message));
  assert.throws(() => new BatchNorm({}, [1], [1, 2], [1], [1]), /variance has 2 elements, expected 1/);
}

for (const [variant, threads] of [['scalar', 1], ['simd', 1], ['simd-threads', 2]]) {
  describe(`reductions and normalizations on the ${variant} build with ${threads} thread(s)`, () => {
    before(async () => { await init({ variant, threads }); });
    after(() => terminate());
    it('Reduce: sum, mean, max, min over random axes, keepDims, rank 0 to 5', () => testReduce(11));
    it('LayerNorm over random shapes and axes', () => testRowNorm(12, false));
    it('RmsNorm over random shapes and axes', () => testRowNorm(13, true));
    it('BatchNorm and PRelu (in place too)', () => testChannels(14));
    it('Softmax and log-softmax over any axis', () => testSoftmaxAxis(15));
    it("reports the C library's reasons", () => testReasons());
  });
}
