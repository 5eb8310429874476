// The threaded build's pool (src/threadpool-web.cc): results do not depend on the thread count.
// Workloads large enough to be split into many tiles run on 2 threads, on 1 thread of the same
// build, and on the (unthreaded) SIMD build; all three must agree bit for bit.

import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';

import {
  AveragePooling2D, BatchMatMul, Binary, Convolution2D, FullyConnected, GlobalAveragePooling,
  MaxPooling2D, Softmax, Unary, info, init, terminate,
} from '../index.js';
import { Random } from './helpers/random.mjs';

// Runs every workload on the live runtime; returns { name: Float32Array }.
function workloads() {
  const rng = new Random(4242);
  const out = {};
  const use = (name, op, fn) => {
    try {
      out[name] = fn(op);
    } finally {
      op.dispose();
    }
  };
  use('convolution', new Convolution2D({ kernelHeight: 3, kernelWidth: 3, paddingTop: 1,
                                         paddingRight: 1, paddingBottom: 1, paddingLeft: 1,
                                         groupInputChannels: 16, groupOutputChannels: 24 },
                                       rng.floats(24 * 9 * 16), rng.floats(24)),
      (op) => op.run(rng.floats(2 * 40 * 40 * 16), [2, 40, 40, 16]));
  use('depthwise', new Convolution2D({ kernelHeight: 3, kernelWidth: 3, strideHeight: 2,
                                       strideWidth: 2, tensorflowSamePadding: true, groups: 32,
                                       groupInputChannels: 1, groupOutputChannels: 1 },
                                     rng.floats(32 * 9), rng.floats(32)),
      (op) => op.run(rng.floats(2 * 33 * 33 * 32), [2, 33, 33, 32]));
  use('fully connected', new FullyConnected({ inputChannels: 150, outputChannels: 200 },
                                            rng.floats(150 * 200), rng.floats(200)),
      (op) => op.run(rng.floats(300 * 150), [300, 150]));
  use('batch matmul', new BatchMatMul({ transposeB: true }),
      (op) => op.run(rng.floats(6 * 70 * 90), [6, 70, 90], rng.floats(6 * 80 * 90), [6, 80, 90]));
  use('max pooling', new MaxPooling2D({ poolingHeight: 3, poolingWidth: 3, strideHeight: 2,
                                        strideWidth: 2, channels: 40 }),
      (op) => op.run(rng.floats(2 * 61 * 61 * 40), [2, 61, 61, 40]));
  use('average pooling', new AveragePooling2D({ poolingHeight: 2, poolingWidth: 2,
                                                strideHeight: 2, strideWidth: 2, channels: 40 }),
      (op) => op.run(rng.floats(2 * 60 * 60 * 40), [2, 60, 60, 40]));
  use('global average pooling', new GlobalAveragePooling({ channels: 300 }),
      (op) => op.run(rng.floats(64 * 49 * 300), [64, 49, 300]));
  use('unary gelu', new Unary('gelu'), (op) => op.run(rng.floats(300000, -6, 6)));
  use('binary add', new Binary('add'),
      (op) => op.run(rng.floats(600 * 500), [600, 500], rng.floats(500), [500]));
  use('softmax', new Softmax({ channels: 1000 }),
      (op) => op.run(rng.floats(120 * 1000, -8, 8), [120, 1000]));
  return out;
}

describe('the pool gives the same bits on any number of threads', () => {
  after(() => terminate());
  const results = {};

  for (const [variant, threads] of [['simd-threads', 2], ['simd-threads', 1], ['simd', 1]]) {
    it(`runs the workloads on ${variant} with ${threads} thread(s)`, async () => {
      await terminate();
      await init({ variant, threads });
      assert.equal(info().threads, threads);
      results[`${variant}/${threads}`] = workloads();
    });
  }

  it('all three agree bit for bit', () => {
    const reference = results['simd-threads/2'];
    assert.ok(reference, 'the 2-thread run must have completed');
    for (const key of ['simd-threads/1', 'simd/1']) {
      for (const [name, y] of Object.entries(reference)) {
        const other = results[key][name];
        assert.equal(other.length, y.length, `${name}: ${key} length`);
        const a = new Uint32Array(y.buffer, y.byteOffset, y.length);
        const b = new Uint32Array(other.buffer, other.byteOffset, other.length);
        const i = a.findIndex((bits, j) => bits !== b[j]);
        assert.equal(i, -1, `${name}: element ${i} is ${y[i]} on 2 threads, ${other[i]} on ${key}`);
      }
    }
  });
});
