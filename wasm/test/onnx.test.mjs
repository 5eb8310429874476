// loadOnnx ('portnn/onnx') on every variant: a tiny ModelProto written here with protobufjs from
// the package's own schema (Conv+Relu -> GlobalAveragePool -> Flatten -> Gemm, weights from a
// seed, NCHW as exporters write it) gives what the same network built by hand with pnn.Graph
// gives; hostile bytes (truncated, lying lengths, random bytes, nested groups) reject with an
// Error carrying the reason and leave the importer module's heap as it was.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { Graph, init, terminate } from '../index.js';
import { loadOnnx, importerHeapInUse } from '../src/onnx.js';
import { ATTRIBUTE, FLOAT, ModelProto, encodeModel, reluBytes, valueInfo } from './helpers/onnx-models.mjs';
import { Random } from './helpers/random.mjs';

// Input channels, conv output channels, classes, height, width.
const [C, M, K, H, W] = [3, 4, 2, 7, 6];

function weightsOf(seed) {
  const rng = new Random(seed);
  return { conv: rng.floats(M * C * 9, -1, 1), convBias: rng.floats(M, -1, 1),
           fc: rng.floats(K * M, -1, 1), fcBias: rng.floats(K, -1, 1) };
}

const tensor = (name, dims, data) => ({ name, dims, data_type: FLOAT, float_data: Array.from(data) });

// The model as an exporter writes it: conv weights OIHW, input NCHW, Gemm with transB.
function modelBytes(w, { rawWeights = false } = {}) {
  const convWeight = rawWeights
    ? { name: 'W', dims: [M, C, 3, 3], data_type: FLOAT, raw_data: new Uint8Array(w.conv.buffer.slice(0)) }
    : tensor('W', [M, C, 3, 3], w.conv);
  const model = {
    ir_version: 8,
    opset_import: [{ domain: '', version: 13 }],
    graph: {
      name: 'tiny',
      node: [
        { op_type: 'Conv', name: 'conv', input: ['x', 'W', 'B'], output: ['c'],
          attribute: [{ name: 'kernel_shape', type: ATTRIBUTE.INTS, ints: [3, 3] },
                      { name: 'pads', type: ATTRIBUTE.INTS, ints: [1, 1, 1, 1] }] },
        { op_type: 'Relu', name: 'relu', input: ['c'], output: ['r'] },
        { op_type: 'GlobalAveragePool', name: 'gap', input: ['r'], output: ['g'] },
        { op_type: 'Flatten', name: 'flatten', input: ['g'], output: ['f'],
          attribute: [{ name: 'axis', type: ATTRIBUTE.INT, i: 1 }] },
        { op_type: 'Gemm', name: 'fc', input: ['f', 'FW', 'FB'], output: ['y'],
          attribute: [{ name: 'transB', type: ATTRIBUTE.INT, i: 1 }] },
      ],
      initializer: [convWeight, tensor('B', [M], w.convBias), tensor('FW', [K, M], w.fc), tensor('FB', [K], w.fcBias)],
      input: [valueInfo('x', ['N', C, H, W])],
      output: [valueInfo('y', ['N', K])],
    },
  };
  return encodeModel(model);
}

// The same network with pnn.Graph in the operator module, NHWC, weights transposed by hand.
function byHand(w, xNchw, n) {
  const ohwi = new Float32Array(M * 9 * C);
  for (let o = 0; o < M; o++) for (let c = 0; c < C; c++) for (let k = 0; k < 9; k++) ohwi[(o * 9 + k) * C + c] = w.conv[(o * C + c) * 9 + k];
  const nhwc = new Float32Array(n * H * W * C);
  for (let b = 0; b < n; b++) for (let c = 0; c < C; c++) for (let p = 0; p < H * W; p++) nhwc[(b * H * W + p) * C + c] = xNchw[(b * C + c) * H * W + p];
  const g = new Graph();
  const x = g.input([n, H, W, C]);
  const r = g.value(); const gap = g.value(); const y = g.output();
  g.convolution2D({ kernelHeight: 3, kernelWidth: 3, paddingTop: 1, paddingBottom: 1, paddingLeft: 1, paddingRight: 1,
                    groupInputChannels: C, groupOutputChannels: M, outputMin: 0 },
                  x, g.constant(ohwi, [M, 3, 3, C]), g.constant(w.convBias, [M]), r);
  g.globalAveragePooling(undefined, r, gap);
  g.fullyConnected(undefined, gap, g.constant(w.fc, [K, M]), g.constant(w.fcBias, [K]), y);
  const runtime = g.createRuntime();
  try {
    return runtime.run({ [x]: nhwc })[y];
  } finally {
    runtime.dispose();
    g.dispose();
  }
}

