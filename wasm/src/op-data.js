// The data-movement operators: Transpose, Pad, Concatenate, Split, Slice, DepthToSpace and
// SpaceToDepth (pnn_*_x32). They move float32 values by their bits. Parameters that C takes at
// reshape (a permutation, paddings, slice bounds, split sizes) are given to the constructor here
// (they are node attributes in a model) and read once, as copies; C judges them at the first
// run() or outputShape() and reports its reason. Shape and index arrays go to C through one
// temporary module allocation per reshape (withArrays), since they can exceed the scratch area.

import {
  MAX_DIMS, checkShape, captureInput, checkOutputLength, copyInput, dims, fail, inputLength,
  integer, number, outputArgument, params, quoted, shapeString, typedArraySet,
} from './check.js';
import { Operator } from './operator-base.js';
import { describeValue } from './runtime.js';

const INT64_MAX = (1n << 63n) - 1n;
const INT64_MIN = -(1n << 63n);

/** A copy of an array of integers (read once): unsigned 32-bit, or int64 bounds (±Infinity). */
export function integers(who, name, value, signed) {
  if (!Array.isArray(value)) fail(who, `${name} must be an array of integers, got ${describeValue(value)}`, TypeError);
  const copy = dims(who, name, value);
  for (let i = 0; i < copy.length; i++) {
    const v = copy[i];
    if (signed) {
      if (typeof v !== 'number' || !(Number.isSafeInteger(v) || v === Infinity || v === -Infinity)) {
        fail(who, `${name}[${i}] must be a safe integer or ±Infinity, got ${describeValue(v)}`,
             typeof v === 'number' ? RangeError : TypeError);
      }
    } else {
      integer(who, `${name}[${i}]`, v);
    }
  }
  return copy;
}

/**
 * Calls fn(ptrs) with `arrays` ([['u32' | 'i64', values], ...]) written to one temporary module
 * allocation (8-byte aligned parts); returns fn's result and frees the memory.
 */
export function withArrays(rt, who, arrays, fn) {
  const offsets = [];
  let bytes = 0;
  for (const [kind, values] of arrays) {
    offsets.push(bytes);
    bytes += Math.ceil((values.length * (kind === 'i64' ? 8 : 4)) / 8) * 8;
  }
  const base = rt.malloc(bytes, who, 'its shape arrays');
  try {
    const ptrs = offsets.map((o) => base + o);
    arrays.forEach(([kind, values], i) => {
      if (kind === 'i64') {
        const view = new BigInt64Array(rt.buffer, ptrs[i], values.length);
        values.forEach((v, j) => {
          view[j] = v === Infinity ? INT64_MAX : v === -Infinity ? INT64_MIN : BigInt(v);
        });
      } else {
        rt.u32(ptrs[i], values.length).set(values);
      }
    });
    return fn(ptrs);
  } finally {
    rt.free(base);
  }
}

function product(shape) { return shape.reduce((a, b) => a * b, 1); }

/**
 * Base of the one-input data operators. A subclass gives _plan(who, shape): { cName, arrays,
 * call(mod, handle, ptrs, pool) -> status, read(rt, ptrs) -> output shape }, and _setupName.
 */
class DataOperator extends Operator {
  // Creates the C operator: `cName`(...args, op_out).
  _open(cName, args) {
    this._create(cName, [], (mod, _, out) => mod[`_${cName}`](...args, out));
  }

  _shapeFor(rt, who, shape) {
    const plan = this._plan(shape);
    let out = null;
    return this._reshape(shape.join(','), plan.cName, () => ` for input shape ${shapeString(shape)}`,
      (handle) => withArrays(rt, who, plan.arrays, (ptrs) => {
        const code = plan.call(rt.mod, handle, ptrs, rt.pool);
        if (code === 0) out = plan.read(rt, ptrs);
        return code;
      }), () => out);
  }

  _inputShape(who, input, inputShape) {
    const shape = dims(who, 'input shape', inputShape === undefined || inputShape === null
      ? [inputLength(who, 'input', input)] : inputShape);
    return { who, shape, count: checkShape(who, 'input shape', shape, 1, MAX_DIMS) };
  }

  /** The output shape for an input of `inputShape` (C checks the operator's parameters). */
  outputShape(inputShape) {
    return this._guard('outputShape', () => {
      const who = `${this._name}.outputShape`;
      const shape = dims(who, 'input shape', inputShape);
      checkShape(who, 'input shape', shape, 1, MAX_DIMS);
      const out = this._shapeFor(this._resume('outputShape'), who, shape);
      return out.map((d) => (Array.isArray(d) ? d.slice() : d));  // copies: the cache stays ours
    });
  }

