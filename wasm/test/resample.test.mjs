// The resampling operators (op-resample.js: Deconvolution2D) on every variant (scalar, simd,
// simd with two threads) against the double references of helpers/resample-reference.mjs, over
// randomized shapes with fixed seeds; and C's reasons for what it rejects.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { Deconvolution2D, PortnnError, Resize2D, init, terminate } from '../index.js';
import { Random } from './helpers/random.mjs';
import { MAX_REDUCTION, firstMismatch } from './helpers/reference.mjs';
import { deconvolution2d, resize2d } from './helpers/resample-reference.mjs';

function testDeconvolution(seed) {
  const rng = new Random(seed);
  let cases = 0;
  while (cases < 20) {
    const upsample = rng.chance(0.3);
    const k = [rng.int(1, 4), rng.int(1, 4)];
    const p = {
      kh: k[0], kw: k[1], sh: upsample ? k[0] : rng.int(1, 3), sw: upsample ? k[1] : rng.int(1, 3),
      dh: !upsample && rng.chance(0.25) ? 2 : 1, dw: !upsample && rng.chance(0.25) ? 2 : 1,
      pt: 0, pr: 0, pb: 0, pl: 0, ah: 0, aw: 0,
      groups: rng.int(1, 3), gic: rng.int(1, 8), goc: rng.int(1, 12),
    };
    if (!upsample) {
      p.pt = rng.int(0, 2); p.pr = rng.int(0, 2); p.pb = rng.int(0, 2); p.pl = rng.int(0, 2);
      p.ah = rng.int(0, Math.max(p.sh, p.dh) - 1);
      p.aw = rng.int(0, Math.max(p.sw, p.dw) - 1);
    }
    assert.ok(p.kh * p.kw * p.gic < MAX_REDUCTION);
    const [min, max] = rng.chance(0.3) ? [-0.5, 0.5] : [-Infinity, Infinity];
    const [cin, cout] = [p.groups * p.gic, p.groups * p.goc];
    const kernel = rng.floats(cout * p.kh * p.kw * p.gic);
    const bias = rng.chance(0.7) ? rng.floats(cout) : null;
    const op = new Deconvolution2D({
      kernelHeight: p.kh, kernelWidth: p.kw, strideHeight: p.sh, strideWidth: p.sw,
      dilationHeight: p.dh, dilationWidth: p.dw, paddingTop: p.pt, paddingRight: p.pr,
      paddingBottom: p.pb, paddingLeft: p.pl, adjustmentHeight: p.ah, adjustmentWidth: p.aw,
      groups: p.groups, groupInputChannels: p.gic, groupOutputChannels: p.goc,
      outputMin: min, outputMax: max,
    }, kernel, bias);
    try {
      for (let s = 0; s < 3; s++) {  // create once, run many shapes
        const shape = [rng.int(1, 2), rng.int(1, 7), rng.int(1, 7), cin];
        const [n, h, w] = shape;
        const input = rng.floats(n * h * w * cin);
        const expected = deconvolution2d(p, n, h, w, input, kernel, bias, min, max);
        const what = `deconvolution ${JSON.stringify(p)} input ${shape}`;
        if (expected === null) {
          assert.throws(() => op.run(input, shape), (e) => e instanceof PortnnError &&
            /pnn_reshape_deconvolution2d_nhwc_f32 failed: invalid parameter \(.*empty output/.test(e.message));
          continue;
        }
        assert.deepEqual(op.outputShape(shape), expected.shape, `${what}: output shape`);
        const bad = firstMismatch(op.run(input, shape), expected.value, expected.tolerance);
        assert.equal(bad, null, `${what}: ${bad}`);
        cases++;
      }
    } finally {
      op.dispose();
    }
  }
}

function testDeconvolutionErrors() {
  const params = { kernelHeight: 3, kernelWidth: 3, strideHeight: 2, strideWidth: 2,
                   groupInputChannels: 2, groupOutputChannels: 4 };
  const kernel = new Float32Array(4 * 9 * 2);
  assert.throws(() => new Deconvolution2D(params, new Float32Array(5)), /kernel has 5 elements, expected 72/);
  assert.throws(() => new Deconvolution2D({ ...params, adjustmentHeight: -1 }, kernel), RangeError);
  // C's reason: an adjustment not below the stride or the dilation.
  assert.throws(() => new Deconvolution2D({ ...params, adjustmentWidth: 2 }, kernel),
    (e) => e instanceof PortnnError && e.status === 'invalid parameter' &&
      /adjustment_width is 2; it must be smaller than stride_width \(2\) or dilation_width \(1\)/.test(e.message));
  const op = new Deconvolution2D(params, kernel);
  try {
    assert.deepEqual(op.outputShape([1, 4, 5, 2]), [1, 9, 11, 4]);
    assert.throws(() => op.run(new Float32Array(40), [1, 4, 5, 3]), /3 channels, expected 2/);
    assert.throws(() => op.run(new Float32Array(40), [0, 4, 5, 2]), /integers >= 1/);
    const y = op.run(new Float32Array(40).fill(1), [1, 4, 5, 2]);
    assert.equal(y.length, 9 * 11 * 4);
  } finally {
    op.dispose();
  }
}

function testResize(seed) {
  const rng = new Random(seed);
  for (const mode of ['nearest', 'bilinear']) {
    for (const coordinateTransformationMode of
      ['half_pixel', 'pytorch_half_pixel', 'align_corners', 'asymmetric']) {
      for (const nearestMode of ['round_prefer_floor', 'round_prefer_ceil', 'floor', 'ceil']) {
        if (mode === 'bilinear' && nearestMode !== 'round_prefer_floor') continue;
        const p = { channels: rng.int(1, 20), mode, coordinateTransformationMode, nearestMode };
        const op = new Resize2D(p);
        try {
          for (let s = 0; s < 3; s++) {  // create once, run many shapes
            const shape = [rng.int(1, 2), rng.int(1, 8), rng.int(1, 8), p.channels];
            const size = s === 0 ? [2 * shape[1], 2 * shape[2]] : [rng.int(1, 15), rng.int(1, 15)];
            const input = rng.floats(shape.reduce((a, b) => a * b));
            const expected = resize2d(p, shape, size, input);
            const what = `resize ${JSON.stringify(p)} input ${shape} to ${size}`;
            assert.deepEqual(op.outputShape(shape, size), expected.shape, what);
            const bad = firstMismatch(op.run(input, shape, size), expected.value, expected.tolerance);
            assert.equal(bad, null, `${what}: ${bad}`);
          }
        } finally {
          op.dispose();
        }
      }
    }
  }
  assert.throws(() => new Resize2D({ channels: 2, mode: 'cubic' }), /mode must be one of 'nearest', 'bilinear'/);
  assert.throws(() => new Resize2D({ channels: 0 }),
    (e) => e instanceof PortnnError && /channels is 0/.test(e.message));
  const op = new Resize2D({ channels: 2, mode: 'bilinear' });
  try {
    assert.throws(() => op.run(new Float32Array(8), [1, 2, 2, 2], [4]), /output size \[4\] must have 2 dimensions/);
    assert.throws(() => op.run(new Float32Array(8), [1, 2, 2, 2], [0, 3]), /integers >= 1/);
  } finally {
    op.dispose();
  }
}

for (const [variant, threads] of [['scalar', 1], ['simd', 1], ['simd-threads', 2]]) {
  describe(`resampling operators on the ${variant} build with ${threads} thread(s)`, () => {
    before(async () => {
      const i = await init({ variant, threads });
      assert.equal(i.variant, variant);
      assert.equal(i.threads, threads);
    });
    after(() => terminate());
    it('Deconvolution2D (upsampling and general: padding, adjustment, dilation, groups, clamp)',
       () => testDeconvolution(1201));
    it('Deconvolution2D errors carry the reason', () => testDeconvolutionErrors());
    it('Resize2D (nearest and bilinear, every coordinate and nearest mode)', () => testResize(1301));
  });
}
