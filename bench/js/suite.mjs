// The shapes of bench/suite.json as the JS benchmarks see them, with the same work counts as the
// native harness (bench/suite.cc): 2*MACs for gemm/conv, one operation per visited element for
// pooling and elementwise ops; and the per-shape data, identical for every implementation.
//
// Weights and biases of gemm/conv shapes come from the files bench/models/make_models.py writes
// next to the ONNX models (<name>.weights.bin: ONNX layout, W then B, float32 little-endian), so
// that portnn, TF.js and ONNX Runtime all compute the same function and their outputs can be
// cross-checked. Inputs are generated here from a fixed seed per shape.

import { readBytes } from './env.mjs';

export const SECTIONS = Object.freeze(['gemm', 'conv', 'pool', 'elementwise']);

function size(entry, key, allowZero = false) {
  const v = entry[key];
  if (!Number.isInteger(v) || v < (allowZero ? 0 : 1)) {
    throw new Error(`suite: ${entry.name}: "${key}" must be an integer >= ${allowZero ? 0 : 1}`);
  }
  return v;
}

/** Parses the suite JSON into a flat list of shapes in section order. */
export function parseSuite(suite) {
  const shapes = [];
  for (const section of SECTIONS) {
    for (const e of suite[section] || []) {
      const s = { section, name: e.name };
      if (typeof e.name !== 'string' || e.name === '') throw new Error('suite: an entry has no name');
      if (section === 'gemm') {
        s.m = size(e, 'm'); s.k = size(e, 'k'); s.n = size(e, 'n');
        s.flops = 2 * s.m * s.n * s.k;
        s.inputShape = [s.m, s.k];
        s.outputShape = [s.m, s.n];
      } else if (section === 'conv' || section === 'pool') {
        s.h = size(e, 'h'); s.w = size(e, 'w');
        if (section === 'conv') {
          s.cin = size(e, 'cin'); s.cout = size(e, 'cout');
          s.groups = e.groups === undefined ? 1 : size(e, 'groups');
          if (s.cin % s.groups || s.cout % s.groups) throw new Error(`suite: ${e.name}: channels not divisible by groups`);
        } else {
          s.op = e.op;
          s.cin = s.cout = size(e, 'c');
        }
        if (section === 'conv' || s.op !== 'global_avg') {
          s.k = size(e, 'k'); s.s = size(e, 's'); s.p = size(e, 'p', true);
          s.oh = Math.floor((s.h + 2 * s.p - s.k) / s.s) + 1;
          s.ow = Math.floor((s.w + 2 * s.p - s.k) / s.s) + 1;
          if (s.oh < 1 || s.ow < 1) throw new Error(`suite: ${e.name}: empty output`);
        } else {
          s.oh = 1; s.ow = 1;
        }
        if (section === 'conv') {
          s.flops = 2 * s.oh * s.ow * s.cout * s.k * s.k * (s.cin / s.groups);
          s.depthwise = s.groups === s.cin && s.groups === s.cout;
        } else if (s.op === 'global_avg') {
          s.flops = s.h * s.w * s.cin;
        } else if (s.op === 'max' || s.op === 'avg') {
          s.flops = s.oh * s.ow * s.cin * s.k * s.k;
        } else {
          throw new Error(`suite: ${e.name}: unknown pool op "${s.op}"`);
        }
        s.inputShape = [1, s.h, s.w, s.cin];
        s.outputShape = s.op === 'global_avg' ? [1, s.cout] : [1, s.oh, s.ow, s.cout];
      } else {
        s.op = e.op;
        if (s.op === 'softmax') {
          s.rows = size(e, 'rows'); s.cols = size(e, 'cols');
          s.count = s.rows * s.cols;
          s.inputShape = [s.rows, s.cols];
        } else if (['relu', 'sigmoid', 'tanh', 'hardswish', 'gelu', 'add'].includes(s.op)) {
          s.count = size(e, 'n');
          s.inputShape = [s.count];
        } else {
          throw new Error(`suite: ${e.name}: unknown elementwise op "${s.op}"`);
        }
        s.outputShape = s.inputShape.slice();
        s.flops = s.count;
        s.bytes = (s.op === 'add' ? 12 : 8) * s.count;
      }
      s.inputCount = s.inputShape.reduce((a, b) => a * b, 1);
      s.outputCount = s.outputShape.reduce((a, b) => a * b, 1);
      shapes.push(s);
    }
  }
  return shapes;
}

