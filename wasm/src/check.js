// Argument checks of the operator classes: JS-level types only. Is it a number, an integer that
// fits the C parameter's uint32_t, a boolean, an object, a Float32Array of the length its shape
// needs, an array of dimensions? What the C library then accepts (a stride of 0, min > max, a
// window larger than the padded input...) is the C library's to say, with its reason
// (operator-base.js reads pnn_last_error_message()); nothing here copies those rules.
//
// Every argument is captured exactly once. Options, shape elements and plain-array weights are
// read once into private copies (a getter, proxy or valueOf runs at most once, here); typed arrays
// are measured with the intrinsic accessors (a subclass or an own `length` cannot fake them), and
// only after every piece of the caller's code has run (capture*()). Nothing of the caller's runs
// between that measurement and the copy into module memory, so a resizable buffer shrunk or
// detached by a getter is seen as it is. Only another thread can change a length then: a
// length-tracking view of a growable SharedArrayBuffer. Its copy is the snapshot of the measured
// length (copyInput(); weights as fixed-length views), never more, never past the module buffer.
//
// Messages name the operator (and method), the argument and the problem: a TypeError for a value
// of the wrong type, a RangeError for a number out of range, an Error for lengths and shapes that
// disagree.

import { describeValue } from './runtime.js';

export const U32_MAX = 0xffffffff;
export const MAX_DIMS = 6;  // PNN_MAX_DIMS

// The most float32 elements a buffer can have: its bytes must fit the 32-bit size_t of wasm32.
export const MAX_ELEMENTS = Math.floor(U32_MAX / 4);

const TypedArrayPrototype = Object.getPrototypeOf(Float32Array.prototype);
const accessor = (key) => Object.getOwnPropertyDescriptor(TypedArrayPrototype, key).get;
const typedArrayTag = accessor(Symbol.toStringTag);
const typedArrayLength = accessor('length');
const typedArrayBuffer = accessor('buffer');
const typedArrayByteOffset = accessor('byteOffset');
export const typedArraySet = TypedArrayPrototype.set;

// The intrinsic constructors by tag, for fixed-length views of any (non-BigInt) typed array.
const VIEW = {
  Float32Array, Float64Array, Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array,
  Int32Array, Uint32Array,
};

export function fail(who, message, ErrorClass = Error) {
  throw new ErrorClass(`${who}: ${message}`);
}

export function isFloat32Array(value) { return typedArrayTag.call(value) === 'Float32Array'; }
export function lengthOf(typedArray) { return typedArrayLength.call(typedArray); }

// A view of the first `count` elements of `typedArray` (tag `type`) whose length is fixed now:
// later growth of a length-tracking view's buffer does not change it.
function fixedView(type, typedArray, count) {
  return new VIEW[type](typedArrayBuffer.call(typedArray), typedArrayByteOffset.call(typedArray),
                        count);
}

/** An integer parameter that fits the C uint32_t/size_t it becomes; `fallback` when undefined. */
export function integer(who, name, value, fallback) {
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > U32_MAX) {
    fail(who, `${name} must be an integer in [0, ${U32_MAX}], got ${describeValue(value)}`,
         typeof value === 'number' ? RangeError : TypeError);
  }
  return value;
}

export function number(who, name, value, fallback) {
  if (value === undefined) return fallback;
  if (typeof value !== 'number') fail(who, `${name} must be a number, got ${describeValue(value)}`, TypeError);
  return value;
}

/** A fused clamp's bounds, outputMin then outputMax, each read once: [min, max]. */
export function outputClamp(who, p) {
  return [number(who, 'outputMin', p.outputMin, -Infinity), number(who, 'outputMax', p.outputMax, Infinity)];
}

export function boolean(who, name, value) {
  if (value === undefined) return false;
  if (typeof value !== 'boolean') fail(who, `${name} must be a boolean, got ${describeValue(value)}`, TypeError);
  return value;
}

/** The parameters object (undefined: none); its properties are read once each by the caller. */
export function params(who, p) {
  if (p === undefined) return {};
  if (p === null || typeof p !== 'object') {
    fail(who, `parameters must be an object, got ${describeValue(p)}`, TypeError);
  }
  return p;
}

/** A string argument quoted as given, anything else described. */
export function quoted(value) {
  return typeof value === 'string' ? `'${value}'` : describeValue(value);
}

export function shapeString(shape) {
  if (!Array.isArray(shape)) return describeValue(shape);
  const show = (d) => (typeof d === 'number' ? String(d) : typeof d === 'string' ? `'${d}'`
    : typeof d === 'bigint' ? `${d}n` : d === null ? 'null' : typeof d === 'object' ? 'object' : String(typeof d));
  return `[${shape.map(show).join(', ')}]`;
}

/**
 * A private copy of a shape argument, each dimension read once; arguments that are not arrays
 * are returned as they are for checkShape() to reject.
 */
export function dims(who, name, shape) {
  if (!Array.isArray(shape)) return shape;
  const rank = shape.length;
  if (rank > 64) fail(who, `${name} has ${rank} dimensions, more than any operator takes`, RangeError);
  const copy = new Array(rank);
  for (let i = 0; i < rank; i++) copy[i] = shape[i];
  return copy;
}

