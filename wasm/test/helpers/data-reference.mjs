// References of the data-movement operators (Transpose, Pad, Slice, Concatenate, Split,
// DepthToSpace, SpaceToDepth): each output element found from its index by the definitions in
// include/portnn.h, as the input element it copies. They work on Uint32Array views, so the
// comparison is bit for bit (a NaN read into a JS number could lose its payload).

export function count(shape) { return shape.reduce((a, b) => a * b, 1); }

function strides(shape) {
  const s = new Array(shape.length);
  let v = 1;
  for (let d = shape.length - 1; d >= 0; d--) { s[d] = v; v *= shape[d]; }
  return s;
}

// out[o] = source(index of o) (an input offset, or -1 for `fill`), over outShape.
function gather(outShape, x, source, fill = 0) {
  const y = new Uint32Array(count(outShape));
  const idx = new Array(outShape.length).fill(0);
  for (let e = 0; e < y.length; e++) {
    const i = source(idx);
    y[e] = i < 0 ? fill : x[i];
    for (let d = outShape.length - 1; d >= 0; d--) {
      if (++idx[d] < outShape[d]) break;
      idx[d] = 0;
    }
  }
  return y;
}

function offset(st, idx) {
  let o = 0;
  for (let d = 0; d < idx.length; d++) o += idx[d] * st[d];
  return o;
}

export function transpose(shape, perm, x) {
  const st = strides(shape);
  return gather(perm.map((p) => shape[p]), x, (o) => {
    let i = 0;
    for (let j = 0; j < perm.length; j++) i += o[j] * st[perm[j]];
    return i;
  });
}

// mode 'constant' | 'reflect' | 'edge'; fillBits: the pad value's bits.
export function pad(shape, pre, post, mode, fillBits, x) {
  const st = strides(shape);
  return gather(shape.map((d, i) => pre[i] + d + post[i]), x, (o) => {
    let off = 0;
    for (let d = 0; d < shape.length; d++) {
      let k = o[d] - pre[d];
      const n = shape[d];
      if (k < 0 || k >= n) {
        if (mode === 'constant') return -1;
        if (mode === 'edge') k = k < 0 ? 0 : n - 1;
        else k = k < 0 ? -k : 2 * (n - 1) - k;
      }
      off += k * st[d];
    }
    return off;
  }, fillBits);
}

// ONNX Slice (steps >= 1); returns { shape, value }.
export function slice(shape, begins, ends, steps, x) {
  const st = strides(shape);
  const clampTo = (v, n) => Math.min(Math.max(v < 0 ? v + n : v, 0), n);
  const start = shape.map((n, d) => clampTo(begins[d], n));
  const out = shape.map((n, d) => {
    const e = clampTo(ends[d], n);
    return e > start[d] ? Math.ceil((e - start[d]) / steps[d]) : 0;
  });
  return {
    shape: out,
    value: gather(out, x, (o) => offset(st, o.map((v, d) => start[d] + v * steps[d]))),
  };
}

export function concatenate(shapes, axis, inputs) {
  const out = shapes[0].slice();
  out[axis] = shapes.reduce((a, s) => a + s[axis], 0);
  const y = new Uint32Array(count(out));
  const idx = new Array(out.length).fill(0);
  for (let e = 0; e < y.length; e++) {
    let k = 0;
    let a = idx[axis];
    while (a >= shapes[k][axis]) a -= shapes[k++][axis];
    const i = idx.slice();
    i[axis] = a;
    y[e] = inputs[k][offset(strides(shapes[k]), i)];
    for (let d = out.length - 1; d >= 0; d--) {
      if (++idx[d] < out[d]) break;
      idx[d] = 0;
    }
  }
  return { shape: out, value: y };
}

export function split(shape, axis, sizes, x) {
  const st = strides(shape);
  let begin = 0;
  return sizes.map((size) => {
    const ps = shape.slice();
    ps[axis] = size;
    const b = begin;
    begin += size;
    return gather(ps, x, (o) => offset(st, o.map((v, d) => (d === axis ? v + b : v))));
  });
}

// NHWC depth-to-space ('DCR' | 'CRD') and space-to-depth.
export function depthToSpace([n, h, w, c], b, mode, x) {
  const oc = c / (b * b);
  return gather([n, h * b, w * b, oc], x, ([on, oh, ow, ch]) => {
    const by = oh % b;
    const bx = ow % b;
    const ic = mode === 'CRD' ? (ch * b + by) * b + bx : (by * b + bx) * oc + ch;
    return ((on * h + Math.floor(oh / b)) * w + Math.floor(ow / b)) * c + ic;
  });
}

export function spaceToDepth([n, h, w, c], b, x) {
  return gather([n, h / b, w / b, c * b * b], x, ([on, oh, ow, ch]) => {
    const blk = Math.floor(ch / c);
    return ((on * h + oh * b + Math.floor(blk / b)) * w + ow * b + (blk % b)) * c + (ch % c);
  });
}
