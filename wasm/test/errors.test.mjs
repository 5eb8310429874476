// Error cases of the operator classes: wrong lengths, shapes and types throw an Error naming the
// problem; C statuses become PortnnErrors; operators recover after a failed call; dispose().

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import {
  AveragePooling2D, BatchMatMul, Binary, Convolution2D, FullyConnected, GlobalAveragePooling,
  MaxPooling2D, PortnnError, Softmax, Unary, init, terminate,
} from '../index.js';

const f32 = (n, v = 1) => new Float32Array(n).fill(v);

// A C status turned into an Error: the operator, the C function, the status name and code.
function cStatus(fn, status, code) {
  return (e) => {
    assert.ok(e instanceof PortnnError, `${e}`);
    assert.ok(e.message.includes(fn), e.message);
    // C's reason, when it gives one, follows in parentheses.
    assert.ok(new RegExp(`failed: ${status}( \\(.+\\))?$`).test(e.message), e.message);
    assert.equal(e.status, status);
    assert.equal(e.code, code);
    return true;
  };
}

describe('operator errors', () => {
  before(() => init({ variant: 'simd' }));
  after(() => terminate());

  it('Convolution2D: weights, shapes, lengths, output', () => {
    const params = { kernelHeight: 3, kernelWidth: 3, groupInputChannels: 2,
                     groupOutputChannels: 4 };
    assert.throws(() => new Convolution2D(params, f32(71)),
                  /^Error: Convolution2D: kernel has 71 elements, expected 72$/);
    assert.throws(() => new Convolution2D(params, f32(72), f32(3)),
                  /Convolution2D: bias has 3 elements, expected 4/);
    assert.throws(() => new Convolution2D(params, 'weights'), TypeError);
    assert.throws(() => new Convolution2D({ ...params, kernelHeight: -1 }, f32(0)),
                  /Convolution2D: kernelHeight must be an integer in \[0, 4294967295\], got -1/);
    // A kernel height of 0 fits the C parameter's type: the C library rejects it.
    assert.throws(() => new Convolution2D({ ...params, kernelHeight: 0 }, f32(0)),
                  cStatus('Convolution2D: pnn_create_convolution2d_nhwc_f32', 'invalid parameter', 1));
    assert.throws(() => new Convolution2D({ ...params, strideWidth: 1.5 }, f32(72)),
                  /strideWidth must be an integer/);
    // C statuses: SAME padding with explicit padding; min > max.
    assert.throws(() => new Convolution2D({ ...params, tensorflowSamePadding: true,
                                            paddingTop: 1 }, f32(72)),
                  cStatus('Convolution2D: pnn_create_convolution2d_nhwc_f32', 'invalid parameter', 1));
    assert.throws(() => new Convolution2D({ ...params, outputMin: 1, outputMax: 0 }, f32(72)),
                  cStatus('pnn_create_convolution2d_nhwc_f32', 'invalid parameter', 1));

    const op = new Convolution2D(params, f32(72), f32(4));
    try {
      assert.throws(() => op.run(f32(49), [1, 5, 5, 2]),
                    /^Error: Convolution2D\.run: input has 49 elements but its shape \[1, 5, 5, 2\] needs 50/);
      assert.throws(() => op.run(f32(50), [5, 5, 2]),
                    /Convolution2D\.run: input shape \[5, 5, 2\] must have 4 dimensions/);
      assert.throws(() => op.run(f32(75), [1, 5, 5, 3]),
                    /input shape \[1, 5, 5, 3\] has 3 channels, expected 2/);
      assert.throws(() => op.run(f32(50), [1, 5, 0, 10]), /must hold integers >= 1/);
      assert.throws(() => op.run([1, 2], [1, 1, 1, 2]), /Convolution2D\.run: input must be a Float32Array/);
      // The output would be empty: a C status at reshape, then the operator still works.
      assert.throws(() => op.run(f32(8), [1, 2, 2, 2]),
                    cStatus('pnn_reshape_convolution2d_nhwc_f32 for input shape [1, 2, 2, 2]',
                            'invalid parameter', 1));
      assert.deepEqual(op.outputShape([1, 5, 5, 2]), [1, 3, 3, 4]);
      assert.throws(() => op.run(f32(50), [1, 5, 5, 2], f32(35)),
                    /Convolution2D\.run: output has 35 elements, expected 36/);
      assert.throws(() => op.run(f32(50), [1, 5, 5, 2], new Float64Array(36)),
                    /output must be a Float32Array/);
      const y = op.run(f32(50), [1, 5, 5, 2]);
      assert.equal(y.length, 36);
      assert.equal(y[0], 1 + 18);
    } finally {
      op.dispose();
    }
  });

  it('FullyConnected: weights, shapes, lengths, C status', () => {
    assert.throws(() => new FullyConnected({ inputChannels: 3, outputChannels: 2 }, f32(5)),
                  /FullyConnected: kernel has 5 elements, expected 6/);
    assert.throws(() => new FullyConnected({ inputChannels: 3 }, f32(5)),
                  /FullyConnected: outputChannels must be an integer/);
    assert.throws(() => new FullyConnected({ inputChannels: 3, outputChannels: 2, outputMin: NaN },
                                           f32(6)),
                  cStatus('FullyConnected: pnn_create_fully_connected_nc_f32', 'invalid parameter', 1));
    const op = new FullyConnected({ inputChannels: 3, outputChannels: 2 }, [1, 2, 3, 4, 5, 6]);
    try {
      assert.throws(() => op.run(f32(7)),
                    /FullyConnected\.run: input has 7 elements, not a positive multiple of inputChannels = 3/);
      assert.throws(() => op.run(f32(6), [3, 2]),
                    /input shape \[3, 2\] ends with 2, expected inputChannels = 3/);
      assert.throws(() => op.run(f32(6), [3, 3]), /input has 6 elements but its shape \[3, 3\] needs 9/);
      assert.deepEqual(Array.from(op.run(new Float32Array([1, 1, 1]))), [6, 15]);
    } finally {
      op.dispose();
    }
  });

  it('BatchMatMul: inner dims, broadcasting, ranks', () => {
    const op = new BatchMatMul();
    try {
      assert.throws(() => op.run(f32(6), [2, 3], f32(8), [4, 2]),
                    /BatchMatMul\.run: inner dimensions differ: A \[2, 3\] has K = 3, B \[4, 2\] has K = 4/);
      assert.throws(() => op.run(f32(12), [2, 2, 3], f32(27), [3, 3, 3]),
                    cStatus('BatchMatMul: pnn_reshape_batch_matmul_f32 for A [2, 2, 3] and B [3, 3, 3]',
                            'invalid parameter', 1));
      assert.throws(() => op.run(f32(3), [3], f32(3), [3, 1]), /A shape \[3\] must have 2 to 8 dimensions/);
      assert.throws(() => op.run(f32(6), [2, 3], f32(5), [3, 2]),
                    /b has 5 elements but its shape \[3, 2\] needs 6/);
      assert.deepEqual(op.outputShape([4, 1, 2, 3], [5, 3, 7]), [4, 5, 2, 7]);
      assert.deepEqual(Array.from(op.run(f32(6), [2, 3], f32(6), [3, 2])), [3, 3, 3, 3]);
    } finally {
      op.dispose();
    }
  });

  it('pooling: shapes, channels, C statuses', () => {
    assert.throws(() => new MaxPooling2D({ poolingHeight: 2, poolingWidth: 2 }),
                  /MaxPooling2D: channels must be an integer/);
    // Average pooling requires dilation 1: a C status.
    assert.throws(() => new AveragePooling2D({ poolingHeight: 2, poolingWidth: 2, channels: 3,
                                               dilationHeight: 2 }),
                  cStatus('AveragePooling2D: pnn_create_average_pooling2d_nhwc_f32',
                          'unsupported parameter', 2));
    const op = new MaxPooling2D({ poolingHeight: 3, poolingWidth: 3, strideHeight: 2,
                                  strideWidth: 2, channels: 3 });
    try {
      assert.throws(() => op.run(f32(12), [1, 2, 2, 3]),
                    cStatus('pnn_reshape_max_pooling2d_nhwc_f32 for input shape [1, 2, 2, 3]',
                            'invalid parameter', 1));
      assert.throws(() => op.run(f32(100), [1, 5, 5, 4]), /has 4 channels, expected 3/);
      assert.deepEqual(op.outputShape([2, 7, 5, 3]), [2, 3, 2, 3]);
      assert.equal(op.run(f32(75), [1, 5, 5, 3]).length, 12);
    } finally {
      op.dispose();
    }
    const gap = new GlobalAveragePooling({ channels: 4 });
    try {
      assert.throws(() => gap.run(f32(8), [8]), /input shape \[8\] must have 3 to 4 dimensions/);
      assert.throws(() => gap.run(f32(9), [1, 3, 3]), /has 3 channels, expected 4/);
      assert.deepEqual(Array.from(gap.run(f32(8, 2), [1, 2, 4])), [2, 2, 2, 2]);
    } finally {
      gap.dispose();
    }
  });

  it('Unary: unknown ops, parameters, C status', () => {
    assert.throws(() => new Unary('mish'), /Unary: unknown op 'mish' \(expected relu, relu6, clamp/);
    assert.throws(() => new Unary('gelu', { approximate: 'erf' }),
                  /approximate must be 'none' or 'tanh', got erf/);
    assert.throws(() => new Unary('clamp', { min: 2, max: 1 }),
                  cStatus('Unary: pnn_create_unary_elementwise_nc_f32', 'invalid parameter', 1));
    assert.throws(() => new Unary('leakyRelu', { negativeSlope: Infinity }),
                  cStatus('pnn_create_unary_elementwise_nc_f32', 'invalid parameter', 1));
    const op = new Unary('abs');
    try {
      assert.throws(() => op.run(new Float32Array(0)), /input shape \[0\] must hold integers >= 1/);
      assert.throws(() => op.run(f32(6), [4, 2]), /input has 6 elements but its shape \[4, 2\] needs 8/);
      assert.deepEqual(Array.from(op.run(new Float32Array([-2, 3]))), [2, 3]);
    } finally {
      op.dispose();
    }
  });

  it('Binary: unknown ops, broadcasting, lengths, C status', () => {
    assert.throws(() => new Binary('atan2'), /Binary: unknown op 'atan2'/);
    assert.throws(() => new Binary('add', { outputMin: 1, outputMax: -1 }),
                  cStatus('Binary: pnn_create_binary_elementwise_nd_f32', 'invalid parameter', 1));
    const op = new Binary('multiply');
    try {
      assert.throws(() => op.run(f32(6), [2, 3], f32(2), [2]),
                    cStatus('Binary: pnn_reshape_binary_elementwise_nd_f32 for shapes [2, 3] and [2]',
                            'invalid parameter', 1));
      assert.throws(() => op.run(f32(7), [7, 1, 1, 1, 1, 1, 1], f32(1), [1]),
                    /A shape \[7, 1, 1, 1, 1, 1, 1\] must have 1 to 6 dimensions/);
      assert.throws(() => op.run(f32(6), [2, 3], f32(4), [3]), /b has 4 elements but its shape \[3\] needs 3/);
      assert.throws(() => op.run(f32(6), '2x3', f32(3), [3]), /A shape must be an array of dimensions/);
      assert.deepEqual(Array.from(op.run(f32(2, 3), [2], f32(1, 2), [])), [6, 6]);
    } finally {
      op.dispose();
    }
  });

  it('Softmax: channels and lengths', () => {
    assert.throws(() => new Softmax({ channels: 0 }),
                  cStatus('Softmax: pnn_create_softmax_nc_f32', 'invalid parameter', 1));
    assert.throws(() => new Softmax(), /Softmax: channels must be an integer/);
    const op = new Softmax({ channels: 4 });
    try {
      assert.throws(() => op.run(f32(6)), /not a positive multiple of channels = 4/);
      assert.throws(() => op.run(f32(8), [4, 2]), /input shape \[4, 2\] ends with 2, expected channels = 4/);
      assert.deepEqual(Array.from(op.run(f32(4))), [0.25, 0.25, 0.25, 0.25]);
    } finally {
      op.dispose();
    }
  });

  it('dispose(): later calls throw, dispose() again is harmless', () => {
    const ops = [
      new Convolution2D({ kernelHeight: 1, kernelWidth: 1, groupInputChannels: 1,
                          groupOutputChannels: 1 }, [2]),
      new FullyConnected({ inputChannels: 1, outputChannels: 1 }, [2]),
      new BatchMatMul(),
      new MaxPooling2D({ poolingHeight: 1, poolingWidth: 1, channels: 1 }),
      new AveragePooling2D({ poolingHeight: 1, poolingWidth: 1, channels: 1 }),
      new GlobalAveragePooling({ channels: 1 }),
      new Unary('relu'),
      new Binary('add'),
      new Softmax({ channels: 1 }),
    ];
    for (const op of ops) {
      const name = op.constructor.name;
      op.dispose();
      op.dispose();
      assert.throws(() => op.run(f32(1), [1, 1, 1, 1]),
                    new RegExp(`^Error: ${name}\\.run: the operator was disposed$`));
      assert.throws(() => op.kernelName, /the operator was disposed/);
    }
  });

  it('kernelName names the microkernel that runs', () => {
    const op = new Unary('relu');
    try {
      op.run(f32(4));
      assert.match(op.kernelName, /^pnn_f32_vclamp_ukernel__wasmsimd/);
    } finally {
      op.dispose();
    }
  });
});
