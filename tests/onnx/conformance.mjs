// ONNX operator conformance through the JS API: runs the cases tests/onnx/convert.py made from
// the ONNX backend node tests (cases.json + cases.bin) on each WebAssembly variant of the package
// in wasm/ (simd-threads with 2 threads) and prints, per variant and ONNX operator, how many
// passed, failed and were unsupported, the reason for each unsupported and failed case, and the
// tolerances applied. Exits 1 on any failure, 2 when the cases cannot be read.
//
// The twin of tests/onnx/onnx-conformance.cc (the C API): both dispatch by portnn operator only
// (STEPS below, one entry per operator, each creating the JS class, checking the output shape
// the package reports against the one ONNX implies, and running it), since convert.py resolved
// every ONNX attribute and layout. Where the JS API has no parameter for something the C API
// has, the case is unsupported here with that reason.
//
// Usage: node tests/onnx/conformance.mjs CASES_DIR [variant...]
//        (variants: scalar simd simd-threads, the default all three)
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import * as portnn from '../../wasm/index.js';

const VARIANTS = { scalar: 1, simd: 1, 'simd-threads': 2 };  // variant -> threads

class Unsupported extends Error {}

const count = (shape) => shape.reduce((a, b) => a * b, 1);
const shapeString = (s) => `[${s.join(', ')}]`;
const fmt = (x, digits) => (x === 0 ? '0' : String(Number(x.toPrecision(digits))));

// Pooling and convolution parameters in the JS API's names.
function windowParams(p, noun) {
  const [paddingTop, paddingRight, paddingBottom, paddingLeft] = p.padding;
  return {
    paddingTop, paddingRight, paddingBottom, paddingLeft,
    [`${noun}Height`]: p.kernel[0], [`${noun}Width`]: p.kernel[1],
    strideHeight: p.stride[0], strideWidth: p.stride[1],
    dilationHeight: p.dilation[0], dilationWidth: p.dilation[1],
    tensorflowSamePadding: p.same === 'upper',
    sameLowerPadding: p.same === 'lower',
    ...(noun === 'pooling' && p.ceil_mode ? { ceilMode: true } : {}),
  };
}

const UNARY = {
  clamp: 'clamp', leaky_relu: 'leakyRelu', elu: 'elu', sigmoid: 'sigmoid', tanh: 'tanh',
  hardswish: 'hardswish', gelu: 'gelu', silu: 'silu', abs: 'abs', negate: 'negate',
  square: 'square', sqrt: 'sqrt', exp: 'exp', hard_sigmoid: 'hardSigmoid', erf: 'erf', log: 'log',
  floor: 'floor', ceil: 'ceil', round: 'round', sin: 'sin', cos: 'cos', softplus: 'softplus',
  reciprocal: 'reciprocal', rsqrt: 'rsqrt',
};
const BINARY = {
  add: 'add', subtract: 'subtract', multiply: 'multiply', divide: 'divide', minimum: 'minimum',
  maximum: 'maximum', squared_difference: 'squaredDifference', pow: 'pow',
};

// Slice bounds: int64 values past 2^53 (JSON numbers, no longer exact here) as the JS API's
// ±Infinity, which it passes to C as INT64_MAX / INT64_MIN: clamped the same.
const bound = (v) => (Number.isSafeInteger(v) ? v : v > 0 ? Infinity : -Infinity);

// An operator of one input whose output shape the package reports (outputShape) as a step.
function single(op, x) {
  return { op, shape: op.outputShape(x.shape), run: () => op.run(x.data, x.shape) };
}

// An operator whose output has its input's shape as a step.
function sameShape(op, x) {
  return { op, shape: x.shape, run: () => op.run(x.data, x.shape) };
}

// An operator of two operands (Binary, BatchMatMul) as a step.
function pair(op, a, b) {
  return { op, shape: op.outputShape(a.shape, b.shape), run: () => op.run(a.data, a.shape, b.data, b.shape) };
}