  /** input: Float32Array of shape inputShape (default [input.length]). */
  run(input, inputShape, output) {
    return this._guard('run', () => {
      const s = this._inputShape(`${this._name}.run`, input, inputShape);
      const rt = this._resume('run');
      return this._runSingle(s, input, output, () => this._shapeFor(rt, s.who, s.shape),
                             this._setupName, rt.mod[`_${this._setupName}`]);
    });
  }
}

/** Transpose N-D: output dim j is input dim perm[j]. */
export class Transpose extends DataOperator {
  constructor(parameters) {
    super('Transpose');
    const who = 'Transpose';
    this._perm = integers(who, 'perm', params(who, parameters).perm, false);
    this.perm = this._perm.slice();
    this._setupName = 'pnn_setup_transpose_nd_x32';
    this._open('pnn_create_transpose_nd_x32', [0]);
  }

  _plan(shape) {
    const n = shape.length;
    if (n !== this._perm.length) {
      fail(`${this._name}.run`, `input shape ${shapeString(shape)} has ${n} dimensions but perm has ${this._perm.length} entries`);
    }
    return {
      cName: 'pnn_reshape_transpose_nd_x32',
      arrays: [['u32', shape], ['u32', this._perm], ['u32', new Array(n).fill(0)]],
      call: (mod, handle, p, pool) => mod._pnn_reshape_transpose_nd_x32(handle, n, p[0], p[1], p[2], pool),
      read: (rt, p) => Array.from(rt.u32(p[2], n)),
    };
  }
}

const PAD_MODES = Object.freeze({ constant: 0, reflect: 1, edge: 2 });

/**
 * Pad's parameters { mode = 'constant', value = 0, pre, post }, each read once: { mode, code
 * (the C enum), value, pre, post }.
 */
export function padArguments(who, parameters) {
  const p = params(who, parameters);
  const modeArg = p.mode;  // each option is read once
  const mode = modeArg === undefined ? 'constant' : modeArg;
  if (typeof mode !== 'string' || !Object.prototype.hasOwnProperty.call(PAD_MODES, mode)) {
    fail(who, `mode must be 'constant', 'reflect' or 'edge', got ${quoted(mode)}`, TypeError);
  }
  const value = number(who, 'value', p.value, 0);
  const pre = integers(who, 'pre', p.pre, false);
  const post = integers(who, 'post', p.post, false);
  if (pre.length !== post.length) {
    fail(who, `pre and post must have one entry per dimension each, got ${pre.length} and ${post.length}`, RangeError);
  }
  return { mode, code: PAD_MODES[mode], value, pre, post };
}

/** Pad N-D (ONNX Pad): pre[i] + shape[i] + post[i] per dim; constant, reflect or edge. */
export class Pad extends DataOperator {
  constructor(parameters) {
    super('Pad');
    const { mode, code, value, pre, post } = padArguments('Pad', parameters);
    this._pre = pre;
    this._post = post;
    this.mode = mode;
    this._setupName = 'pnn_setup_pad_nd_x32';
    this._open('pnn_create_pad_nd_x32', [code, value, 0]);
  }

  _plan(shape) {
    const n = shape.length;
    if (n !== this._pre.length) {
      fail(`${this._name}.run`, `input shape ${shapeString(shape)} has ${n} dimensions but the paddings have ${this._pre.length}`);
    }
    return {
      cName: 'pnn_reshape_pad_nd_x32',
      arrays: [['u32', shape], ['u32', this._pre], ['u32', this._post], ['u32', new Array(n).fill(0)]],
      call: (mod, handle, p, pool) => mod._pnn_reshape_pad_nd_x32(handle, n, p[0], p[1], p[2], p[3], pool),
      read: (rt, p) => Array.from(rt.u32(p[3], n)),
    };
  }
}

/**
 * Slice's parameters { begins, ends, steps (optional) }, each read once: { _begins, _ends,
 * _steps (null when not given) }.
 */
export function sliceArguments(who, parameters) {
  const p = params(who, parameters);
  const begins = integers(who, 'begins', p.begins, true);
  const ends = integers(who, 'ends', p.ends, true);
  const stepsArg = p.steps;
  const steps = stepsArg === undefined ? null : integers(who, 'steps', stepsArg, true);
  if (ends.length !== begins.length || (steps !== null && steps.length !== begins.length)) {
    fail(who, 'begins, ends and steps must have one entry per dimension each', RangeError);
  }
  return { _begins: begins, _ends: ends, _steps: steps };
}

/** Slice N-D (ONNX Slice, steps >= 1): one begin, end (and step) per dimension. */
export class Slice extends DataOperator {
  constructor(parameters) {
    super('Slice');
    Object.assign(this, sliceArguments('Slice', parameters));
    this._setupName = 'pnn_setup_slice_nd_x32';
    this._open('pnn_create_slice_nd_x32', [0]);
  }

