// One run of every operator class of the portnn package on fixed-seed random data, each compared
// with the double-precision reference the Node tests use (wasm/test/helpers/reference.mjs, one
// module for both). Used by the browser test page (tests/web/page.mjs); plain ES module, so it
// also runs under Node against the same package.
//
// Shapes are small (the whole set runs in well under a second on the scalar build) but large
// enough that every kernel's main loop and remainder run and that a 2-thread pool gets several
// tiles per operator. Reductions stay within what the tolerances are proven for (K + 1 <= 160,
// averages of <= 128 terms).
import { Random } from '../../wasm/test/helpers/random.mjs';
import * as ref from '../../wasm/test/helpers/reference.mjs';

// The reference's parameter names from the package's (defaults as the package's): the window's
// walk, then each operator's own.
function windowParams(p) {
  return { sh: p.strideHeight ?? 1, sw: p.strideWidth ?? 1, dh: p.dilationHeight ?? 1,
           dw: p.dilationWidth ?? 1, pt: p.paddingTop ?? 0, pr: p.paddingRight ?? 0,
           pb: p.paddingBottom ?? 0, pl: p.paddingLeft ?? 0, same: p.tensorflowSamePadding === true };
}
function convParams(p) {
  return { ...windowParams(p), kh: p.kernelHeight, kw: p.kernelWidth, groups: p.groups ?? 1,
           gic: p.groupInputChannels, goc: p.groupOutputChannels };
}
function poolParams(p) {
  return { ...windowParams(p), ph: p.poolingHeight, pw: p.poolingWidth,
           includePad: p.countIncludePad === true, channels: p.channels };
}
const MIN = (p) => p.outputMin ?? -Infinity;
const MAX = (p) => p.outputMax ?? Infinity;

// f(x) per element, with the op's bound as a tolerance (the inputs here are finite).
function unaryReference(name, x, p) {
  const bound = ref.unaryBound(name, p);
  const value = new Float64Array(x.length);
  const tolerance = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    value[i] = ref.unary(name, x[i], { negativeSlope: 0.01, alpha: 1, ...p });
    tolerance[i] = bound.rel * Math.abs(value[i]) + bound.abs;
  }
  return { value, tolerance };
}

/** FNV-1a over the bytes of a Float32Array: compares results bit for bit across runs. */
export function hashFloats(a) {
  const bytes = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) {
    h ^= bytes[i];
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0') + ':' + a.length;
}

const UNARY_CASES = [
  // [op, parameters, input range]
  ['relu', {}, [-8, 8]],
  ['relu6', {}, [-8, 8]],
  ['clamp', { min: -0.75, max: 2.5 }, [-8, 8]],
  ['leakyRelu', { negativeSlope: 0.125 }, [-8, 8]],
  ['elu', { alpha: 1.5 }, [-8, 8]],
  ['sigmoid', {}, [-12, 12]],
  ['tanh', {}, [-6, 6]],
  ['hardswish', {}, [-5, 5]],
  ['gelu', {}, [-6, 6]],
  ['gelu', { approximate: 'tanh' }, [-6, 6]],
  ['silu', {}, [-12, 12]],
  ['abs', {}, [-8, 8]],
  ['negate', {}, [-8, 8]],
  ['square', {}, [-8, 8]],
  ['sqrt', {}, [0, 100]],
  ['exp', {}, [-20, 20]],
];

const BINARY_OPS = ['add', 'subtract', 'multiply', 'divide', 'minimum', 'maximum',
                    'squaredDifference'];

