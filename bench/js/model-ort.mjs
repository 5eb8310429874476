// ONNX Runtime Web's side of the model benchmark (bench/js/model.mjs): onnxruntime-web (its
// WebAssembly provider) on bench/models/mobilenet_v2_onnx.py's export of the same weights, NCHW:
// the image is transposed once beforehand, the logits [1, classes] need no transposition.
// Loading and threads are the suite's (impl-ort.mjs: the thread count is the page's, fixed at
// ONNX Runtime's first use); only prepare() differs.
//
// Creation = InferenceSession.create from the file's bytes (graph optimizations, Conv + Clip
// fused, weights pre-packed). ONNX Runtime loads and starts its WebAssembly module inside the
// first create of a page or process (a second or more here): that first session is made and
// released untimed, so that the figure is the model's creation, as portnn's and TF.js's are
// (their modules start in open()). The figure is the suite's ort figure: one session.run() with a
// pre-allocated output tensor reused across calls (the image copied in, the whole graph run, the
// result left in module memory); the cross-check reads the logits from one plain run().
import { ortImpl } from './impl-ort.mjs';

// A fresh object per session: InferenceSession.create adds its defaults to the one it is given.
const sessionOptions = () => ({ executionProviders: ['wasm'], graphOptimizationLevel: 'all' });
let started = false;  // ONNX Runtime's module started (once per page or process)

export function ortModelImpl({ threads = 1, modelsDir, env }) {
  const impl = ortImpl({ threads, modelsDir, env });
  impl.includes = 'session.run() with a reused pre-allocated output: image copied in, whole graph; logits stay in wasm memory (NCHW model)';
  impl.prepare = async (shape, data) => {
    const ort = await import('onnxruntime-web');
    if (!started) {
      await (await ort.InferenceSession.create(data.onnx, sessionOptions())).release();
      started = true;
    }
    const t0 = performance.now();
    const session = await ort.InferenceSession.create(data.onnx, sessionOptions());
    const t1 = performance.now();
    const feeds = { input: new ort.Tensor('float32', data.imageNchw, [1, 3, shape.size, shape.size]) };
    const fetches = { logits: new ort.Tensor('float32', new Float32Array(shape.outputCount), [1, shape.outputCount]) };
    const run = () => session.run(feeds, fetches);
    await run();
    const t2 = performance.now();
    const plain = (await session.run(feeds)).logits;
    const output = Float32Array.from(plain.data);
    plain.dispose();
    return {
      kernel: 'InferenceSession (wasm)',
      output,
      run,
      dispose: () => session.release(),
      fields: { includes: 'session.run', create_ms: t1 - t0, first_ms: t2 - t1 },
    };
  };
  return impl;
}
