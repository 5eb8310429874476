// Graph nodes of the data-movement, reduction, normalization, prelu, softmax-axis, copy,
// deconvolution and resize operators on every variant: each node gives the bits of the same
// operator class run by hand, with the shapes C infers, also after a reshape; a split's outputs
// each come out once; a batch norm after a convolution is folded (within the bound of
// include/portnn-graph.h) unless noFusion, which gives the operators' bits; errors carry C's
// reason naming the node; module memory returns to its baseline on dispose.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import {
  BatchNorm, Concatenate, Convolution2D, Deconvolution2D, DepthToSpace, Graph, LayerNorm, PRelu,
  Pad, PortnnError, Reduce, Resize2D, RmsNorm, Slice, Softmax, SpaceToDepth, Split, Transpose,
  Unary, init, terminate,
} from '../index.js';
import { requireRuntime } from '../src/runtime.js';
import { settle } from './helpers/heap.mjs';
import { Random } from './helpers/random.mjs';

// Same bits (NaN payloads and signed zeros included).
function assertSameBits(actual, expected, what) {
  assert.equal(actual.length, expected.length, `${what}: length`);
  const a = new Uint32Array(actual.buffer, actual.byteOffset, actual.length);
  const b = new Uint32Array(expected.buffer, expected.byteOffset, expected.length);
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) assert.fail(`${what}: element ${i} is ${actual[i]}, by hand ${expected[i]}`);
  }
}

// Runs `op.run(...args)` and disposes the operator.
function byHand(op, ...args) {
  try {
    return op.run(...args);
  } finally {
    op.dispose();
  }
}

const count = (shape) => shape.reduce((a, b) => a * b, 1);

