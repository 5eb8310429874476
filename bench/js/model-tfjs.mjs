// TF.js's side of the model benchmark (bench/js/model.mjs): MobileNet v2 written with TF.js ops
// on its WebAssembly backend (XNNPACK inside), NHWC, as a Keras MobileNetV2 runs there: each
// convolution is tf.fused.conv2d or tf.fused.depthwiseConv2d with the bias and relu6 fused,
// explicit symmetric padding (kernel / 2, as the examples define it: TF's 'same' would pad a
// stride-2 layer on one side only), the residual adds tf.add, global average pooling tf.mean over
// H and W, the classifier tf.fused.matMul with the bias. Loading (binary, paths, flags) is the
// suite's (impl-tfjs.mjs); only prepare() differs.
//
// The weights are converted once to TF's layouts before anything is timed (a TF.js model stores
// them so): convolution [cout][kh][kw][cin] -> [kh][kw][cin][cout], depthwise [c][kh][kw][1] ->
// [kh][kw][c][1], classifier [classes][1280] -> [1280][classes]. Creation = uploading them as
// tensors; the first call creates the XNNPACK operators and packs the weights (first_ms).
// The figure is one predict-like call: the whole network in a tf.tidy() (intermediates freed
// as a model's predict frees them) on the input tensor already on the backend, the logits
// kept on the backend and read with dataSync(), so every kernel has run.
import { MODEL_INPUT } from '../../examples/mobilenet-v2.mjs';
import { tfjsImpl } from './impl-tfjs.mjs';

// The examples' layers with their weights in TF's layouts (plain arrays; no TF.js needed).
function tfLayers(model) {
  const p = model.params;
  return model.layers.map((l) => {
    if (l.kind === 'conv') {
      const k = l.kernel;
      const gic = l.cin / l.groups;
      const depthwise = l.groups > 1;
      if (depthwise && (gic !== 1 || l.cout !== l.groups)) throw new Error('tfjs: grouped convolution that is not depthwise');
      const filter = new Float32Array(l.cout * k * k * gic);
      for (let o = 0; o < l.cout; o++) {
        for (let t = 0; t < k * k; t++) {
          for (let i = 0; i < gic; i++) {
            const v = p[l.weights + (o * k * k + t) * gic + i];
            filter[depthwise ? t * l.cout + o : (t * l.cin + i) * l.cout + o] = v;
          }
        }
      }
      return { ...l, depthwise, filter, filterShape: depthwise ? [k, k, l.cin, 1] : [k, k, l.cin, l.cout],
               biasData: p.slice(l.bias, l.bias + l.cout) };
    }
    if (l.kind === 'fc') {
      const kn = new Float32Array(l.cin * l.cout);
      for (let o = 0; o < l.cout; o++) {
        for (let i = 0; i < l.cin; i++) kn[i * l.cout + o] = p[l.weights + o * l.cin + i];
      }
      return { ...l, filter: kn, filterShape: [l.cin, l.cout], biasData: p.slice(l.bias, l.bias + l.cout) };
    }
    return l;
  });
}

export function tfjsModelImpl({ env }) {
  const impl = tfjsImpl({ variant: 'simd', env });
  impl.includes = 'one predict-like call: input tensor on the backend, all ops in tf.tidy, logits read with dataSync()';
  impl.prepare = async (shape, data) => {
    const tf = await import('@tensorflow/tfjs-core');
    const layers = tfLayers(data.model);
    const t0 = performance.now();
    const kept = [];  // tensors that live as long as the instance
    const keep = (t) => { kept.push(t); return t; };
    const w = layers.map((l) => (l.filter ? { filter: keep(tf.tensor(l.filter, l.filterShape)), bias: keep(tf.tensor1d(l.biasData)) } : null));
    const x = keep(tf.tensor4d(data.image, [1, shape.size, shape.size, 3]));
    const t1 = performance.now();
    const forward = () => {
      const t = [];
      layers.forEach((l, i) => {
        const input = l.input === MODEL_INPUT ? x : t[l.input];
        if (l.kind === 'conv') {
          const args = { x: input, filter: w[i].filter, bias: w[i].bias, strides: l.stride,
                         pad: l.kernel > 1 ? l.kernel >> 1 : 'valid', activation: l.relu6 ? 'relu6' : 'linear' };
          t.push(l.depthwise ? tf.fused.depthwiseConv2d(args) : tf.fused.conv2d(args));
        } else if (l.kind === 'add') {
          t.push(tf.add(input, t[l.input2]));
        } else if (l.kind === 'gap') {
          t.push(tf.mean(input, [1, 2]));
        } else {
          t.push(tf.fused.matMul({ a: input, b: w[i].filter, bias: w[i].bias }));
        }
      });
      return t[t.length - 1];
    };
    const predict = () => {
      const y = tf.tidy(forward);
      const logits = y.dataSync();
      y.dispose();
      return logits;
    };
    const output = Float32Array.from(predict());
    const t2 = performance.now();
    return {
      kernel: 'fused.conv2d, fused.depthwiseConv2d, add, mean, fused.matMul',
      output,
      run: predict,
      dispose: () => { for (const t of kept) t.dispose(); },
      fields: { includes: 'predict', create_ms: t1 - t0, first_ms: t2 - t1 },
    };
  };
  return impl;
}
