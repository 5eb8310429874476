// Graph / GraphRuntime on every variant: a small residual CNN gives the same bits as the same
// operators run one by one (fused or not, after a reshape), errors carry C's reason naming the
// node, and module memory is returned on dispose.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import {
  Binary, Convolution2D, FullyConnected, GlobalAveragePooling, Graph, PortnnError, Softmax, init,
  terminate,
} from '../index.js';
import { requireRuntime } from '../src/runtime.js';
import { settle } from './helpers/heap.mjs';
import { Random } from './helpers/random.mjs';

const C = 3;
const M = 8;
const K = 5;

function weightsOf(seed) {
  const rng = new Random(seed);
  return {
    w1: rng.floats(M * 9 * C, -1, 1), b1: rng.floats(M, -1, 1),
    w2: rng.floats(M * 9, -1, 1), b2: rng.floats(M, -1, 1),
    w3: rng.floats(K * M, -1, 1), b3: rng.floats(K, -1, 1),
  };
}

// conv 3x3 (relu6 as its own node) -> depthwise 3x3 -> + skip -> GAP -> FC -> softmax.
function defineNet(g, w, h, wd) {
  const x = g.input([1, h, wd, C]);
  const c1 = g.value(); const r1 = g.value(); const c2 = g.value(); const sum = g.value();
  const gap = g.value(); const logits = g.value(); const y = g.output();
  const conv = { kernelHeight: 3, kernelWidth: 3, paddingTop: 1, paddingBottom: 1, paddingLeft: 1, paddingRight: 1 };
  g.convolution2D({ ...conv, groupInputChannels: C, groupOutputChannels: M }, x,
                  g.constant(w.w1, [M, 3, 3, C]), g.constant(w.b1, [M]), c1);
  const relu = g.unary('relu6', undefined, c1, r1);
  g.nameNode(relu, 'relu6');
  g.convolution2D({ ...conv, groups: M, groupInputChannels: 1, groupOutputChannels: 1 }, r1,
                  g.constant(w.w2, [M, 3, 3, 1]), g.constant(w.b2, [M]), c2);
  g.binary('add', undefined, c2, r1, sum);
  g.globalAveragePooling(undefined, sum, gap);
  g.fullyConnected(undefined, gap, g.constant(w.w3, [K, M]), g.constant(w.b3, [K]), logits);
  g.softmax(logits, y);
  return { x, y };
}

function byHand(w, input, h, wd) {
  const conv = { kernelHeight: 3, kernelWidth: 3, paddingTop: 1, paddingBottom: 1, paddingLeft: 1, paddingRight: 1 };
  const ops = [
    new Convolution2D({ ...conv, groupInputChannels: C, groupOutputChannels: M, outputMin: 0, outputMax: 6 }, w.w1, w.b1),
    new Convolution2D({ ...conv, groups: M, groupInputChannels: 1, groupOutputChannels: 1 }, w.w2, w.b2),
    new Binary('add'), new GlobalAveragePooling({ channels: M }), new FullyConnected({ inputChannels: M, outputChannels: K }, w.w3, w.b3),
    new Softmax({ channels: K }),
  ];
  try {
    const shape = [1, h, wd, M];
    const r1 = ops[0].run(input, [1, h, wd, C]);
    const c2 = ops[1].run(r1, shape);
    const sum = ops[2].run(c2, shape, r1, shape);
    const gap = ops[3].run(sum, shape);
    return ops[5].run(ops[4].run(gap, [1, M]), [1, K]);
  } finally {
    for (const op of ops) op.dispose();
  }
}

for (const [variant, threads] of [['scalar', 1], ['simd', 1], ['simd-threads', 2]]) {
  describe(`Graph on ${variant} (${threads} thread(s))`, () => {
    before(async () => { await init({ variant, threads }); });
    after(() => terminate());

    it('runs a residual CNN bit-identically to the operators by hand, fused or not, and after a reshape', async () => {
      const w = weightsOf(1);
      await settle();
      const heapBefore = requireRuntime('test').heapInUse();
      const g = new Graph();
      const { x, y } = defineNet(g, w, 9, 7);
      for (const noFusion of [false, true]) {
        const rt = g.createRuntime({ noFusion, profile: true });
        try {
          assert.deepEqual(rt.shape(y), [1, K]);
          const input = new Random(2).floats(9 * 7 * C, -1, 1);
          const out = rt.run({ [x]: input })[y];
          assert.deepEqual(Array.from(out), Array.from(byHand(w, input, 9, 7)));
          const relu = rt.profile()[1];
          assert.equal(relu.name, 'relu6');
          assert.equal(relu.fusedInto, noFusion ? -1 : 0);
          assert.ok(rt.memory().packedWeightBytes >= (w.w1.length + w.w3.length) * 4);
          rt.reshape({ [x]: [1, 12, 10, C] });
          const big = new Random(3).floats(12 * 10 * C, -1, 1);
          const into = new Float32Array(K);
          assert.equal(rt.run({ [x]: big }, { [y]: into })[y], into);
          assert.deepEqual(Array.from(into), Array.from(byHand(w, big, 12, 10)));
        } finally {
          rt.dispose();
        }
      }
      g.dispose();
      await settle();
      assert.equal(requireRuntime('test').heapInUse(), heapBefore);
    });

    it('reports C\'s reasons: cycles, shapes, missing inputs, disposed objects', () => {
      const g = new Graph();
      const a = g.value(); const b = g.value(); const y = g.output();
      g.unary('abs', undefined, a, b);
      g.unary('abs', undefined, b, a);
      g.unary('abs', undefined, b, y);
      assert.throws(() => g.createRuntime(), (e) => e instanceof PortnnError &&
        /pnn_create_runtime failed: invalid parameter \(node 0 \(unary\) is on a cycle/.test(e.message));
      g.dispose();
      assert.throws(() => g.value(), /Graph\.value: the Graph was disposed/);

      const g2 = new Graph();
      const x = g2.input([1, 4, 4, 2]);
      const out = g2.output();
      g2.convolution2D({ kernelHeight: 1, kernelWidth: 1, groupInputChannels: 3, groupOutputChannels: 2 }, x,
                       g2.constant(new Float32Array(6), [2, 1, 1, 3]), null, out);
      assert.throws(() => g2.createRuntime(), /node 0 \(convolution2d\): input value 0 has shape \[1x4x4x2\]; the node takes 3 channels/);
      assert.throws(() => g2.constant(new Float32Array(5), [2, 3]), /data has 5 elements, expected 6/);
      g2.dispose();

      const g3 = new Graph();
      const i3 = g3.input([2, 3]);
      const o3 = g3.output();
      g3.softmax(i3, o3);
      const rt = g3.createRuntime();
      g3.dispose();
      assert.throws(() => rt.run({}), /no data for external input 0/);
      assert.throws(() => rt.run({ [i3]: new Float32Array(5) }), /has 5 elements but its shape \[2, 3\] needs 6/);
      for (const v of rt.run({ [i3]: new Float32Array([0, 0, 0, 1, 1, 1]) })[o3]) {
        assert.ok(Math.abs(v - 1 / 3) < 1e-6, `softmax of equal values: ${v}`);
      }
      rt.dispose();
      assert.throws(() => rt.run({}), /GraphRuntime\.run: the GraphRuntime was disposed/);
    });
  });
}