export async function loadSuite(location = 'bench/suite.json') {
  return parseSuite(JSON.parse(new TextDecoder().decode(await readBytes(location))));
}

/** Shapes whose "section/name" matches the regular expression (all when it is empty). */
export function filterShapes(shapes, pattern) {
  if (!pattern) return shapes;
  const re = new RegExp(pattern);
  return shapes.filter((s) => re.test(`${s.section}/${s.name}`));
}

// FNV-1a of the shape's name: the seed of its input data.
function seedOf(text) {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

// xorshift32: fast and good enough for benchmark data.
function fillUniform(array, seed, lo, hi) {
  let x = seed || 1;
  const scale = (hi - lo) / 4294967296;
  for (let i = 0; i < array.length; i++) {
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    array[i] = lo + x * scale;
  }
  return array;
}

/**
 * The data of a shape: { input, input2 (add only), weights, bias } in portnn's layouts (NHWC;
 * gemm W[n][k]; conv [cout][kh][kw][cin/groups]) plus `onnxWeights` (the file's W, ONNX layout).
 * `modelsDir`: where make_models.py wrote the weights (relative to the repository root).
 */
export async function makeShapeData(shape, modelsDir) {
  const seed = seedOf(`${shape.section}/${shape.name}`);
  const lo = shape.section === 'elementwise' ? -6 : -1;
  const hi = -lo;
  const data = { input: fillUniform(new Float32Array(shape.inputCount), seed, lo, hi) };
  if (shape.op === 'add') data.input2 = fillUniform(new Float32Array(shape.inputCount), seed + 1, lo, hi);
  if (shape.section === 'gemm' || shape.section === 'conv') {
    const file = `${modelsDir.replace(/\/?$/, '/')}${shape.name}.weights.bin`;
    let bytes;
    try {
      bytes = await readBytes(file);
    } catch (e) {
      throw new Error(`${file}: ${e.message} (run bench/models/make_models.py first; scripts/bench.sh does)`);
    }
    const f = new Float32Array(bytes);
    const wCount = shape.section === 'gemm' ? shape.n * shape.k
                                            : shape.cout * (shape.cin / shape.groups) * shape.k * shape.k;
    const bCount = shape.section === 'gemm' ? shape.n : shape.cout;
    if (f.length !== wCount + bCount) {
      throw new Error(`${file}: ${f.length} floats, expected ${wCount + bCount} (stale models? rerun make_models.py)`);
    }
    data.onnxWeights = f.subarray(0, wCount);
    data.bias = f.slice(wCount);
    if (shape.section === 'gemm') {
      data.weights = f.slice(0, wCount);  // [n][k] in both
    } else {
      // ONNX [cout][gic][kh][kw] -> portnn [cout][kh][kw][gic].
      const gic = shape.cin / shape.groups;
      const k = shape.k;
      const w = new Float32Array(wCount);
      for (let o = 0; o < shape.cout; o++) {
        for (let i = 0; i < gic; i++) {
          for (let y = 0; y < k; y++) {
            for (let x = 0; x < k; x++) w[((o * k + y) * k + x) * gic + i] = f[((o * gic + i) * k + y) * k + x];
          }
        }
      }
      data.weights = w;
    }
  }
  return data;
}

/** NHWC [1,H,W,C] -> NCHW [1,C,H,W] (or back with `inverse`). */
export function transposeImage(src, h, w, c, inverse = false) {
  const dst = new Float32Array(src.length);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      for (let ch = 0; ch < c; ch++) {
        const nhwc = (y * w + x) * c + ch;
        const nchw = (ch * h + y) * w + x;
        if (inverse) dst[nhwc] = src[nchw]; else dst[nchw] = src[nhwc];
      }
    }
  }
  return dst;
}