  _plan(shape) {
    const n = shape.length;
    if (n !== this._begins.length) {
      fail(`${this._name}.run`, `input shape ${shapeString(shape)} has ${n} dimensions but begins and ends have ${this._begins.length}`);
    }
    const arrays = [['u32', shape], ['i64', this._begins], ['i64', this._ends], ['u32', new Array(n).fill(0)]];
    if (this._steps !== null) arrays.push(['i64', this._steps]);
    return {
      cName: 'pnn_reshape_slice_nd_x32',
      arrays,
      call: (mod, handle, p, pool) => mod._pnn_reshape_slice_nd_x32(
        handle, n, p[0], p[1], p[2], this._steps === null ? 0 : p[4], p[3], pool),
      read: (rt, p) => Array.from(rt.u32(p[3], n)),
    };
  }
}

/**
 * The parameters { blockSize, mode ('DCR' (default) or 'CRD'; depth-to-space only) }, each read
 * once.
 */
export function blockArguments(who, parameters, toSpace) {
  const p = params(who, parameters);
  const blockSize = integer(who, 'blockSize', p.blockSize);
  if (!toSpace) return { blockSize, mode: null };
  const modeArg = p.mode;
  const mode = modeArg === undefined ? 'DCR' : modeArg;
  if (mode !== 'DCR' && mode !== 'CRD') fail(who, `mode must be 'DCR' or 'CRD', got ${quoted(mode)}`, TypeError);
  return { blockSize, mode };
}

/**
 * DepthToSpace (toSpace, with a mode 'DCR' (default) or 'CRD') and SpaceToDepth of NHWC
 * images: shape [N, H, W, C].
 */
class BlockOperator extends DataOperator {
  constructor(name, toSpace, parameters) {
    super(name);
    const { blockSize, mode } = blockArguments(name, parameters, toSpace);
    this.blockSize = blockSize;
    const kind = toSpace ? 'depth_to_space' : 'space_to_depth';
    this._reshapeName = `pnn_reshape_${kind}_nhwc_x32`;
    this._setupName = `pnn_setup_${kind}_nhwc_x32`;
    if (!toSpace) {
      this._open(`pnn_create_${kind}_nhwc_x32`, [blockSize, 0]);
      return;
    }
    this.mode = mode;
    this._open(`pnn_create_${kind}_nhwc_x32`, [blockSize, mode === 'CRD' ? 1 : 0, 0]);
  }

  _plan(shape) {
    if (shape.length !== 4) {
      fail(`${this._name}.run`, `input shape ${shapeString(shape)} must be [N, H, W, C]`);
    }
    return {
      cName: this._reshapeName,
      arrays: [['u32', [0, 0, 0]]],
      call: (mod, handle, p, pool) => mod[`_${this._reshapeName}`](handle, ...shape, p[0], p[0] + 4, p[0] + 8, pool),
      read: (rt, p) => [shape[0], ...rt.u32(p[0], 3)],
    };
  }
}

/** DepthToSpace (ONNX DepthToSpace on NHWC): { blockSize, mode: 'DCR' (default) | 'CRD' }. */
export class DepthToSpace extends BlockOperator {
  constructor(parameters) { super('DepthToSpace', true, parameters); }
}

/** SpaceToDepth (ONNX SpaceToDepth on NHWC): { blockSize }. */
export class SpaceToDepth extends BlockOperator {
  constructor(parameters) { super('SpaceToDepth', false, parameters); }
}

// An array argument of Float32Arrays (read once, each element checked for type).
function arrays(who, name, value, count, optional) {
  if (optional && (value === undefined || value === null)) return null;
  if (!Array.isArray(value)) fail(who, `${name} must be an array of Float32Arrays, got ${describeValue(value)}`, TypeError);
  const copy = dims(who, name, value);
  if (copy.length !== count) fail(who, `${name} has ${copy.length} entries, expected ${count}`, RangeError);
  return copy;
}

/** Concatenate `count` inputs along `axis` (0 .. rank - 1). */
export class Concatenate extends DataOperator {
  constructor(parameters) {
    super('Concatenate');
    const p = params('Concatenate', parameters);
    this.count = integer('Concatenate', 'count', p.count);
    this.axis = integer('Concatenate', 'axis', p.axis);
    this._open('pnn_create_concatenate_nd_x32', [this.count, this.axis, 0]);
  }

  _shapes(who, shapesArg) {
    const list = arrays(who, 'shapes', shapesArg, this.count, false);
    const shapes = list.map((s, k) => dims(who, `shapes[${k}]`, s));
    const counts = shapes.map((s, k) => checkShape(who, `shapes[${k}]`, s, 1, MAX_DIMS));
    return { shapes, counts };
  }

