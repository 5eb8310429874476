// MaxPooling2D with argmax: true (C's argmax pooling) on every variant: values and indices
// (iy * W + ix of the first maximum in row-major window order, per image and channel) against a
// naive reference over randomized shapes, paddings, strides and dilations, with inputs on a
// coarse grid so that windows hold equal maxima; the caller's output arrays; the errors.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { MaxPooling2D, init, terminate } from '../index.js';
import { Random } from './helpers/random.mjs';

// The reference: for each output element the first valid tap holding the maximum.
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

function testErrors() {
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

for (const [variant, threads] of [['scalar', 1], ['simd', 1], ['simd-threads', 2]]) {
  describe(`argmax pooling on the ${variant} build with ${threads} thread(s)`, () => {
    before(async () => {
      const i = await init({ variant, threads });
      assert.equal(i.variant, variant);
      assert.equal(i.threads, threads);
    });
    after(() => terminate());
    it('values and first-maximum indices against the reference', () => testArgmax(1501));
    it('errors', () => testErrors());
  });
}