// The dispatch by portnn operator: (params, inputs) -> { op, shape (as the package reports
// it), run() -> Float32Array }, or for several outputs { op, shapes, run() -> [Float32Array] }.
// Inputs are { shape, data } or null (an absent bias).
const STEPS = {
  convolution2d(p, [x, w, b]) {
    const op = new portnn.Convolution2D({
      ...windowParams(p, 'kernel'), groups: p.groups,
      groupInputChannels: p.group_input_channels, groupOutputChannels: p.group_output_channels,
    }, w.data, b ? b.data : undefined);
    return single(op, x);
  },
  max_pooling2d(p, [x]) {
    const op = new portnn.MaxPooling2D({ ...windowParams(p, 'pooling'), channels: x.shape[3] });
    return single(op, x);
  },
  argmax_pooling2d(p, [x]) {
    const op = new portnn.MaxPooling2D({ ...windowParams(p, 'pooling'), channels: x.shape[3], argmax: true });
    const shape = op.outputShape(x.shape);
    return {
      op,
      shapes: [shape, shape],
      run: () => {
        const r = op.runWithIndices(x.data, x.shape);
        return [r.output, Float32Array.from(r.indices)];  // exact below 2^24 (convert.py)
      },
    };
  },
  average_pooling2d(p, [x]) {
    const op = new portnn.AveragePooling2D({
      ...windowParams(p, 'pooling'), channels: x.shape[3], countIncludePad: p.count_include_pad,
    });
    return single(op, x);
  },
  global_average_pooling(p, [x]) {
    const op = new portnn.GlobalAveragePooling({ channels: x.shape[2] });
    return { op, shape: [x.shape[0], x.shape[2]], run: () => op.run(x.data, x.shape) };
  },
  fully_connected(p, [x, w, b]) {
    const oc = p.transpose_weights ? w.shape[1] : w.shape[0];
    const op = new portnn.FullyConnected({
      inputChannels: x.shape[1], outputChannels: oc, transposeWeights: p.transpose_weights,
    }, w.data, b ? b.data : undefined);
    return { op, shape: [x.shape[0], oc], run: () => op.run(x.data, x.shape) };
  },
  batch_matmul(p, [a, b]) {
    return pair(new portnn.BatchMatMul({ transposeA: p.transpose_a, transposeB: p.transpose_b }), a, b);
  },
  unary(p, [x]) {
    const op = new portnn.Unary(UNARY[p.unary], {
      min: p.min, max: p.max, negativeSlope: p.negative_slope, alpha: p.alpha, beta: p.beta,
      approximate: p.gelu_tanh ? 'tanh' : undefined,
    });
    return { op, shape: x.shape, run: () => op.run(x.data, x.shape) };
  },
  binary(p, [a, b]) {
    return pair(new portnn.Binary(BINARY[p.binary], {}), a, b);
  },
  softmax(p, [x]) {
    return sameShape(new portnn.Softmax({ channels: x.shape[p.axis], axis: p.axis, logSoftmax: p.log }), x);
  },
  deconvolution2d(p, [x, w, b]) {
    const op = new portnn.Deconvolution2D({
      ...windowParams(p, 'kernel'), adjustmentHeight: p.adjustment[0], adjustmentWidth: p.adjustment[1],
      groups: p.groups, groupInputChannels: p.group_input_channels,
      groupOutputChannels: p.group_output_channels,
    }, w.data, b ? b.data : undefined);
    return single(op, x);
  },
  resize2d(p, [x]) {
    const op = new portnn.Resize2D({
      channels: x.shape[3], mode: p.mode, coordinateTransformationMode: p.coordinate_mode,
      nearestMode: p.nearest_mode,
    });
    return { op, shape: op.outputShape(x.shape, p.size), run: () => op.run(x.data, x.shape, p.size) };
  },
  transpose(p, [x]) { return single(new portnn.Transpose({ perm: p.perm }), x); },
  pad(p, [x]) {
    return single(new portnn.Pad({ mode: p.mode, value: p.value, pre: p.pre, post: p.post }), x);
  },
  slice(p, [x]) {
    return single(new portnn.Slice({
      begins: p.begins.map(bound), ends: p.ends.map(bound), steps: p.steps.map(bound),
    }), x);
  },
  concatenate(p, xs) {
    const op = new portnn.Concatenate({ count: xs.length, axis: p.axis });
    const shapes = xs.map((x) => x.shape);
    return { op, shape: op.outputShape(shapes), run: () => op.run(xs.map((x) => x.data), shapes) };
  },
  split(p, [x]) {
    const op = new portnn.Split({ axis: p.axis, sizes: p.sizes });
    return { op, shapes: op.outputShape(x.shape), run: () => op.run(x.data, x.shape) };
  },
  depth_to_space(p, [x]) {
    return single(new portnn.DepthToSpace({ blockSize: p.block, mode: p.mode.toUpperCase() }), x);
  },
  space_to_depth(p, [x]) { return single(new portnn.SpaceToDepth({ blockSize: p.block }), x); },
  reduce(p, [x]) {
    return single(new portnn.Reduce(p.reduce, { axes: p.axes, keepDims: p.keep_dims }), x);
  },
  layer_norm(p, [x, gamma, beta]) {
    return sameShape(new portnn.LayerNorm({ axis: p.axis, epsilon: p.epsilon }, gamma.data,
                                          beta ? beta.data : undefined), x);
  },
  batch_norm(p, [x, mean, variance, gamma, beta]) {
    return sameShape(new portnn.BatchNorm({ epsilon: p.epsilon }, mean.data, variance.data,
                                          gamma.data, beta.data), x);
  },
  prelu(p, [x, slope]) { return sameShape(new portnn.PRelu(slope.data), x); },
};

