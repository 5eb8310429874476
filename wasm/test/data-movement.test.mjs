// The data-movement operators (Transpose, Pad, Slice, Concatenate, Split, DepthToSpace,
// SpaceToDepth) on every variant (scalar, simd, simd with 2 threads): randomized shapes with
// fixed seeds against helpers/data-reference.mjs, bit for bit (inputs are random bit patterns,
// NaN payloads included), each operator created once and run on several shapes; and C's reasons
// for what it rejects.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import {
  Concatenate, DepthToSpace, Pad, PortnnError, Slice, SpaceToDepth, Split, Transpose, init,
  terminate,
} from '../index.js';
import * as ref from './helpers/data-reference.mjs';
import { Random } from './helpers/random.mjs';

function bits(rng, n) {
  const u = new Uint32Array(n);
  for (let i = 0; i < n; i++) u[i] = rng.next();
  return new Float32Array(u.buffer);
}

const u32 = (f) => new Uint32Array(f.buffer, f.byteOffset, f.length);

function expectBits(actual, expected, what) {
  const got = u32(actual);
  assert.equal(got.length, expected.length, `${what}: length`);
  for (let i = 0; i < got.length; i++) {
    if (got[i] !== expected[i]) assert.fail(`${what}: element ${i} is 0x${got[i].toString(16)}, expected 0x${expected[i].toString(16)}`);
  }
}

function randomShape(rng, maxDim) {
  return Array.from({ length: rng.int(1, 6) }, () => (rng.chance(0.25) ? 1 : rng.int(1, maxDim)));
}

function shuffled(rng, n) {
  const p = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [p[i], p[j]] = [p[j], p[i]];
  }
  return p;
}

function testTranspose(rng) {
  for (let t = 0; t < 40; t++) {
    const shape = randomShape(rng, 7);
    const perm = shuffled(rng, shape.length);
    const op = new Transpose({ perm });
    try {
      for (let s = 0; s < 2; s++) {
        const sh = s === 0 ? shape : shape.map((d) => d + 1);
        const x = bits(rng, ref.count(sh));
        const what = `transpose ${sh} by ${perm}`;
        assert.deepEqual(op.outputShape(sh), perm.map((p) => sh[p]), what);
        expectBits(op.run(x, sh), ref.transpose(sh, perm, u32(x)), what);
      }
    } finally {
      op.dispose();
    }
  }
}

function testPad(rng) {
  for (let t = 0; t < 45; t++) {
    const mode = ['constant', 'reflect', 'edge'][t % 3];
    const shape = randomShape(rng, 6);
    const limit = (d) => (mode === 'reflect' ? d - 1 : 3);
    const pre = shape.map((d) => (rng.chance(0.3) ? 0 : rng.int(0, limit(d))));
    const post = shape.map((d) => (rng.chance(0.3) ? 0 : rng.int(0, limit(d))));
    const value = rng.pick([0, -1.5, NaN, -0]);
    const op = new Pad({ mode, pre, post, value });
    try {
      const x = bits(rng, ref.count(shape));
      const what = `pad ${mode} ${shape} pre ${pre} post ${post}`;
      const fill = u32(new Float32Array([value]))[0];
      expectBits(op.run(x, shape), ref.pad(shape, pre, post, mode, fill, u32(x)), what);
    } finally {
      op.dispose();
    }
  }
}

function testSlice(rng) {
  let done = 0;
  while (done < 40) {
    const shape = randomShape(rng, 8);
    const begins = shape.map((n) => rng.pick([0, rng.int(0, n - 1), -rng.int(1, n + 2), -Infinity]));
    const ends = shape.map((n) => rng.pick([n, Infinity, rng.int(1, n + 2), -rng.int(0, n - 1)]));
    const steps = shape.map(() => (rng.chance(0.3) ? rng.int(1, 4) : 1));
    const x = bits(rng, ref.count(shape));
    const expected = ref.slice(shape, begins, ends, steps, u32(x));
    if (expected.shape.some((d) => d === 0)) continue;  // no empty tensors (rejected by C)
    const op = new Slice({ begins, ends, steps });
    try {
      const what = `slice ${shape} [${begins}:${ends}:${steps}]`;
      assert.deepEqual(op.outputShape(shape), expected.shape, what);
      expectBits(op.run(x, shape), expected.value, what);
    } finally {
      op.dispose();
    }
    done++;
  }
}