// |a - b| bound: the Gemm's 4 products after a mean of 3x3x3 products, float32 rounding.
function assertClose(actual, expected) {
  assert.equal(actual.length, expected.length);
  const scale = Math.max(...Array.from(expected, Math.abs), 1);
  for (let i = 0; i < actual.length; i++) {
    assert.ok(Math.abs(actual[i] - expected[i]) <= 64 * 2 ** -24 * scale, `element ${i}: ${actual[i]} vs ${expected[i]}`);
  }
}

async function settledHeap() {
  for (let last = -1; ;) {
    const now = await importerHeapInUse();
    if (now === last) return now;
    last = now;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

// Hostile inputs: each must reject with an Error whose message says why.
function hostileCases(good) {
  const rng = new Random(99);
  const cases = [
    ['truncated by one byte', good.slice(0, good.length - 1)],
    ['truncated to half', good.slice(0, good.length >> 1)],
    ['one byte', new Uint8Array([0x3a])],
    // field 7 (graph), length-delimited, claiming 2^28 bytes
    ['a length past the end', new Uint8Array([0x3a, 0x80, 0x80, 0x80, 0x80, 0x01, 0x00])],
    // field 1 (ir_version) with a varint that never ends
    ['an endless varint', new Uint8Array([0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff])],
    ['a bad wire type', new Uint8Array([0x0f, 0x00])],
    ['100000 nested groups', new Uint8Array(100000).fill(0x0b)],
    ['no graph', ModelProto.encode(ModelProto.fromObject({ ir_version: 8, opset_import: [{ version: 13 }] })).finish()],
  ];
  for (let i = 0; i < 8; i++) {
    const bytes = new Uint8Array(rng.int(1, 512));
    for (let j = 0; j < bytes.length; j++) bytes[j] = rng.int(0, 255);
    cases.push([`random bytes #${i}`, bytes]);
  }
  // Well-formed bytes of models the importer must refuse, each named by its reason.
  const relu = (extra) => encodeModel({
    ir_version: 8, opset_import: [{ domain: '', version: 13 }],
    graph: { name: 'bad', node: [{ op_type: 'Add', input: ['x', 'W'], output: ['y'] }],
             input: [valueInfo('x', [2, 3])], output: [valueInfo('y', [2, 3])], ...extra },
  });
  cases.push(
    ['a 2^40-element initializer', relu({ initializer: [{ name: 'W', dims: [2 ** 20, 2 ** 20], data_type: FLOAT, float_data: [1] }] })],
    ['external data', relu({ initializer: [{ name: 'W', dims: [2, 3], data_type: FLOAT, data_location: 1 }] })],
    ['a missing initializer', relu({})],
    ['an unknown opset domain', relu({ node: [{ op_type: 'Relu', domain: 'com.example', input: ['x'], output: ['y'] }] })],
    ['a cycle', relu({ node: [{ op_type: 'Relu', input: ['z'], output: ['w'] }, { op_type: 'Relu', input: ['w'], output: ['z'] },
                              { op_type: 'Add', input: ['x', 'z'], output: ['y'] }] })],
  );
  // Cut anywhere: the graph is the model's last field, so every cut leaves a broken one.
  for (let i = 0; i < 16; i++) {
    const at = rng.int(1, good.length - 1);
    cases.push([`truncated to ${at} bytes`, good.slice(0, at)]);
  }
  // Bytes changed at random (lengths, tags, varints, data): a changed weight or a length that
  // still fits leaves a valid model, which must load; anything else must be refused.
  for (let i = 0; i < 40; i++) {
    const bytes = good.slice();
    const at = rng.int(0, bytes.length - 1);
    bytes[at] = rng.int(0, 255);
    cases.push([`byte ${at} changed`, bytes]);
  }
  return cases;
}

for (const [variant, threads] of [['scalar', 1], ['simd', 1], ['simd-threads', 2]]) {
  describe(`loadOnnx on ${variant} (${threads} thread(s))`, () => {
    before(async () => { await init({ variant, threads }); });
    after(async () => { await terminate(); });

    // First, on a fresh importer module: a 2 KB model whose 40 load-time constants (64 MB each,
    // all made before any is used) need more than the module's 2 GB heap. Natively that is
    // out_of_memory; here a container of the import core fails, which aborts the importer module
    // (it has no C++ exceptions): loadOnnx() reports out of memory, retires that module, and the
    // next call gets a fresh one (were the failing allocation the library's, the same status
    // would come without the abort). Growing the heap to 2 GB takes seconds: not repeated on
    // 'scalar', whose path is 'simd''s.
    it('an allocation beyond the heap: out of memory, then a fresh importer', { skip: variant === 'scalar' }, async (t) => {
      const node = [];
      let sum = 'x';
      for (let i = 0; i < 40; i++) node.push({ op_type: 'ConstantOfShape', input: ['s'], output: [`c${i}`] });
      for (let i = 0; i < 40; i++) {
        node.push({ op_type: 'Add', input: [sum, `c${i}`], output: [`a${i}`] });
        sum = `a${i}`;
      }
      node.push({ op_type: 'Relu', input: [sum], output: ['y'] });
      const bytes = encodeModel({
        ir_version: 8, opset_import: [{ domain: '', version: 13 }],
        graph: { name: 'oom', node, initializer: [{ name: 's', dims: [1], data_type: 7, int64_data: [2 ** 24] }],
                 input: [valueInfo('x', [1])], output: [valueInfo('y', [2 ** 24])] },
      });
      await assert.rejects(loadOnnx(bytes), (e) => t.diagnostic(e.message) || e.name === 'PortnnError' && e.status === 'out of memory' &&
                           /^loadOnnx: importing the model failed: out of memory \(/.test(e.message));
      const rt = await loadOnnx(reluBytes());
      try {
        assert.deepEqual(rt.run({ x: new Float32Array([-1, 2, -3, 4, -0.5, 6]) }).y, new Float32Array([0, 2, 0, 4, 0, 6]));
      } finally {
        rt.dispose();
      }
      assert.ok(await importerHeapInUse() < 2 ** 24, 'the fresh importer does not hold the aborted one\'s heap');
    });

    for (const rawWeights of [false, true]) {
      it(`runs Conv+Relu+GAP+Gemm as pnn.Graph by hand (weights as ${rawWeights ? 'raw_data' : 'float_data'})`, async () => {
        const w = weightsOf(7);
        const rt = await loadOnnx(modelBytes(w, { rawWeights }), { inputShapes: { x: [2, C, H, W] } });
        try {
          assert.deepEqual(rt.inputs, [{ name: 'x', shape: [2, C, H, W] }]);
          assert.deepEqual(rt.outputs, [{ name: 'y', shape: [2, K] }]);
          const x = new Random(11).floats(2 * C * H * W, -1, 1);
          const { y } = rt.run({ x });
          assertClose(y, byHand(w, x, 2));
          // Reusing the output array, and a second run, give the same.
          const out = new Float32Array(2 * K);
          rt.run({ x }, { y: out });
          assert.deepEqual(out, y);
        } finally {
          rt.dispose();
        }
      });
    }

    it('rejects a missing input shape, an unknown input name, and a wrong input length', async () => {
      const w = weightsOf(8);
      await assert.rejects(loadOnnx(modelBytes(w)), (e) => e instanceof Error && /N|dim|shape/i.test(e.message));
      await assert.rejects(loadOnnx(modelBytes(w), { inputShapes: { nope: [1, C, H, W] } }), /nope/);
      const rt = await loadOnnx(modelBytes(w), { inputShapes: { x: [1, C, H, W] } });
      try {
        assert.throws(() => rt.run({ x: new Float32Array(5) }), /5 elements/);
        assert.throws(() => rt.run({ z: new Float32Array(C * H * W) }), /no input named 'z'/);
      } finally {
        rt.dispose();
      }
    });

    // loadOnnx reads the caller's bytes in place (no copy) after its awaits, in one synchronous
    // stretch: bytes detached while it waits are refused with the reason, nothing leaks, and the
    // same model from a live buffer loads.
    it('reads the bytes in place once ready: a buffer detached meanwhile is refused', async () => {
      (await loadOnnx(reluBytes())).dispose();
      const baseline = await settledHeap();
      const bytes = reluBytes();
      const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
      const pending = loadOnnx(buffer);
      structuredClone(buffer, { transfer: [buffer] });  // detaches it while loadOnnx waits
      assert.equal(buffer.byteLength, 0);
      await assert.rejects(pending, (e) => e instanceof Error && /empty/.test(e.message));
      assert.equal(await settledHeap(), baseline);
      const rt = await loadOnnx(new Uint8Array(reluBytes()).buffer);
      rt.dispose();
    });

    it('runs a one-node model with its declared shapes', async () => {
      const rt = await loadOnnx(reluBytes());
      try {
        assert.deepEqual(rt.inputs, [{ name: 'x', shape: [2, 3] }]);
        assert.deepEqual(rt.run({ x: new Float32Array([-1, 2, -3, 4, -0.5, 6]) }).y, new Float32Array([0, 2, 0, 4, 0, 6]));
      } finally {
        rt.dispose();
      }
    });

    it('rejects hostile bytes with the reason, leaking nothing', async () => {
      const w = weightsOf(9);
      const good = modelBytes(w);
      // Loaded once first, so that the importer module and its one-time allocations exist.
      (await loadOnnx(reluBytes())).dispose();
      const baseline = await settledHeap();
      const cases = hostileCases(good);
      const names = cases.map(([name]) => name).filter((name) => !/^byte \d+ changed$/.test(name));
      const refused = new Set();
      for (const [name, bytes] of cases) {
        let error = null;
        try {
          const rt = await loadOnnx(bytes, { inputShapes: { x: [1, C, H, W] } });
          try {
            // What loads must run (and give as many outputs as the model has).
            assert.equal(Object.keys(rt.run({ x: new Float32Array(C * H * W) })).length, rt.outputs.length);
          } finally {
            rt.dispose();
          }
        } catch (e) {
          error = e;
        }
        assert.equal(await settledHeap(), baseline, `${name}: the importer heap is back to its baseline`);
        if (error === null) continue;  // a changed byte may leave a valid model
        refused.add(name);
        assert.ok(error instanceof Error, `${name}: ${error}`);
        assert.match(error.message, /^loadOnnx: .{8,}/, `${name}: ${error.message}`);
      }
      // All but the changed bytes are rejected.
      assert.deepEqual(names.filter((n) => !refused.has(n)), []);
      await assert.rejects(loadOnnx(new Uint8Array(0)), /empty/);
      await assert.rejects(loadOnnx('model.onnx'), TypeError);
      await assert.rejects(loadOnnx(good, { inputShapes: { x: '1x3' } }), TypeError);
      await assert.rejects(loadOnnx(good, { inputShapes: { x: [1, 1.5, 2, 2] } }), RangeError);
      await assert.rejects(loadOnnx(good, 7), TypeError);
      assert.equal(await settledHeap(), baseline);
    });
  });
}
