// ONNX Runtime Web (onnxruntime-web, its WebAssembly execution provider: one SIMD + threads
// binary) on the benchmark shapes, through the one-operator ONNX models that
// bench/models/make_models.py writes at build time. The models are NCHW, as ONNX operators are:
// convolution and pooling inputs are given to it transposed (outside the timed region).
//
// The figure is one `await session.run(feeds, fetches)` with a pre-allocated output tensor reused
// across runs, ONNX Runtime Web's cheapest CPU call: it copies the input's Float32Array into
// module memory, copies the pre-allocated output's array there too (it binds a module copy of
// it), runs, and leaves the result in module memory without copying it back (that Float32Array
// keeps its old contents). Two copies of the data per call, as portnn's run() (copy in, copy out),
// which is the figure to compare it with; there is no ONNX Runtime Web API that keeps CPU tensors
// in module memory between runs. The cross-check reads the result from one plain run() (no
// pre-allocated output), outside the timing.

import { transposeImage } from './suite.mjs';

const ORT_DIST = 'node_modules/onnxruntime-web/dist/';

// The model's operator (bench/models/make_models.py), for the reports.
function onnxOp(s) {
  if (s.section === 'gemm') return 'Gemm';
  if (s.section === 'conv') return 'Conv';
  if (s.section === 'pool') return { max: 'MaxPool', avg: 'AveragePool', global_avg: 'GlobalAveragePool' }[s.op];
  return { relu: 'Relu', sigmoid: 'Sigmoid', tanh: 'Tanh', hardswish: 'HardSwish', add: 'Add',
           softmax: 'Softmax', gelu: 'com.microsoft.Gelu' }[s.op];
}

/** threads: ONNX Runtime's intra-op threads (more than 1 needs a cross-origin-isolated page). */
export function ortImpl({ threads = 1, modelsDir, env }) {
  let ort = null;
  return {
    impl: 'ort-web',
    variant: 'simd-threaded',
    threads,
    label: `ort-web ${threads}T`,
    includes: 'session.run() with a reused pre-allocated output: copies input and output buffer in, runs; result stays in wasm memory (NCHW model)',
    async open() {
      ort = await import('onnxruntime-web');
      ort.env.wasm.numThreads = threads;
      ort.env.wasm.proxy = false;
      if (!env.isNode) ort.env.wasm.wasmPaths = new URL(ORT_DIST, env.REPO_ROOT).href;
      ort.env.logLevel = 'error';
      return { version: ort.env.versions ? ort.env.versions.web || ort.env.versions.common : '?', threads };
    },
    async prepare(shape, data) {
      const s = shape;
      const dir = modelsDir.replace(/\/?$/, '/');
      const bytes = await env.readBytes(`${dir}${s.name}.onnx`);
      const session = await ort.InferenceSession.create(new Uint8Array(bytes), {
        executionProviders: ['wasm'],
        graphOptimizationLevel: 'all',
        intraOpNumThreads: threads,
      });
      const image = s.section === 'conv' || s.section === 'pool';
      const dims = image ? [1, s.cin, s.h, s.w] : s.inputShape;
      const x = image ? transposeImage(data.input, s.h, s.w, s.cin) : data.input;
      const feeds = { x: new ort.Tensor('float32', x, dims) };
      if (s.op === 'add') feeds.y = new ort.Tensor('float32', data.input2, dims);
      const outDims = image ? [1, s.cout, s.oh, s.ow] : s.outputShape;
      const out = new ort.Tensor('float32', new Float32Array(s.outputCount), outDims);
      const fetches = { out };
      const run = () => session.run(feeds, fetches);
      await run();
      // The result in NHWC order for the cross-check, from a run that copies it back.
      const plain = (await session.run(feeds)).out;
      const output = image && s.op !== 'global_avg'
        ? transposeImage(plain.data, s.oh, s.ow, s.cout, true) : Float32Array.from(plain.data);
      plain.dispose();
      return {
        kernel: onnxOp(s),
        output,
        run,
        dispose: () => session.release(),
      };
    },
    async close() {},
  };
}