/** Checks a copied shape (array of integers >= 1, rank in range); returns its element count. */
export function checkShape(who, name, shape, minRank, maxRank) {
  if (!Array.isArray(shape)) {
    fail(who, `${name} must be an array of dimensions, got ${describeValue(shape)}`, TypeError);
  }
  if (shape.length < minRank || shape.length > maxRank) {
    const want = minRank === maxRank ? `${minRank}` : `${minRank} to ${maxRank}`;
    fail(who, `${name} ${shapeString(shape)} must have ${want} dimensions`, RangeError);
  }
  let count = 1;
  for (let i = 0; i < shape.length; i++) {
    const d = shape[i];
    if (typeof d !== 'number' || !Number.isInteger(d) || d < 1 || d > U32_MAX) {
      fail(who, `${name} ${shapeString(shape)} must hold integers >= 1 (up to ${U32_MAX}), but dimension ${i} is ${describeValue(d)}`,
           typeof d === 'number' ? RangeError : TypeError);
    }
    count *= d;
  }
  if (count > MAX_ELEMENTS) {
    fail(who, `${name} ${shapeString(shape)} has ${count} elements, more than the ${MAX_ELEMENTS} a WebAssembly (wasm32) buffer can hold`, RangeError);
  }
  return count;
}

/** The input Float32Array's length, before its shape is known (a type error otherwise). */
export function inputLength(who, name, data) {
  if (!isFloat32Array(data)) fail(who, `${name} must be a Float32Array, got ${describeValue(data)}`, TypeError);
  return lengthOf(data);
}

/**
 * An input: a Float32Array of exactly `count` elements. Call it after the caller's code (shape
 * getters...) has run, and copy it in (copyInput()) before any more runs.
 */
export function captureInput(who, name, data, shape, count) {
  const length = inputLength(who, name, data);
  if (length !== count) {
    fail(who, `${name} has ${length} elements but its shape ${shapeString(shape)} needs ${count}`);
  }
  return data;
}

/**
 * Copies a captured input into `target` (a module view of its measured length). A source that
 * another thread grew since (a length-tracking view of a growable SharedArrayBuffer) no longer
 * fits, which set() refuses before writing anything: then its first target.length elements, the
 * snapshot measured, are copied. (A fixed-length view for every copy would cost an allocation
 * per input per run.)
 */
export function copyInput(target, data) {
  try {
    typedArraySet.call(target, data);
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    typedArraySet.call(target, fixedView('Float32Array', data, lengthOf(target)));
  }
}

/**
 * The shape of a [..., channels] input (read once), or [length / channels, channels] when none
 * is given; `noun` names the channel count in messages. Returns { who, shape, count }.
 */
export function rowsShape(who, input, inputShape, channels, noun) {
  let shape = inputShape;
  if (shape === undefined || shape === null) {
    const length = inputLength(who, 'input', input);
    if (length === 0 || length % channels !== 0) {
      fail(who, `input has ${length} elements, not a positive multiple of ${noun} = ${channels}`);
    }
    shape = [length / channels, channels];
  }
  shape = dims(who, 'input shape', shape);
  const count = checkShape(who, 'input shape', shape, 1, 32);
  if (shape[shape.length - 1] !== channels) {
    fail(who, `input shape ${shapeString(shape)} ends with ${shape[shape.length - 1]}, expected ${noun} = ${channels}`);
  }
  return { who, shape, count };
}

/** An output argument: undefined/null (none) or a Float32Array, checked for type only. */
export function outputArgument(who, output) {
  if (output === undefined || output === null) return null;
  if (!isFloat32Array(output)) {
    fail(who, `output must be a Float32Array, got ${describeValue(output)}`, TypeError);
  }
  return output;
}

/** The output array holds `count` elements (measured now, with nothing of the caller's to run). */
export function checkOutputLength(who, output, count) {
  if (output !== null && lengthOf(output) !== count) {
    fail(who, `output has ${lengthOf(output)} elements, expected ${count}`);
  }
}

/**
 * Weights of `count` elements, first phase: a Float32Array (or another typed array, not BigInt)
 * is checked and kept by reference; an array of numbers is converted now, each element read
 * once. Returns what captureWeights() turns into the floats to copy. null when optional and
 * absent.
 */
export function weights(who, name, data, count, optional) {
  if (optional && (data === undefined || data === null)) return null;
  const type = typedArrayTag.call(data);
  if (type === undefined ? !Array.isArray(data) : type.startsWith('Big')) {
    fail(who, `${name} must be a Float32Array (or another typed array or an array of numbers), got ${describeValue(data)}`, TypeError);
  }
  if (count > MAX_ELEMENTS) {
    fail(who, `${name} would need ${count} elements, more than the ${MAX_ELEMENTS} a WebAssembly (wasm32) buffer can hold`, RangeError);
  }
  const length = type === undefined ? data.length : lengthOf(data);
  if (length !== count) fail(who, `${name} has ${length} elements, expected ${count}`);
  if (type !== undefined) return { who, name, type, data, count };
  const copy = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    const v = data[i];
    if (typeof v !== 'number') fail(who, `${name}[${i}] must be a number, got ${describeValue(v)}`, TypeError);
    copy[i] = v;
  }
  return { who, name, type: 'Float32Array', data: copy, count };
}

/**
 * Weights, second phase (after all of the caller's code has run): the typed array measured
 * again, now for good, as a Float32Array of `count` elements (a fixed-length view of a
 * Float32Array, a converted copy of another type). A buffer shrunk or detached since the first
 * phase is rejected here.
 */
export function captureWeights(w) {
  if (w === null) return null;
  const { who, name, type, data, count } = w;
  const length = lengthOf(data);
  if (length !== count) {
    fail(who, `${name} has ${length} elements, expected ${count}${length === 0 ? ' (its buffer is empty or detached)' : ' (its buffer was resized)'}`);
  }
  if (type === 'Float32Array') return fixedView(type, data, count);
  const copy = new Float32Array(count);
  typedArraySet.call(copy, fixedView(type, data, count));
  return copy;
}