// A Convolution2D case on an input of `shape`: the input's values in xRange, the kernel's in
// kRange, the bias's in bRange (null: no bias); [] for the default range. Draws in that order.
function convolutionCase(name, p, shape, xRange, kRange, bRange) {
  return {
    name,
    run(pnn, rng) {
      const [n, h, w, c] = shape;
      const x = rng.floats(n * h * w * c, ...xRange);
      const k = rng.floats((p.groups ?? 1) * p.groupOutputChannels * p.kernelHeight * p.kernelWidth *
                           p.groupInputChannels, ...kRange);
      const b = bRange === null ? null : rng.floats((p.groups ?? 1) * p.groupOutputChannels, ...bRange);
      const op = new pnn.Convolution2D(p, k, b);
      return { op, got: op.run(x, shape), want: ref.convolution2d(convParams(p), n, h, w, x, k, b, MIN(p), MAX(p)) };
    },
  };
}

// Each case: name, and run(pnn, rng) -> { got: Float32Array, want: reference, op }.
function cases() {
  const list = [];

  list.push(convolutionCase('Convolution2D 3x3 pad 1, 8->16 ch, bias, clamp', {
    kernelHeight: 3, kernelWidth: 3, paddingTop: 1, paddingRight: 1, paddingBottom: 1,
    paddingLeft: 1, groupInputChannels: 8, groupOutputChannels: 16, outputMin: -1.5, outputMax: 2,
  }, [1, 13, 11, 8], [], [-0.5, 0.5], [-0.2, 0.2]));

  list.push(convolutionCase('Convolution2D 1x1 stride 2, 2 groups, batch 2', {
    kernelHeight: 1, kernelWidth: 1, strideHeight: 2, strideWidth: 2, groups: 2,
    groupInputChannels: 6, groupOutputChannels: 5,
  }, [2, 9, 10, 12], [], [], null));

  list.push(convolutionCase('Convolution2D depthwise 3x3 stride 2, 24 ch', {
    kernelHeight: 3, kernelWidth: 3, strideHeight: 2, strideWidth: 2, paddingTop: 1,
    paddingRight: 1, paddingBottom: 1, paddingLeft: 1, groups: 24, groupInputChannels: 1,
    groupOutputChannels: 1, outputMin: 0, outputMax: 6,
  }, [1, 15, 14, 24], [-2, 2], [], [-0.5, 0.5]));

  list.push({
    name: 'FullyConnected 37->19, batch 5, bias',
    run(pnn, rng) {
      const p = { inputChannels: 37, outputChannels: 19 };
      const x = rng.floats(5 * 37);
      const k = rng.floats(19 * 37);
      const b = rng.floats(19);
      const op = new pnn.FullyConnected(p, k, b);
      return { op, got: op.run(x, [5, 37]), want: ref.fullyConnected(5, 37, 19, x, k, b, false, MIN(p), MAX(p)) };
    },
  });

  list.push({
    name: 'FullyConnected transposed weights, clamp',
    run(pnn, rng) {
      const p = { inputChannels: 64, outputChannels: 33, transposeWeights: true, outputMin: -1,
                  outputMax: 1 };
      const x = rng.floats(7 * 64);
      const k = rng.floats(64 * 33, -0.3, 0.3);
      const op = new pnn.FullyConnected(p, k, null);
      return { op, got: op.run(x, [7, 64]), want: ref.fullyConnected(7, 64, 33, x, k, null, true, MIN(p), MAX(p)) };
    },
  });

  list.push({
    name: 'BatchMatMul [2,3,5,7] x [3,7,6] (broadcast)',
    run(pnn, rng) {
      const aShape = [2, 3, 5, 7], bShape = [3, 7, 6];
      const a = rng.floats(2 * 3 * 5 * 7);
      const b = rng.floats(3 * 7 * 6);
      const op = new pnn.BatchMatMul({});
      return { op, got: op.run(a, aShape, b, bShape), want: ref.batchMatMul(aShape, bShape, a, b, false, false) };
    },
  });

  list.push({
    name: 'BatchMatMul transposeB [4,9,20] x [4,11,20]',
    run(pnn, rng) {
      const p = { transposeB: true };
      const aShape = [4, 9, 20], bShape = [4, 11, 20];
      const a = rng.floats(4 * 9 * 20);
      const b = rng.floats(4 * 11 * 20);
      const op = new pnn.BatchMatMul(p);
      return { op, got: op.run(a, aShape, b, bShape), want: ref.batchMatMul(aShape, bShape, a, b, false, true) };
    },
  });

  list.push({
    name: 'MaxPooling2D 3x3 stride 2 pad 1',
    run(pnn, rng) {
      const p = { poolingHeight: 3, poolingWidth: 3, strideHeight: 2, strideWidth: 2,
                  paddingTop: 1, paddingRight: 1, paddingBottom: 1, paddingLeft: 1, channels: 19 };
      const shape = [2, 11, 12, 19];
      const x = rng.floats(2 * 11 * 12 * 19, -4, 4);
      const op = new pnn.MaxPooling2D(p);
      return { op, got: op.run(x, shape), want: ref.pooling2d(true, poolParams(p), ...shape.slice(0, 3), x, MIN(p), MAX(p)) };
    },
  });

  list.push({
    name: 'AveragePooling2D 3x3 stride 1 pad 1',
    run(pnn, rng) {
      const p = { poolingHeight: 3, poolingWidth: 3, paddingTop: 1, paddingRight: 1,
                  paddingBottom: 1, paddingLeft: 1, channels: 13 };
      const shape = [1, 10, 9, 13];
      const x = rng.floats(10 * 9 * 13, -4, 4);
      const op = new pnn.AveragePooling2D(p);
      return { op, got: op.run(x, shape), want: ref.pooling2d(false, poolParams(p), ...shape.slice(0, 3), x, MIN(p), MAX(p)) };
    },
  });

  list.push({
    name: 'GlobalAveragePooling [2,7,9,21]',
    run(pnn, rng) {
      const p = { channels: 21 };
      const shape = [2, 7, 9, 21];
      const x = rng.floats(2 * 7 * 9 * 21, -4, 4);
      const op = new pnn.GlobalAveragePooling(p);
      return { op, got: op.run(x, shape), want: ref.globalAveragePooling(2, 7 * 9, 21, x, MIN(p), MAX(p)) };
    },
  });

  for (const [name, p, [lo, hi]] of UNARY_CASES) {
    const label = name === 'gelu' && p.approximate === 'tanh' ? 'gelu (tanh)' : name;
    list.push({
      name: `Unary ${label}`,
      run(pnn, rng) {
        const shape = [7, 147];  // 1029 elements: main loops plus a remainder
        const x = rng.floats(7 * 147, lo, hi);
        const op = new pnn.Unary(name, p);
        return { op, got: op.run(x, shape), want: unaryReference(name, x, p) };
      },
    });
  }

  for (const name of BINARY_OPS) {
    list.push({
      name: `Binary ${name} [3,1,37] with [5,1] (broadcast)`,
      run(pnn, rng) {
        const aShape = [3, 1, 37], bShape = [5, 1];
        const a = rng.floats(3 * 37, -4, 4);
        // Divisors away from 0 keep the quotients finite (exactness would hold regardless).
        const b = name === 'divide' ? rng.floats(5, 0.25, 4) : rng.floats(5, -4, 4);
        const op = new pnn.Binary(name, {});
        return { op, got: op.run(a, aShape, b, bShape), want: ref.binaryBroadcast(name, aShape, a, bShape, b, -Infinity, Infinity) };
      },
    });
  }
  list.push({
    name: 'Binary add with clamp, same shapes',
    run(pnn, rng) {
      const p = { outputMin: -1, outputMax: 1 };
      const a = rng.floats(4 * 250, -2, 2);
      const b = rng.floats(4 * 250, -2, 2);
      const op = new pnn.Binary('add', p);
      return { op, got: op.run(a, [4, 250], b, [4, 250]), want: ref.binaryBroadcast('add', [4, 250], a, [4, 250], b, MIN(p), MAX(p)) };
    },
  });

  list.push({
    name: 'Softmax [9,37]',
    run(pnn, rng) {
      const x = rng.floats(9 * 37, -10, 10);
      const op = new pnn.Softmax({ channels: 37 });
      return { op, got: op.run(x, [9, 37]), want: ref.softmax(9, 37, x) };
    },
  });

  // The graph API (pnn.Graph): conv 3x3 -> relu6 (its own node, fused) -> global average pooling
  // -> fully connected, bit-identical to the same operators run one by one.
  list.push({
    name: 'Graph conv+relu6+GAP+FC [1,9,8,5]',
    run(pnn, rng) {
      const conv = { kernelHeight: 3, kernelWidth: 3, paddingTop: 1, paddingBottom: 1, paddingLeft: 1,
                     paddingRight: 1, groupInputChannels: 5, groupOutputChannels: 12 };
      const k1 = rng.floats(12 * 9 * 5, -1, 1);
      const b1 = rng.floats(12, -1, 1);
      const k2 = rng.floats(7 * 12, -1, 1);
      const x = rng.floats(9 * 8 * 5, -1, 1);
      const g = new pnn.Graph();
      let rt = null;
      let vx;
      let y;
      try {
        vx = g.input([1, 9, 8, 5]);
        const c = g.value(); const r = g.value(); const p = g.value();
        y = g.output();
        g.convolution2D(conv, vx, g.constant(k1, [12, 3, 3, 5]), g.constant(b1, [12]), c);
        g.unary('relu6', undefined, c, r);
        g.globalAveragePooling(undefined, r, p);
        g.fullyConnected(undefined, p, g.constant(k2, [7, 12]), null, y);
        rt = g.createRuntime();
      } finally {
        g.dispose();
      }
      const runtime = rt;
      const got = runtime.run({ [vx]: x })[y];
      const ops = [new pnn.Convolution2D({ ...conv, outputMin: 0, outputMax: 6 }, k1, b1),
                   new pnn.GlobalAveragePooling({ channels: 12 }),
                   new pnn.FullyConnected({ inputChannels: 12, outputChannels: 7 }, k2)];
      let want;
      try {
        want = ops[2].run(ops[1].run(ops[0].run(x, [1, 9, 8, 5]), [1, 9, 8, 12]), [1, 12]);
      } finally {
        for (const op of ops) op.dispose();
      }
      const fused = runtime.profile()[1].fusedInto;
      return {
        op: { kernelName: `graph (relu6 fused into node ${fused})`, dispose: () => runtime.dispose() },
        got: fused === 0 ? got : new Float32Array(got.length).fill(NaN),
        want: { value: want },
      };
    },
  });

  return list;
}