// |y - e| <= atol + rtol |e|; NaN for NaN, the same infinity for an infinity.
function within(y, e, rtol, atol) {
  if (Number.isNaN(e)) return Number.isNaN(y);
  if (!Number.isFinite(e)) return y === e;
  if (!Number.isFinite(y)) return false;
  return Math.abs(y - e) <= atol + rtol * Math.abs(e);
}

class Failure extends Error {}

// Runs one case; returns the largest |y - e| over its outputs, throws Failure or Unsupported.
function runCase(c, blob, report) {
  const floats = (offset, n) => new Float32Array(blob.buffer.slice(blob.byteOffset + offset,
                                                                   blob.byteOffset + offset + 4 * n));
  const tensors = new Map();
  for (const [name, t] of Object.entries(c.tensors)) {
    tensors.set(name, { shape: t.shape, data: floats(t.offset, count(t.shape)) });
  }
  const ops = [];
  try {
    for (const st of c.steps) {
      if (!Object.hasOwn(STEPS, st.op)) {
        throw new Failure(`no dispatch entry for portnn operator '${st.op}'`);
      }
      const inputs = st.inputs.map((n) => (n === null ? null : tensors.get(n)));
      const step = STEPS[st.op](st.params, inputs);
      ops.push(step.op);
      const shapes = step.shapes ?? [step.shape];  // a step of several outputs gives `shapes`
      if (shapes.map(shapeString).join() !== st.shapes.map(shapeString).join()) {
        throw new Failure(`portnn output shapes ${shapes.map(shapeString).join(', ')}, `
                          + `ONNX expects ${st.shapes.map(shapeString).join(', ')}`);
      }
      const results = step.shapes ? step.run() : [step.run()];
      st.outputs.forEach((name, k) => tensors.set(name, { shape: st.shapes[k], data: results[k] }));
    }
  } catch (e) {
    if (e instanceof Unsupported || e instanceof Failure) throw e;
    throw new Failure(`${e.constructor.name}: ${e.message}`);
  } finally {
    for (const op of ops) op.dispose();
  }
  let maxError = 0;
  for (const o of c.outputs) {
    const y = tensors.get(o.name).data;
    const e = floats(o.expected, count(o.shape));
    // atol per element where the bound depends on the element (the dot products), else one.
    const atols = o.atol_elements === undefined ? null : floats(o.atol_elements, e.length);
    report.rtol = Math.max(report.rtol, o.rtol);
    if (o.atol >= report.atol) { report.atol = o.atol; report.why = o.why; }
    if (y.length !== e.length) throw new Failure(`${y.length} outputs, expected ${e.length}`);
    for (let i = 0; i < e.length; i++) {
      const atol = atols ? atols[i] : o.atol;
      if (!within(y[i], e[i], o.rtol, atol)) {
        throw new Failure(`element ${i}: portnn ${y[i]}, expected ${e[i]}, |diff| `
                          + `${Math.abs(y[i] - e[i])} > ${atol + o.rtol * Math.abs(e[i])}`);
      }
      if (Number.isFinite(e[i])) maxError = Math.max(maxError, Math.abs(y[i] - e[i]));
    }
  }
  return maxError;
}