for (const [variant, threads] of [['scalar', 1], ['simd', 1], ['simd-threads', 2]]) {
  describe(`Graph nodes of every operator on ${variant} (${threads} thread(s))`, () => {
    before(async () => { await init({ variant, threads }); });
    after(() => terminate());

    it('runs data movement (transpose, depth/space, pad, slice, concatenate, split, copy) as the operators do, before and after a reshape', async () => {
      await settle();
      const heapBefore = requireRuntime('test').heapInUse();
      const g = new Graph();
      const x = g.input([2, 4, 4, 8]);
      const outs = {
        t: g.output(), d2s: g.output(), s2d: g.output(), pad: g.output(), slice: g.output(),
        part0: g.output(), part2: g.output(), copy: g.output(),
      };
      const cat = g.value(); const part1 = g.value();
      const pad = { mode: 'reflect', pre: [0, 1, 1, 0], post: [0, 0, 2, 3] };
      const slice = { begins: [0, -3, 1, -Infinity], ends: [Infinity, 100, -1, 7], steps: [1, 2, 1, 3] };
      g.transpose({ perm: [0, 3, 1, 2] }, x, outs.t);
      g.depthToSpace({ blockSize: 2, mode: 'CRD' }, x, outs.d2s);
      g.spaceToDepth({ blockSize: 2 }, x, outs.s2d);
      g.pad(pad, x, outs.pad);
      g.slice(slice, x, outs.slice);
      g.concatenate({ axis: -1 }, [x, x], cat);
      g.split({ axis: 3, sizes: [4, 8, 4] }, cat, [outs.part0, part1, outs.part2]);
      g.copy(part1, outs.copy);
      const rt = g.createRuntime();
      g.dispose();
      try {
        assert.deepEqual(rt.shape(cat), [2, 4, 4, 16]);
        assert.deepEqual(rt.shape(outs.t), [2, 8, 4, 4]);
        for (const shape of [[2, 4, 4, 8], [1, 2, 6, 8]]) {
          if (shape[0] === 1) rt.reshape({ [x]: shape });
          const input = new Random(shape[1]).floats(count(shape), -1, 1);
          const got = rt.run({ [x]: input });
          assertSameBits(got[outs.t], byHand(new Transpose({ perm: [0, 3, 1, 2] }), input, shape), 'transpose');
          assertSameBits(got[outs.d2s], byHand(new DepthToSpace({ blockSize: 2, mode: 'CRD' }), input, shape), 'depthToSpace');
          assertSameBits(got[outs.s2d], byHand(new SpaceToDepth({ blockSize: 2 }), input, shape), 'spaceToDepth');
          assertSameBits(got[outs.pad], byHand(new Pad(pad), input, shape), 'pad');
          assertSameBits(got[outs.slice], byHand(new Slice(slice), input, shape), 'slice');
          const catShape = [...shape.slice(0, 3), 16];
          const joined = byHand(new Concatenate({ count: 2, axis: 3 }), [input, input], [shape, shape]);
          const parts = byHand(new Split({ axis: 3, sizes: [4, 8, 4] }), joined, catShape);
          assertSameBits(got[outs.part0], parts[0], 'split part 0');
          assertSameBits(got[outs.copy], parts[1], 'split part 1 (copied)');
          assertSameBits(got[outs.part2], parts[2], 'split part 2');
          assert.deepEqual(rt.shape(outs.part2), [...shape.slice(0, 3), 4]);
        }
        const kinds = rt.profile().map((n) => n.operator);
        assert.deepEqual(kinds, ['transpose', 'depth_to_space', 'space_to_depth', 'pad', 'slice',
                                 'concatenate', 'split', 'copy']);
      } finally {
        rt.dispose();
      }
      await settle();
      assert.equal(requireRuntime('test').heapInUse(), heapBefore);
    });

    it('runs reduce, layer / RMS / batch norm, prelu and softmax over any axis as the operators do', () => {
      const rng = new Random(7);
      const C = 6;
      const gamma = rng.floats(4 * C, -1, 1); const beta = rng.floats(4 * C, -1, 1);
      const g2 = rng.floats(C, -1, 1); const slope = rng.floats(C, -1, 1);
      const mean = rng.floats(C, -1, 1); const variance = rng.floats(C, 0.1, 2);
      const bg = rng.floats(C, -1, 1); const bb = rng.floats(C, -1, 1);
      const g = new Graph();
      const x = g.input([3, 4, C]);
      const y = {
        reduce: g.output(), ln: g.output(), chain: g.output(), soft: g.output(), logsoft: g.output(),
      };
      const a = g.value(); const b = g.value();
      g.reduce('mean', { axes: [1, -1], keepDims: true }, x, y.reduce);
      g.layerNorm({ axis: -2, epsilon: 1e-4 }, g.constant(gamma, [4, C]), g.constant(beta, [4 * C]), x, y.ln);
      g.batchNorm({ epsilon: 1e-3 }, g.constant(mean, [C]), g.constant(variance, [C]), g.constant(bg, [C]),
                  g.constant(bb, [C]), x, a);
      g.prelu(g.constant(slope, [1, C]), a, b);
      g.rmsNorm(undefined, g.constant(g2, [C]), b, y.chain);
      g.softmax(x, y.soft, { axis: 1 });
      g.softmax(x, y.logsoft, { logSoftmax: true });
      const rt = g.createRuntime();
      g.dispose();
      try {
        for (const shape of [[3, 4, C], [5, 4, C]]) {
          if (shape[0] === 5) rt.reshape({ [x]: shape });
          const input = new Random(shape[0]).floats(count(shape), -3, 3);
          const got = rt.run({ [x]: input });
          assert.deepEqual(rt.shape(y.reduce), [shape[0], 1, 1]);
          assertSameBits(got[y.reduce], byHand(new Reduce('mean', { axes: [1, -1], keepDims: true }), input, shape), 'reduce');
          assertSameBits(got[y.ln], byHand(new LayerNorm({ axis: -2, epsilon: 1e-4 }, gamma, beta), input, shape), 'layerNorm');
          const bn = byHand(new BatchNorm({ epsilon: 1e-3 }, mean, variance, bg, bb), input, shape);
          const pr = byHand(new PRelu(slope), bn, shape);
          assertSameBits(got[y.chain], byHand(new RmsNorm(undefined, g2), pr, shape), 'batchNorm -> prelu -> rmsNorm');
          assertSameBits(got[y.soft], byHand(new Softmax({ channels: 4, axis: 1 }), input, shape), 'softmax axis 1');
          assertSameBits(got[y.logsoft], byHand(new Softmax({ channels: C, logSoftmax: true }), input, shape), 'log-softmax');
        }
      } finally {
        rt.dispose();
      }
    });

    it('runs deconvolution and resize (fixed size and scales) as the operators do', () => {
      const rng = new Random(11);
      const dp = { kernelHeight: 3, kernelWidth: 3, strideHeight: 2, strideWidth: 2, paddingTop: 1,
                   paddingLeft: 1, paddingBottom: 1, paddingRight: 1, adjustmentHeight: 1,
                   adjustmentWidth: 1, groupInputChannels: 3, groupOutputChannels: 4 };
      const w = rng.floats(4 * 9 * 3, -1, 1); const bias = rng.floats(4, -1, 1);
      const g = new Graph();
      const x = g.input([1, 3, 5, 3]);
      const d = g.output(); const r1 = g.output(); const r2 = g.output();
      g.deconvolution2D(dp, x, g.constant(w, [4, 3, 3, 3]), g.constant(bias, [4]), d);
      const rp = { channels: 3, mode: 'bilinear', coordinateTransformationMode: 'align_corners' };
      g.resize2D({ ...rp, outputSize: [7, 4] }, x, r1);
      g.resize2D({ ...rp, scales: [2.5, 0.5] }, x, r2);
      const rt = g.createRuntime();
      g.dispose();
      try {
        const input = rng.floats(45, -1, 1);
        const got = rt.run({ [x]: input });
        assert.deepEqual(rt.shape(d), [1, 6, 10, 4]);
        assert.deepEqual(rt.shape(r2), [1, 7, 2, 3]);
        assertSameBits(got[d], byHand(new Deconvolution2D(dp, w, bias), input, [1, 3, 5, 3]), 'deconvolution');
        assertSameBits(got[r1], byHand(new Resize2D(rp), input, [1, 3, 5, 3], [7, 4]), 'resize to a size');
        assertSameBits(got[r2], byHand(new Resize2D(rp), input, [1, 3, 5, 3], [7, 2]), 'resize by scales');
      } finally {
        rt.dispose();
      }
    });

    it('folds a batch norm (and a relu6 after it) into the convolution, within the bound; noFusion gives the operators\' bits', () => {
      const rng = new Random(21);
      const [cin, m] = [3, 8];
      const cp = { kernelHeight: 3, kernelWidth: 3, paddingTop: 1, paddingBottom: 1, paddingLeft: 1,
                   paddingRight: 1, groupInputChannels: cin, groupOutputChannels: m };
      const w = rng.floats(m * 9 * cin, -1, 1); const bias = rng.floats(m, -1, 1);
      const mean = rng.floats(m, -1, 1); const variance = rng.floats(m, 0.05, 3);
      const gamma = rng.floats(m, -2, 2); const beta = rng.floats(m, -1, 1);
      const g = new Graph();
      const x = g.input([1, 5, 6, cin]);
      const c = g.value(); const n = g.value(); const y = g.output();
      g.convolution2D(cp, x, g.constant(w, [m, 3, 3, cin]), g.constant(bias, [m]), c);
      g.batchNorm({ epsilon: 1e-3 }, g.constant(mean, [m]), g.constant(variance, [m]), g.constant(gamma, [m]),
                  g.constant(beta, [m]), c, n);
      g.unary('relu6', undefined, n, y);
      const fused = g.createRuntime();
      const apart = g.createRuntime({ noFusion: true });
      g.dispose();
      try {
        assert.deepEqual(fused.profile().map((p) => p.fusedInto), [-1, 0, 0]);
        assert.deepEqual(apart.profile().map((p) => p.fusedInto), [-1, -1, -1]);
        const shape = [1, 5, 6, cin];
        const input = rng.floats(count(shape), -2, 2);
        const f = fused.run({ [x]: input })[y];
        const a = apart.run({ [x]: input })[y];
        const conv = byHand(new Convolution2D(cp, w, bias), input, shape);
        const bn = byHand(new BatchNorm({ epsilon: 1e-3 }, mean, variance, gamma, beta), conv, [30, m]);
        assertSameBits(a, byHand(new Unary('relu6'), bn), 'unfused');
        // The bound of include/portnn-graph.h, S from the convolution of absolute values.
        const abs = (v) => v.map(Math.abs);
        const sums = byHand(new Convolution2D(cp, abs(w), abs(bias)), abs(input), shape);
        const u = 2 ** -24; const k = 9 * cin + 1; const gk = (k * u) / (1 - k * u);
        let differ = 0;
        for (let i = 0; i < f.length; i++) {
          const ch = i % m;
          const s = gamma[ch] / Math.sqrt(variance[ch] + Math.fround(1e-3));
          const t = beta[ch] - mean[ch] * s;
          const bound = (2 * gk + 5 * u) * (Math.abs(s) * (sums[i] / (1 - gk)) + Math.abs(t));
          assert.ok(Math.abs(f[i] - a[i]) <= bound, `element ${i}: fused ${f[i]}, unfused ${a[i]}, bound ${bound}`);
          assert.ok(f[i] >= 0 && f[i] <= 6, `element ${i}: ${f[i]} outside relu6`);
          if (f[i] !== a[i]) differ++;
        }
        assert.ok(differ > 0, 'folding changed no bit: was the batch norm folded?');
      } finally {
        fused.dispose();
        apart.dispose();
      }
    });

    it('reports C\'s reasons naming the node, and JS type errors before any C call', async () => {
      await settle();
      const heapBefore = requireRuntime('test').heapInUse();
      const g = new Graph();
      const x = g.input([4, 6]);
      const p = [g.value(), g.value()];
      const split = g.split({ axis: 1, sizes: [2, 3] }, x, p);
      g.nameNode(split, 'halves');
      const y = g.output();
      g.concatenate({ axis: 1 }, p, y);
      assert.throws(() => g.createRuntime(), (e) => e instanceof PortnnError &&
        /pnn_create_runtime.*node "halves": pnn_reshape_split_nd_x32: split_sizes sum to 5/.test(e.message));
      assert.throws(() => g.transpose({ perm: [1, 1] }, x, g.output()),
                    /pnn_define_transpose.*perm must be a permutation/);
      assert.throws(() => g.concatenate({ axis: 0 }, [x], g.output()), /inputs has 1 entries; it must have 2 to 64/);
      assert.throws(() => g.split({ axis: 0, sizes: [1, 2, 1] }, x, p), /sizes has 3 entries but there are 2 outputs/);
      assert.throws(() => g.layerNorm(undefined, x, null, x, g.output()),
                    /pnn_define_layer_norm.*gamma_id 0 is not a static value/);
      assert.throws(() => g.softmax(x, y, { axis: 1.5 }), /axis must be an integer/);
      assert.throws(() => g.resize2D({ channels: 6 }, x, y), /give either outputSize/);
      g.dispose();
      await settle();
      assert.equal(requireRuntime('test').heapInUse(), heapBefore);
    });
  });
}