/**
 * Runs every case on the initialized package `pnn` (the module namespace of wasm/index.js).
 * Each case draws its data from its own seeded generator, so results do not depend on which
 * cases run. Returns one record per case; never throws (an exception fails its case).
 */
export function runCases(pnn, { seed = 20260101 } = {}) {
  const results = [];
  cases().forEach((c, index) => {
    const rng = new Random(seed + 7919 * index);
    const record = { name: c.name, ok: false, count: 0, failures: 0, maxErrorOverTol: 0,
                     first: null, kernel: '', hash: '', ms: 0 };
    let op = null;
    try {
      const t0 = performance.now();
      const r = c.run(pnn, rng);
      record.ms = performance.now() - t0;
      op = r.op;
      const cmp = ref.compare(r.got, r.want.value, r.want.tolerance ?? null);
      Object.assign(record, {
        ok: cmp.ok,
        count: cmp.count,
        failures: cmp.failures,
        maxErrorOverTol: cmp.maxErrorOverTol,
        first: cmp.first,
        hash: hashFloats(r.got),
      });
      record.kernel = op.kernelName;
    } catch (e) {
      record.ok = false;
      record.first = `threw: ${e && e.stack ? e.stack : e}`;
    } finally {
      if (op !== null) {
        try {
          op.dispose();
        } catch (e) {
          record.ok = false;
          record.first = `dispose() threw: ${e}`;
        }
      }
    }
    results.push(record);
  });
  return results;
}
