// MobileNet v2 (width 1.0) as data, the JS twin of examples/mobilenet-v2.h: the same layers and
// the same weights from the same seed (the xorshift32 stream gives identical floats), so the
// browser, Node and native programs run one network. defineGraph() builds it with portnn's
// Graph (wasm/ package); the relu6 clamps are their own nodes, which the runtime fuses.
//
//   import { build, defineGraph, image } from './mobilenet-v2.mjs';
//   const model = build(42);
//   const g = new Graph();
//   const { input, output } = defineGraph(g, model, 224, 224);
//   const rt = g.createRuntime();
//   const logits = rt.run({ [input]: image(224, 224, 7) })[output];

export const MODEL_INPUT = -1;

/** xorshift32 floats in [-1, 1): 24 random bits each (as ModelRandom in mobilenet-v2.h). */
export class ModelRandom {
  constructor(seed) { this.state = (seed >>> 0) || 1; }
  next() {
    let x = this.state;
    x = (x ^ (x << 13)) >>> 0;
    x = (x ^ (x >>> 17)) >>> 0;
    x = (x ^ (x << 5)) >>> 0;
    this.state = x;
    return Math.fround(Math.fround((x >>> 8) * (2 / 16777216)) - 1);
  }
}

/** The layers ({kind, input, input2, kernel, stride, groups, cin, cout, relu6, weights, bias}) and params. */
export function build(seed, classes = 1000) {
  const rng = new ModelRandom(seed);
  const values = [];
  const layers = [];
  const addParams = (count, scale) => {
    const at = values.length;
    const s = Math.fround(scale);
    for (let i = 0; i < count; i++) values.push(Math.fround(s * rng.next()));
    return at;
  };
  const conv = (input, kernel, stride, groups, cin, cout, relu6) => {
    const fanIn = kernel * kernel * (cin / groups);
    const weights = addParams(cout * kernel * kernel * (cin / groups),
                              Math.sqrt(Math.fround((relu6 ? 6 : 3) / fanIn)));
    const bias = addParams(cout, 0.05);
    layers.push({ kind: 'conv', input, kernel, stride, groups, cin, cout, relu6, weights, bias });
    return layers.length - 1;
  };
  let x = conv(MODEL_INPUT, 3, 2, 1, 3, 32, true);
  let c = 32;
  const blocks = [[1, 16, 1, 1], [6, 24, 2, 2], [6, 32, 3, 2], [6, 64, 4, 2], [6, 96, 3, 1],
                  [6, 160, 3, 2], [6, 320, 1, 1]];
  for (const [t, out, n, s] of blocks) {
    for (let i = 0; i < n; i++) {
      const stride = i === 0 ? s : 1;
      const hidden = c * t;
      let y = x;
      if (t !== 1) y = conv(y, 1, 1, 1, c, hidden, true);
      y = conv(y, 3, stride, hidden, hidden, hidden, true);
      y = conv(y, 1, 1, 1, hidden, out, false);
      if (stride === 1 && c === out) {
        layers.push({ kind: 'add', input: x, input2: y, cin: out, cout: out });
        y = layers.length - 1;
      }
      x = y;
      c = out;
    }
  }
  x = conv(x, 1, 1, 1, c, 1280, true);
  layers.push({ kind: 'gap', input: x, cin: 1280, cout: 1280 });
  const weights = addParams(classes * 1280, Math.sqrt(Math.fround(3 / 1280)));
  const bias = addParams(classes, 0.05);
  layers.push({ kind: 'fc', input: layers.length - 1, cin: 1280, cout: classes, weights, bias });
  return { layers, params: Float32Array.from(values), classes };
}

/** Defines the model in `graph` (a portnn Graph): returns { input, output } value ids. */
export function defineGraph(graph, model, height, width) {
  const input = graph.input([1, height, width, 3]);
  const ids = [];
  const p = model.params;
  model.layers.forEach((l, i) => {
    const x = l.input === MODEL_INPUT ? input : ids[l.input];
    const last = i === model.layers.length - 1;
    const out = last ? graph.output() : graph.value();
    ids.push(out);
    if (l.kind === 'conv') {
      const gic = l.cin / l.groups;
      const pad = l.kernel >> 1;
      const w = graph.constant(p.subarray(l.weights, l.weights + l.cout * l.kernel * l.kernel * gic),
                               [l.cout, l.kernel, l.kernel, gic]);
      const b = graph.constant(p.subarray(l.bias, l.bias + l.cout), [l.cout]);
      const raw = l.relu6 ? graph.value() : out;
      graph.convolution2D({ kernelHeight: l.kernel, kernelWidth: l.kernel, strideHeight: l.stride,
                            strideWidth: l.stride, paddingTop: pad, paddingBottom: pad,
                            paddingLeft: pad, paddingRight: pad, groups: l.groups,
                            groupInputChannels: gic, groupOutputChannels: l.cout / l.groups },
                          x, w, b, raw);
      if (l.relu6) graph.unary('relu6', undefined, raw, out);
    } else if (l.kind === 'add') {
      graph.binary('add', undefined, x, ids[l.input2], out);
    } else if (l.kind === 'gap') {
      graph.globalAveragePooling(undefined, x, out);
    } else {
      const w = graph.constant(p.subarray(l.weights, l.weights + l.cout * l.cin), [l.cout, l.cin]);
      const b = graph.constant(p.subarray(l.bias, l.bias + l.cout), [l.cout]);
      graph.fullyConnected(undefined, x, w, b, out);
    }
  });
  return { input, output: ids[ids.length - 1] };
}

/** A test image [height][width][3]: xorshift floats in [-1, 1) from `seed`. */
export function image(height, width, seed) {
  const rng = new ModelRandom(seed);
  const x = new Float32Array(height * width * 3);
  for (let i = 0; i < x.length; i++) x[i] = rng.next();
  return x;
}