  _reshapeFor(rt, who, shapes) {
    const n = shapes[0].length;
    if (shapes.some((s) => s.length !== n)) {
      fail(who, `every input must have ${n} dimensions like shapes[0], got ${shapes.map(shapeString).join(', ')}`);
    }
    let out = null;
    return this._reshape(shapes.map((s) => s.join(',')).join(';'), 'pnn_reshape_concatenate_nd_x32',
      () => ` for shapes ${shapes.map(shapeString).join(', ')}`,
      (handle) => withArrays(rt, who, [['u32', shapes.flat()], ['u32', new Array(n).fill(0)]], (p) => {
        const code = rt.mod._pnn_reshape_concatenate_nd_x32(handle, n, p[0], p[1], rt.pool);
        if (code === 0) out = Array.from(rt.u32(p[1], n));
        return code;
      }), () => out);
  }

  /** The output shape for inputs of `shapes`. */
  outputShape(shapes) {
    return this._guard('outputShape', () => {
      const who = 'Concatenate.outputShape';
      const s = this._shapes(who, shapes);
      return this._reshapeFor(this._resume('outputShape'), who, s.shapes).slice();
    });
  }

  /** inputs: `count` Float32Arrays of `shapes`; returns (or fills) the concatenation. */
  run(inputs, shapes, output) {
    return this._guard('run', () => {
      const who = 'Concatenate.run';
      const list = arrays(who, 'inputs', inputs, this.count, false);
      const s = this._shapes(who, shapes);
      const rt = this._resume('run');
      const data = list.map((x, k) => captureInput(who, `inputs[${k}]`, x, s.shapes[k], s.counts[k]));
      const out = outputArgument(who, output);
      const outCount = product(this._reshapeFor(rt, who, s.shapes));
      checkOutputLength(who, out, outCount);
      const ptrs = this._buffers('run', [...s.counts.map((c, k) => [`input ${k}`, c]), ['output', outCount]]);
      const inPtrs = ptrs.slice(0, this.count);
      const outPtr = ptrs[this.count];
      this._setup(ptrs, 'pnn_setup_concatenate_nd_x32', (handle) =>
        withArrays(rt, who, [['u32', inPtrs]], (p) => rt.mod._pnn_setup_concatenate_nd_x32(handle, p[0], outPtr)));
      return this._execute(data.map((x, k) => [inPtrs[k], x, s.counts[k]]), outPtr, outCount, out);
    });
  }
}

/** Split along `axis` into parts of `sizes` (summing to the input's dimension there). */
export class Split extends DataOperator {
  constructor(parameters) {
    super('Split');
    const p = params('Split', parameters);
    this.axis = integer('Split', 'axis', p.axis);
    this._sizes = integers('Split', 'sizes', p.sizes, false);
    this.sizes = this._sizes.slice();
    this._open('pnn_create_split_nd_x32', [this._sizes.length, this.axis, 0]);
  }

  _shapeFor(rt, who, shape) {
    const n = shape.length;
    return this._reshape(shape.join(','), 'pnn_reshape_split_nd_x32', () => ` for input shape ${shapeString(shape)}`,
      (handle) => withArrays(rt, who, [['u32', shape], ['u32', this._sizes]], (p) =>
        rt.mod._pnn_reshape_split_nd_x32(handle, n, p[0], p[1], rt.pool)),
      () => this._sizes.map((size) => shape.map((d, i) => (i === this.axis ? size : d))));
  }

  // outputShape(inputShape) is DataOperator's: the output shapes, one per part.
  /** input: Float32Array of inputShape; returns (or fills `outputs`) the parts. */
  run(input, inputShape, outputs) {
    return this._guard('run', () => {
      const who = 'Split.run';
      const shape = dims(who, 'input shape', inputShape);
      const count = checkShape(who, 'input shape', shape, 1, MAX_DIMS);
      const outs = arrays(who, 'outputs', outputs, this._sizes.length, true);
      const rt = this._resume('run');
      const data = captureInput(who, 'input', input, shape, count);
      const checked = outs === null ? null : outs.map((o) => outputArgument(who, o));
      const counts = this._shapeFor(rt, who, shape).map(product);
      if (checked !== null) checked.forEach((o, k) => checkOutputLength(who, o, counts[k]));
      const ptrs = this._buffers('run', [['input', count], ...counts.map((c, k) => [`output ${k}`, c])]);
      const outPtrs = ptrs.slice(1);
      this._setup(ptrs, 'pnn_setup_split_nd_x32', (handle) =>
        withArrays(rt, who, [['u32', outPtrs]], (p) => rt.mod._pnn_setup_split_nd_x32(handle, ptrs[0], p[0])));
      const state = this._state;
      copyInput(rt.f32(ptrs[0], count), data);
      state.last = { shape: state.shape, pointers: state.pointers, setup: state.setup };
      this._run();
      return counts.map((c, k) => {
        const result = rt.f32(outPtrs[k], c);
        if (checked === null) return result.slice();
        typedArraySet.call(checked[k], result);
        return checked[k];
      });
    });
  }
}