async function runVariant(variant, manifest, blob) {
  await portnn.init({ variant, threads: VARIANTS[variant] });
  const info = portnn.info();
  const reports = new Map();
  const unsupported = [];
  const failed = [];
  for (const c of manifest.cases) {
    if (!reports.has(c.op)) {
      reports.set(c.op, { passed: 0, failed: 0, unsupported: 0, maxError: 0, rtol: 0, atol: 0, why: '' });
    }
    const r = reports.get(c.op);
    try {
      if (c.status !== 'run') throw new Unsupported(c.reason);
      r.maxError = Math.max(r.maxError, runCase(c, blob, r));
      r.passed++;
    } catch (e) {
      if (e instanceof Unsupported) {
        r.unsupported++;
        unsupported.push(`${c.name} (${c.op}): ${e.message}`);
      } else {
        r.failed++;
        failed.push(`${c.name} (${c.op}): ${e.message}`);
      }
    }
  }
  portnn.terminate();

  const line = [];
  line.push(`ONNX conformance through the JS API: variant ${info.variant} (${info.isa}, `
            + `${info.threads} thread${info.threads > 1 ? 's' : ''}), ${manifest.cases.length} cases `
            + `(ONNX ${manifest.onnx} node tests, ${manifest.source})`);
  line.push(`${'operator'.padEnd(18)} passed failed unsupported  ${'max|y-e|'.padEnd(10)}  `
            + 'tolerance |y-e| <= atol + rtol|e| (largest)');
  const totals = { passed: 0, failed: 0, unsupported: 0 };
  for (const op of [...reports.keys()].sort()) {
    const r = reports.get(op);
    const ran = r.passed + r.failed > 0;
    const tol = ran ? `atol ${fmt(r.atol, 2)} rtol ${fmt(r.rtol, 2)}: ${r.why}` : '-: -';
    line.push(`${op.padEnd(18)} ${String(r.passed).padStart(6)} ${String(r.failed).padStart(6)} `
              + `${String(r.unsupported).padStart(11)}  ${fmt(r.maxError, 3).padEnd(10)}  ${tol}`);
    for (const k of Object.keys(totals)) totals[k] += r[k];
  }
  line.push('unsupported cases:', ...unsupported.map((u) => `  ${u}`));
  const unmapped = Object.values(manifest.unmapped).reduce((a, b) => a + b, 0);
  line.push(`not mapped (not counted above): ${unmapped} tests of `
            + `${Object.keys(manifest.unmapped).length} other ONNX operators`);
  line.push(...failed.map((f) => `FAILED ${f}`));
  line.push(`onnx-conformance.mjs (${info.variant}): ${totals.passed} passed, ${totals.failed} `
            + `failed, ${totals.unsupported} unsupported`);
  console.log(line.join('\n'));
  return totals;
}

const [dir, ...asked] = process.argv.slice(2);
if (!dir) {
  console.error('usage: node tests/onnx/conformance.mjs CASES_DIR [scalar|simd|simd-threads...]');
  process.exit(2);
}
let manifest;
let blob;
try {
  manifest = JSON.parse(readFileSync(join(dir, 'cases.json'), 'utf8'));
  blob = readFileSync(join(dir, 'cases.bin'));
} catch (e) {
  console.error(`conformance.mjs: cannot read the cases in ${dir}: ${e.message}`);
  process.exit(2);
}
const variants = asked.length ? asked : Object.keys(VARIANTS);
const summary = [];
let failures = 0;
for (const v of variants) {
  if (!(v in VARIANTS)) {
    console.error(`conformance.mjs: unknown variant '${v}' (${Object.keys(VARIANTS).join(', ')})`);
    process.exit(2);
  }
  const t = await runVariant(v, manifest, blob);
  failures += t.failed;
  summary.push(`${v}: ${t.passed} passed, ${t.failed} failed, ${t.unsupported} unsupported`);
  console.log();
}
console.log(`ONNX conformance (JS API): ${summary.join('; ')}`);
process.exit(failures ? 1 : 0);