function testConcatenateAndSplit(rng) {
  for (let t = 0; t < 30; t++) {
    const base = randomShape(rng, 5);
    const axis = rng.int(0, base.length - 1);
    const sizes = Array.from({ length: rng.int(2, 5) }, () => rng.int(1, 4));
    const shapes = sizes.map((s) => base.map((d, i) => (i === axis ? s : d)));
    const inputs = shapes.map((s) => bits(rng, ref.count(s)));
    const concat = new Concatenate({ count: sizes.length, axis });
    const split = new Split({ axis, sizes });
    try {
      const what = `concatenate ${shapes.map((s) => `[${s}]`).join(' ')} on axis ${axis}`;
      const expected = ref.concatenate(shapes, axis, inputs.map(u32));
      assert.deepEqual(concat.outputShape(shapes), expected.shape, what);
      const whole = concat.run(inputs, shapes);
      expectBits(whole, expected.value, what);
      const parts = split.run(whole, expected.shape);
      assert.equal(parts.length, sizes.length);
      parts.forEach((p, k) => expectBits(p, u32(inputs[k]), `split back, part ${k}`));
      const outs = shapes.map((s) => new Float32Array(ref.count(s)));
      assert.equal(split.run(whole, expected.shape, outs)[0], outs[0]);
    } finally {
      concat.dispose();
      split.dispose();
    }
  }
}

function testBlocks(rng) {
  for (let t = 0; t < 24; t++) {
    const b = rng.int(1, 3);
    const mode = t % 2 ? 'CRD' : 'DCR';
    const d2s = new DepthToSpace({ blockSize: b, mode });
    const s2d = new SpaceToDepth({ blockSize: b });
    try {
      const shape = [rng.int(1, 2), rng.int(1, 5), rng.int(1, 5), b * b * rng.int(1, 6)];
      const x = bits(rng, ref.count(shape));
      const what = `depth-to-space ${mode} ${shape} block ${b}`;
      const out = d2s.outputShape(shape);
      assert.deepEqual(out, [shape[0], shape[1] * b, shape[2] * b, shape[3] / (b * b)], what);
      const y = d2s.run(x, shape);
      expectBits(y, ref.depthToSpace(shape, b, mode, u32(x)), what);
      expectBits(s2d.run(y, out), ref.spaceToDepth(out, b, u32(y)), `space-to-depth ${out}`);
      if (mode === 'DCR') expectBits(s2d.run(y, out), u32(x), 'space-to-depth inverts DCR');
    } finally {
      d2s.dispose();
      s2d.dispose();
    }
  }
}

function testErrors() {
  const reasons = [
    [() => new Transpose({ perm: [0, 0] }).run(new Float32Array(4), [2, 2]), /perm\[1\] = 0 repeats/],
    [() => new Pad({ mode: 'reflect', pre: [2], post: [0] }).run(new Float32Array(2), [2]), /reflect mode/],
    [() => new Slice({ begins: [3], ends: [1] }).run(new Float32Array(4), [4]), /select no element/],
    [() => new Split({ axis: 0, sizes: [1, 1] }).run(new Float32Array(3), [3]), /sum to 2 but shape\[axis\] is 3/],
    [() => new Concatenate({ count: 2, axis: 1 }).run([new Float32Array(2), new Float32Array(3)], [[2, 1], [3, 1]]), /inputs must agree/],
    [() => new DepthToSpace({ blockSize: 2 }).run(new Float32Array(6), [1, 1, 1, 6]), /multiple of block_size\^2/],
    [() => new SpaceToDepth({ blockSize: 0 }), /block_size is 0/],
  ];
  for (const [call, reason] of reasons) {
    assert.throws(call, (e) => e instanceof PortnnError && reason.test(e.message), String(reason));
  }
  assert.throws(() => new Transpose({ perm: [1, 0] }).run(new Float32Array(6), [6]), /perm has 2 entries/);
  assert.throws(() => new Pad({ mode: 'wrap', pre: [0], post: [0] }), TypeError);
  assert.throws(() => new Slice({ begins: [0.5], ends: [1] }), RangeError);
}

for (const [variant, threads] of [['scalar', 1], ['simd', 1], ['simd-threads', 2]]) {
  describe(`data movement on the ${variant} build with ${threads} thread(s)`, () => {
    before(async () => {
      const i = await init({ variant, threads });
      assert.equal(i.variant, variant);
    });
    after(() => terminate());
    it('Transpose: random shapes and permutations', () => testTranspose(new Random(11)));
    it('Pad: constant, reflect, edge', () => testPad(new Random(12)));
    it('Slice: ONNX bounds, negative and infinite, steps', () => testSlice(new Random(13)));
    it('Concatenate and Split, round trip', () => testConcatenateAndSplit(new Random(14)));
    it('DepthToSpace and SpaceToDepth', () => testBlocks(new Random(15)));
    it("rejects what C rejects, with C's reason", () => testErrors());
  });
}
