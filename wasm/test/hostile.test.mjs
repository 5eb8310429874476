// Hostile input against every public entry point of the JS package, mirroring the native
// tests/hostile-input-test.cc: values of the wrong type (numeric strings, BigInt, objects, null,
// symbols...), negative, fractional, NaN and infinite sizes, sizes whose products overflow the
// 32-bit size_t of wasm32 (and 2^53), padding larger than the input, dilation that pushes the
// window past the padded input, shapes that do not broadcast, min > max and NaN parameters,
// typed arrays of the wrong type or length, requests beyond the wasm32 heap, calls in the wrong
// order, after dispose() and after terminate().
//
// Every case is a row of a table: the call, the Error class it must throw (TypeError for a wrong
// type, RangeError for a number out of range, Error for lengths and shapes that disagree,
// PortnnError for a C status) and a pattern its message must match (naming the argument and the
// problem). Around each case the runner checks that the caller's output array was not written,
// that the operator involved still computes exactly what it computed before, and that the module
// heap (malloc'd bytes, read through the package's internal accessor) is back to its baseline
// once the operator is disposed: failed calls leak nothing. The operator tables run on every
// variant (scalar, simd, simd-threads on 2 threads); the cases are counted per entry point (on
// one variant) and the counts printed at the end.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';

import * as pnn from '../index.js';
import { requireRuntime } from '../src/runtime.js';

const {
  AveragePooling2D, BatchMatMul, Binary, Convolution2D, FullyConnected, GlobalAveragePooling,
  Graph, MaxPooling2D, PortnnError, Softmax, Unary, init, info, terminate, Deconvolution2D,
  Resize2D, Concatenate, DepthToSpace, Pad, Slice, SpaceToDepth, Split, Transpose,
  BatchNorm, LayerNorm, PRelu, Reduce, RmsNorm,
} = pnn;

const U32_MAX = 0xffffffff;

// ---------------------------------------------------------------------------------------------
// Counting.

const counts = new Map();
let counting = true;  // the operator tables are counted on their first variant only
function count(entry) {
  if (counting) counts.set(entry, (counts.get(entry) ?? 0) + 1);
}

// Every exported function, every class constructor and every public method or getter.
function entryPoints() {
  const entries = ['init', 'info', 'terminate', 'detectFeatures', 'VARIANTS'];
  for (const [name, value] of Object.entries(pnn)) {
    if (typeof value !== 'function' || !/^[A-Z]/.test(name) || name === 'PortnnError') continue;
    entries.push(`${name} constructor`);
    const members = new Set();
    for (let proto = value.prototype; proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
      for (const key of Object.getOwnPropertyNames(proto)) {
        if (key !== 'constructor' && !key.startsWith('_')) members.add(key);
      }
    }
    for (const key of members) entries.push(`${name}.${key}`);
  }
  return entries;
}

after(() => {
  const lines = ['hostile cases per entry point (operator entries: on each of scalar, simd, simd-threads):'];
  let total = 0;
  for (const [entry, n] of [...counts].sort((a, b) => a[0].localeCompare(b[0]))) {
    lines.push(`  ${entry.padEnd(40)} ${String(n).padStart(4)}`);
    total += n;
  }
  lines.push(`  ${'total'.padEnd(40)} ${String(total).padStart(4)}`);
  console.log(lines.join('\n'));
});

// ---------------------------------------------------------------------------------------------
// Values and checks.

const SENTINEL_BITS = 0x7fa5a5a5;  // a NaN payload no operator produces
function sentinel(n) {
  const a = new Float32Array(n);
  new Uint32Array(a.buffer).fill(SENTINEL_BITS);
  return a;
}
// (By byteLength: some arrays here carry an own `length` property that lies.)
function untouched(a) {
  return new Uint32Array(a.buffer, a.byteOffset, a.byteLength / 4).every((bits) => bits === SENTINEL_BITS);
}
function sameBits(a, b) {
  if (a.byteLength !== b.byteLength) return false;
  const x = new Uint32Array(a.buffer, a.byteOffset, a.byteLength / 4);
  const y = new Uint32Array(b.buffer, b.byteOffset, b.byteLength / 4);
  return x.every((bits, i) => bits === y[i]);
}

// Deterministic values in [-0.5, 0.5).
function values(n, seed = 1) {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = ((i * 37 + seed * 11) % 23) / 23 - 0.5;
  return a;
}

function detached(n) {
  const a = new Float32Array(n);
  structuredClone(a.buffer, { transfer: [a.buffer] });
  return a;
}
// A Float32Array of `real` elements whose own `length` property claims `claimed`.
function lyingLength(real, claimed) {
  const a = values(real);
  Object.defineProperty(a, 'length', { value: claimed });
  return a;
}
class SubFloat32Array extends Float32Array {}

// The C library's reason, as a PortnnError message ends: " (<reason>)" when C gives one.
const C_REASON = '( \\(.+\\))?';

// An escaped literal for a RegExp.
const lit = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

// Wrong-type values for integers, numbers, booleans, objects; out-of-range numbers.
const NOT_NUMBERS = [
  ['a numeric string', '3'], ['a BigInt', 3n], ['null', null], ['an object', {}], ['an array', [3]],
  ['a boolean', true], ['a symbol', Symbol('3')], ['a function', () => 3],
  ['a Number object', new Number(3)],  // eslint-disable-line no-new-wrappers
];
function badIntegers(min) {
  const range = [[`${min - 1}`, min - 1], ['-1', -1], ['1.5', 1.5], ['NaN', NaN],
                 ['Infinity', Infinity], ['-Infinity', -Infinity], ['2^32', 2 ** 32],
                 ['2^53', 2 ** 53], ['-2^53', -(2 ** 53)], ['Number.MAX_VALUE', Number.MAX_VALUE],
                 ['Number.EPSILON', Number.EPSILON]];
  const seen = new Set();
  return [...NOT_NUMBERS.map(([l, v]) => [l, v, TypeError]),
          ...range.filter(([l]) => !seen.has(l) && seen.add(l)).map(([l, v]) => [l, v, RangeError])];
}
const NOT_BOOLEANS = [['1', 1], ['0', 0], ["'true'", 'true'], ['null', null], ['{}', {}],
                      ['a symbol', Symbol('b')]];
const NOT_OBJECTS = [['null', null], ['a number', 5], ['a string', 'params'], ['true', true],
                     ['a symbol', Symbol('p')], ['a BigInt', 5n]];
// What an input or output Float32Array of `n` elements must not be.
function notFloat32Arrays(n) {
  return [
    ['a Float64Array', new Float64Array(n)], ['an Int32Array', new Int32Array(n)],
    ['a Uint8Array', new Uint8Array(n * 4)], ['a Uint8ClampedArray', new Uint8ClampedArray(n)],
    ['a BigInt64Array', new BigInt64Array(n)], ['a plain Array', new Array(n).fill(0)],
    ['a DataView', new DataView(new ArrayBuffer(n * 4))], ['an ArrayBuffer', new ArrayBuffer(n * 4)],
    ['a SharedArrayBuffer', new SharedArrayBuffer(n * 4)], ['an array-like object', { length: n }],
    ['an object with the Float32Array prototype', Object.create(Float32Array.prototype)],
    ['null', null], ['a string', 'x'.repeat(n)], ['a number', n], ['a symbol', Symbol('x')],
  ];
}

// ---------------------------------------------------------------------------------------------
// Subjects: one valid operator of each class with its run() arguments; `expected` is its result.

const SUBJECTS = {
  Convolution2D: () => ({
    op: new Convolution2D({ kernelHeight: 3, kernelWidth: 3, paddingTop: 1, paddingRight: 1,
                            paddingBottom: 1, paddingLeft: 1, groupInputChannels: 2,
                            groupOutputChannels: 3 }, values(54, 1), values(3, 2)),
    args: [values(50, 3), [1, 5, 5, 2]],
    outCount: 75,
  }),
  FullyConnected: () => ({
    op: new FullyConnected({ inputChannels: 3, outputChannels: 2 }, values(6, 4), values(2, 5)),
    args: [values(6, 6), [2, 3]],
    outCount: 4,
  }),
  BatchMatMul: () => ({
    op: new BatchMatMul(),
    args: [values(12, 7), [2, 2, 3], values(12, 8), [3, 4]],
    outCount: 16,
  }),
  MaxPooling2D: () => ({
    op: new MaxPooling2D({ poolingHeight: 2, poolingWidth: 2, strideHeight: 2, strideWidth: 2,
                           channels: 2 }),
    args: [values(32, 9), [1, 4, 4, 2]],
    outCount: 8,
  }),
  AveragePooling2D: () => ({
    op: new AveragePooling2D({ poolingHeight: 2, poolingWidth: 2, strideHeight: 2,
                               strideWidth: 2, channels: 2 }),
    args: [values(32, 10), [1, 4, 4, 2]],
    outCount: 8,
  }),
  GlobalAveragePooling: () => ({
    op: new GlobalAveragePooling({ channels: 3 }),
    args: [values(24, 11), [2, 4, 3]],
    outCount: 6,
  }),
  Unary: () => ({ op: new Unary('elu'), args: [values(6, 12), [2, 3]], outCount: 6 }),
  Binary: () => ({
    op: new Binary('add'),
    args: [values(6, 13), [2, 3], values(3, 14), [3]],
    outCount: 6,
  }),
  Softmax: () => ({ op: new Softmax({ channels: 4 }), args: [values(8, 15), [2, 4]], outCount: 8 }),
  Deconvolution2D: () => ({
    op: new Deconvolution2D({ kernelHeight: 2, kernelWidth: 2, strideHeight: 2, strideWidth: 2,
                              groupInputChannels: 2, groupOutputChannels: 3 }, values(24, 16)),
    args: [values(18, 17), [1, 3, 3, 2]],
    outCount: 108,
  }),
  Resize2D: () => ({
    op: new Resize2D({ channels: 2, mode: 'bilinear' }),
    args: [values(18, 18), [1, 3, 3, 2], [5, 4]],
    outCount: 40,
  }),
  Transpose: () => ({ op: new Transpose({ perm: [1, 0] }), args: [values(6, 16), [2, 3]], outCount: 6 }),
  Pad: () => ({ op: new Pad({ pre: [1, 0], post: [0, 2] }), args: [values(6, 17), [2, 3]], outCount: 15 }),
  Slice: () => ({ op: new Slice({ begins: [0, 1], ends: [2, 3] }), args: [values(6, 18), [2, 3]], outCount: 4 }),
  DepthToSpace: () => ({ op: new DepthToSpace({ blockSize: 2 }), args: [values(8, 19), [1, 1, 2, 4]], outCount: 8 }),
  SpaceToDepth: () => ({ op: new SpaceToDepth({ blockSize: 2 }), args: [values(8, 20), [1, 2, 2, 2]], outCount: 8 }),
  Concatenate: () => ({
    op: new Concatenate({ count: 2, axis: 1 }),
    args: [[values(2, 21), values(4, 22)], [[2, 1], [2, 2]]],
    outCount: 6,
  }),
  Reduce: () => ({ op: new Reduce('mean', { axes: [1] }), args: [values(6, 16), [2, 3]], outCount: 2 }),
  LayerNorm: () => ({ op: new LayerNorm({}, values(3, 17), values(3, 18)), args: [values(6, 19), [2, 3]], outCount: 6 }),
  RmsNorm: () => ({ op: new RmsNorm({}, values(3, 20)), args: [values(6, 21), [2, 3]], outCount: 6 }),
  BatchNorm: () => ({
    op: new BatchNorm({}, values(3, 22), [1, 2, 3], values(3, 23), values(3, 24)),
    args: [values(6, 25), [2, 3]],
    outCount: 6,
  }),
  PRelu: () => ({ op: new PRelu(values(3, 26)), args: [values(6, 27), [2, 3]], outCount: 6 }),
};

function makeSubject(name) {
  const s = SUBJECTS[name]();
  try {
    s.expected = s.op.run(...s.args);
    assert.equal(s.expected.length, s.outCount);
  } catch (e) {
    s.op.dispose();
    throw e;
  }
  s.out = sentinel(s.outCount);
  // The operator still computes what it computed before.
  s.verify = () => {
    const y = s.op.run(...s.args);
    assert.ok(sameBits(y, s.expected), 'the operator computes something else after the case');
  };
  return s;
}

function rt() { return requireRuntime('hostile test'); }

// ---------------------------------------------------------------------------------------------
// The runner.
//
// A case: { entry, name, call(subject), error?, message?, status?, subject?, check?(result,
// subject), disposes?, noHeap?, when? }. `error` null or absent: the call must succeed (then `check`);
// `subject`: the class of a fresh subject passed to call(); `disposes`: the case disposes the
// subject itself (no verify); `noHeap`: no runtime to measure (after terminate()); `when()`: false
// skips the case on this build (sizes between the heap's cap and 4 GB need a cap below them).

function describeThrown(e) {
  return e instanceof Error ? `${e.constructor.name}: ${e.message}` : `a non-Error ${String(e)}`;
}

function runCase(c) {
  const baseline = c.noHeap ? 0 : rt().heapInUse();
  const s = c.subject ? makeSubject(c.subject) : null;
  let thrown = null;
  let result;
  try {
    result = c.call(s);
  } catch (e) {
    thrown = e;
  }
  try {
    if (c.error) {
      assert.ok(thrown !== null, `did not throw (returned ${result})`);
      assert.ok(Object.getPrototypeOf(thrown) === c.error.prototype,
                `expected a ${c.error.name}, got ${describeThrown(thrown)}`);
      assert.match(thrown.message, c.message);
      if (c.status !== undefined) {
        assert.equal(thrown.status, c.status, `status of ${thrown.message}`);
        assert.equal(thrown.code, { 'invalid parameter': 1, 'unsupported parameter': 2,
                                    'out of memory': 4 }[c.status]);
      }
      if (s) assert.ok(untouched(s.out), 'the caller\'s output array was written');
    } else {
      assert.equal(thrown, null, `threw ${thrown && describeThrown(thrown)}`);
      if (c.check) c.check(result, s);
    }
    if (s && !c.disposes) s.verify();
  } finally {
    if (s) s.op.dispose();
    if (result && typeof result.dispose === 'function' && result !== s?.op) result.dispose();
  }
  if (!c.noHeap) assert.equal(rt().heapInUse(), baseline, 'the module heap is not back to its baseline');
}

async function runCaseAsync(c) {
  let thrown = null;
  let result;
  try {
    result = await c.call();
  } catch (e) {
    thrown = e;
  }
  if (c.error) {
    assert.ok(thrown !== null, `did not reject (resolved to ${JSON.stringify(result)})`);
    assert.ok(Object.getPrototypeOf(thrown) === c.error.prototype,
              `expected a ${c.error.name}, got ${describeThrown(thrown)}`);
    assert.match(thrown.message, c.message);
  } else {
    assert.equal(thrown, null, `threw ${thrown && describeThrown(thrown)}`);
    if (c.check) await c.check(result);
  }
}

// Runs every case, collecting failures so that one report lists them all.
function runTable(cases) {
  const failures = [];
  for (const c of cases) {
    if (c.when && !c.when()) {
      console.log(`skipped on a heap of ${rt().heapMax()} bytes: ${c.entry}: ${c.name}`);
      continue;
    }
    try {
      runCase(c);
    } catch (e) {
      failures.push(`${c.entry}: ${c.name}: ${e.message}`);
    }
    count(c.entry);
  }
  assert.deepEqual(failures, [], `${failures.length} of ${cases.length} cases failed`);
}

async function runTableAsync(cases) {
  const failures = [];
  for (const c of cases) {
    try {
      await runCaseAsync(c);
    } catch (e) {
      failures.push(`${c.entry}: ${c.name}: ${e.message}`);
    }
    count(c.entry);
  }
  assert.deepEqual(failures, [], `${failures.length} of ${cases.length} cases failed`);
}

// Requests of 3 GB exceed a heap capped at 2 GB; a 4 GB heap would grant them.
const below3GB = () => rt().heapMax() < 3 * 2 ** 30;

// ---------------------------------------------------------------------------------------------
// Case generators shared by the classes.

// Integer parameter `key` of a constructor: build(overrides) constructs with valid weights.
function integerCases(cls, build, key, min, required) {
  const cases = badIntegers(0).map(([label, v, error]) => ({
    entry: `${cls} constructor`, name: `${key} = ${label}`, call: () => build({ [key]: v }), error,
    message: new RegExp(`^${cls}: ${key} must be an integer in \\[0, ${U32_MAX}\\], got `),
  }));
  if (required) {
    cases.push({ entry: `${cls} constructor`, name: `${key} missing`, call: () => build({ [key]: undefined }),
                 error: TypeError, message: new RegExp(`^${cls}: ${key} must be an integer .*got undefined$`) });
  }
  return cases;
}

function numberCases(cls, build, key) {
  return NOT_NUMBERS.map(([label, v]) => ({
    entry: `${cls} constructor`, name: `${key} = ${label}`, call: () => build({ [key]: v }),
    error: TypeError, message: new RegExp(`^${cls}: ${key} must be a number, got `),
  }));
}

function booleanCases(cls, build, key) {
  return NOT_BOOLEANS.map(([label, v]) => ({
    entry: `${cls} constructor`, name: `${key} = ${label}`, call: () => build({ [key]: v }),
    error: TypeError, message: new RegExp(`^${cls}: ${key} must be a boolean, got `),
  }));
}

// Fused clamp bounds (minKey/maxKey): C statuses (`hint` says what C rejects; the message
// carries C's own reason); float32 rounding accepted.
function clampCases(cls, build, minKey = 'outputMin', maxKey = 'outputMax', cName) {
  const bad = (name, o, hint) => ({
    entry: `${cls} constructor`, name, call: () => build(o), error: PortnnError,
    status: 'invalid parameter',
    message: new RegExp(`^${cls}: ${lit(cName)} failed: invalid parameter${C_REASON}$`),
  });
  return [
    ...numberCases(cls, build, minKey), ...numberCases(cls, build, maxKey),
    bad(`${minKey} NaN`, { [minKey]: NaN }, `${minKey} is NaN`),
    bad(`${maxKey} NaN`, { [maxKey]: NaN }, `${maxKey} is NaN`),
    bad(`${minKey} > ${maxKey}`, { [minKey]: 1, [maxKey]: 0 }, `${minKey} 1 > ${maxKey} 0`),
    bad(`${minKey} +inf > ${maxKey} -inf`, { [minKey]: Infinity, [maxKey]: -Infinity },
        `${minKey} Infinity > ${maxKey} -Infinity`),
    // 1e39 is +inf as a float32, 1e38 is finite.
    bad(`${minKey} 1e39 > ${maxKey} 1e38 (float32 infinity)`, { [minKey]: 1e39, [maxKey]: 1e38 },
        `${minKey} 1e+39 > ${maxKey} 1e+38`),
    { entry: `${cls} constructor`, name: `${minKey} > ${maxKey} in double, equal as float32`,
      call: () => build({ [minKey]: 1 + 2 ** -30, [maxKey]: 1 }) },
    { entry: `${cls} constructor`, name: `${minKey} = ${maxKey}`,
      call: () => build({ [minKey]: 0.5, [maxKey]: 0.5 }) },
    { entry: `${cls} constructor`, name: `${minKey} = ${maxKey} = +inf`,
      call: () => build({ [minKey]: Infinity, [maxKey]: Infinity }) },
  ];
}

function paramsObjectCases(cls, construct) {
  return NOT_OBJECTS.map(([label, v]) => ({
    entry: `${cls} constructor`, name: `parameters = ${label}`, call: () => construct(v),
    error: TypeError, message: new RegExp(`^${cls}: parameters must be an object, got `),
  }));
}

// A weights argument of `n` elements (`key` 'kernel' or 'bias'); build(weights) constructs.
function weightsCases(cls, build, key, n, optional) {
  const entry = `${cls} constructor`;
  const typeError = new RegExp(`^${cls}: ${key} must be a Float32Array \\(or another typed array or an array of numbers\\), got `);
  const bad = [
    ['a string', 'weights'], ['a number', n], ['an object', {}], ['an array-like object', { length: n }],
    ['a DataView', new DataView(new ArrayBuffer(4 * n))], ['an ArrayBuffer', new ArrayBuffer(4 * n)],
    ['a SharedArrayBuffer', new SharedArrayBuffer(4 * n)], ['a BigInt64Array', new BigInt64Array(n)],
    ['a BigUint64Array', new BigUint64Array(n)], ['a symbol', Symbol('w')],
    ['an object with the Float32Array prototype', Object.create(Float32Array.prototype)],
  ];
  if (!optional) bad.push(['undefined', undefined], ['null', null]);
  const cases = bad.map(([label, v]) => ({ entry, name: `${key} is ${label}`, call: () => build(v),
                                           error: TypeError, message: typeError }));
  const length = (label, v, got) => ({
    entry, name: `${key} ${label}`, call: () => build(v), error: Error,
    message: new RegExp(`^${cls}: ${key} has ${got} elements, expected ${n}$`),
  });
  cases.push(length(`of ${n - 1} elements`, values(n - 1), n - 1),
             length(`of ${n + 1} elements`, values(n + 1), n + 1),
             length('empty', new Float32Array(0), 0),
             length(`as an array of ${n + 1} numbers`, Array.from(values(n + 1)), n + 1),
             length(`of ${n - 1} elements with an own length property of ${n}`, lyingLength(n - 1, n), n - 1),
             length('detached', detached(n), 0));
  for (const [label, v] of [["'1'", '1'], ['null', null], ['undefined (a hole)', undefined],
                            ['an object', {}], ['a BigInt', 1n]]) {
    const array = Array.from(values(n));
    if (label.startsWith('undefined')) delete array[n - 1]; else array[n - 1] = v;
    cases.push({ entry, name: `${key} array holding ${label}`, call: () => build(array), error: TypeError,
                 message: new RegExp(`^${cls}: ${lit(key)}\\[${n - 1}\\] must be a number, got `) });
  }
  // Accepted: other typed arrays and arrays of numbers are converted; views over shared memory,
  // subclasses, and an own length property that lies (the real length counts).
  const same = values(n);
  for (const [label, v] of [
    ['a Float64Array', Float64Array.from(same)], ['a number[]', Array.from(same)],
    ['an Int8Array', new Int8Array(n)], ['a Float32Array over a SharedArrayBuffer',
      (() => { const a = new Float32Array(new SharedArrayBuffer(4 * n)); a.set(same); return a; })()],
    ['a Float32Array subclass', SubFloat32Array.from(same)],
    ['a Float32Array with an own length property of 1', lyingLength(n, 1)],
  ]) {
    cases.push({ entry, name: `${key} as ${label} (accepted)`, call: () => build(v) });
  }
  let reads = 0;
  const changing = Array.from(same);
  Object.defineProperty(changing, 0, { enumerable: true, get: () => (++reads === 1 ? same[0] : NaN) });
  cases.push({ entry, name: `${key} array with a getter whose value changes (read once)`,
               call: () => build(changing), check: () => assert.equal(reads, 1, 'read more than once') });
  if (optional) {
    cases.push({ entry, name: `${key} null (none)`, call: () => build(null) },
               { entry, name: `${key} undefined (none)`, call: () => build(undefined) });
  }
  return cases;
}

// Shape argument `name` of `entry` (call(s, shape) runs it): wrong types, ranks, dims, overflow.
function shapeCases(entry, subject, name, valid, minRank, maxRank, call) {
  const who = lit(entry);
  const c = (label, shape, error, message) => ({
    entry, subject, name: `${name} ${label}`, call: (s) => call(s, shape), error, message,
  });
  const typeError = new RegExp(`^${who}: ${lit(name)} must be an array of dimensions, got `);
  const cases = [
    c('as a string', valid.join(','), TypeError, typeError),
    c('as a Uint32Array', Uint32Array.from(valid), TypeError, typeError),
    c('as a Float32Array', Float32Array.from(valid), TypeError, typeError),
    c('as an array-like object', { length: valid.length, ...valid }, TypeError, typeError),
    c('as a number', valid[0], TypeError, typeError),
    c('as a symbol', Symbol('shape'), TypeError, typeError),
  ];
  const rank = (label, shape) => c(label, shape, RangeError,
                                   new RegExp(`^${who}: ${lit(name)} \\[.*\\] must have ${minRank}( to ${maxRank})? dimensions$`));
  if (minRank > 1) cases.push(rank(`of rank ${minRank - 1}`, valid.slice(1, minRank)));
  cases.push(rank(`of rank ${maxRank + 1}`, [...new Array(maxRank + 1 - valid.length).fill(1), ...valid]));
  cases.push(c('of rank 65', new Array(65).fill(1), RangeError,
               new RegExp(`^${who}: ${lit(name)} has 65 dimensions, more than any operator takes$`)));
  const dim = (label, v, error) => {
    const shape = valid.slice();
    shape[0] = v;
    return c(`with dimension 0 ${label}`, shape, error,
             new RegExp(`^${who}: ${lit(name)} \\[.*\\] must hold integers >= 1 \\(up to ${U32_MAX}\\), but dimension 0 is `));
  };
  for (const [label, v, error] of badIntegers(1)) cases.push(dim(label, v, error));
  cases.push(dim('undefined', undefined, TypeError));
  const holey = valid.slice();
  delete holey[0];
  cases.push(c('with a hole', holey, TypeError,
               new RegExp(`^${who}: ${lit(name)} \\[undefined(, .*)?\\] must hold integers >= 1 .*dimension 0 is undefined$`)));
  // Each dim fits 32 bits, the element count does not fit a wasm32 buffer (nor, for 2^64, 2^53).
  const overflow = (label, big) => {
    const shape = valid.slice();
    for (let i = 0; i < big.length; i++) shape[i] = big[i];
    return c(label, shape, RangeError,
             new RegExp(`^${who}: ${lit(name)} \\[.*\\] has \\d.* elements, more than the 1073741823 a WebAssembly \\(wasm32\\) buffer can hold$`));
  };
  // A dimension whose getter answers differently on later reads: read once, the first answer used.
  cases.push({
    entry, subject, name: `${name} with a getter whose value changes (read once)`,
    call: (s) => {
      let reads = 0;
      const shape = valid.slice();
      Object.defineProperty(shape, 0, { enumerable: true, get: () => (++reads === 1 ? valid[0] : 2 ** 31) });
      return { result: call(s, shape), reads };
    },
    check: ({ result, reads }, s) => {
      assert.equal(reads, 1, 'the dimension was read more than once');
      if (result instanceof Float32Array) assert.ok(sameBits(result, s.expected), 'wrong result');
    },
  });
  if (valid.length >= 2) {
    cases.push(overflow('whose element count exceeds 2^32', [65536, 65536]));
    cases.push(overflow('whose element count exceeds 2^53', [U32_MAX, U32_MAX]));
  } else {
    cases.push(overflow('of 2^32 - 1 elements', [U32_MAX]));
  }
  return cases;
}

// An input Float32Array argument (`name`) of `count` elements: call(s, input) runs it.
function inputCases(entry, subject, name, count, call) {
  const who = lit(entry);
  const cases = notFloat32Arrays(count).map(([label, v]) => ({
    entry, subject, name: `${name} is ${label}`, call: (s) => call(s, v), error: TypeError,
    message: new RegExp(`^${who}: ${lit(name)} must be a Float32Array, got `),
  }));
  const length = (label, v, got) => ({
    entry, subject, name: `${name} ${label}`, call: (s) => call(s, v), error: Error,
    message: new RegExp(`^${who}: ${lit(name)} has ${got} elements but its shape \\[.*\\] needs ${count}$`),
  });
  cases.push(length(`of ${count - 1} elements`, values(count - 1), count - 1),
             length(`of ${count + 1} elements`, values(count + 1), count + 1),
             length('empty', new Float32Array(0), 0),
             length('detached', detached(count), 0),
             length(`of ${count - 1} elements with an own length property of ${count}`,
                    lyingLength(count - 1, count), count - 1),
             length(`as a subarray of ${count - 1}`, values(count + 4).subarray(2, count + 1), count - 1));
  return cases;
}

// The arguments of an operator with one input, `run(x, shape, output)` (and, withOutputShape,
// `outputShape(shape)`): the input shape (valid: `shape`, ranks minRank to maxRank), the input
// array and an output array of outputCount elements.
function oneInputCases(cls, shape, minRank, maxRank, outputCount, withOutputShape) {
  const run = `${cls}.run`;
  const shapeArg = (label, call) => shapeCases(label, cls, 'input shape', shape, minRank, maxRank, call);
  return [
    ...shapeArg(run, (s, sh) => s.op.run(s.args[0], sh, s.out)),
    ...(withOutputShape ? shapeArg(`${cls}.outputShape`, (s, sh) => s.op.outputShape(sh)) : []),
    ...inputCases(run, cls, 'input', shape.reduce((a, b) => a * b, 1), (s, x) => s.op.run(x, s.args[1], s.out)),
    ...outputCases(run, cls, outputCount, (s, out) => s.op.run(...s.args, out)),
  ];
}

// An input [..., C] whose shape may be omitted (FullyConnected, Softmax; `param` = C, `unit` what
// C counts): a shape ending in another C, and no shape with `notMultiple` elements.
function lastAxisCases(cls, param, unit, c, notMultiple) {
  const run = `${cls}.run`;
  const expected = `${param} = ${c}`;
  return [
    { entry: run, subject: cls, name: `input shape ending with 2 for ${c} ${unit}`, error: Error,
      call: (s) => s.op.run(values(2 * c), [c, 2], s.out),
      message: new RegExp(`^${cls}\\.run: input shape \\[${c}, 2\\] ends with 2, expected ${expected}$`) },
    { entry: run, subject: cls, name: `no shape: ${notMultiple} elements for ${c} ${unit}`, error: Error,
      call: (s) => s.op.run(values(notMultiple), undefined, s.out),
      message: new RegExp(`^${cls}\\.run: input has ${notMultiple} elements, not a positive multiple of ${expected}$`) },
  ];
}

// Reshape failures of a windowed operator `cls` (C function cName): the factory's cases
// reshapeFail(entry, name, o, shape, hint, status, validShape) build a fresh 1-channel operator
// with make(o), expect `entry` (run or outputShape) to reject `shape` with the C status (`hint`
// says what C rejects; the message carries C's own reason), then (unless validShape is null)
// the operator still to reshape for validShape.
function reshapeFailFactory(cls, cName, make) {
  return (entry, name, o, shape, hint, status = 'invalid parameter', validShape = [1, 9, 9, 1]) => ({
    entry, name, error: PortnnError, status,
    call: () => {
      const op = make(o);
      try {
        const n = shape.reduce((a, b) => a * b, 1);
        return entry.endsWith('.run') ? op.run(values(n), shape) : op.outputShape(shape);
      } finally {
        if (validShape) assert.equal(op.outputShape(validShape).length, 4, 'the operator works afterwards');
        op.dispose();
      }
    },
    message: new RegExp(`^${cls}: ${cName} for input shape ${lit(`[${shape.join(', ')}]`)} failed: ${status}${C_REASON}$`),
  });
}

// The output argument of run(): call(s, output) runs it with valid inputs.
function outputCases(entry, subject, count, call) {
  const who = lit(entry);
  const cases = notFloat32Arrays(count).filter(([label]) => label !== 'null').map(([label, v]) => ({
    entry, subject, name: `output is ${label}`, call: (s) => call(s, v), error: TypeError,
    message: new RegExp(`^${who}: output must be a Float32Array, got `),
  }));
  for (const [label, n, make] of [
    [`of ${count - 1} elements`, count - 1, () => sentinel(count - 1)],
    [`of ${count + 1} elements`, count + 1, () => sentinel(count + 1)],
    ['empty', 0, () => new Float32Array(0)],
    ['detached', 0, () => detached(count)],
  ]) {
    cases.push({
      entry, subject, name: `output ${label}`, error: Error,
      message: new RegExp(`^${who}: output has ${n} elements, expected ${count}$`),
      call: (s) => {
        const output = make();
        try {
          return call(s, output);
        } finally {
          if (output.byteLength > 0) assert.ok(untouched(output), 'a rejected output array was written');
        }
      },
    });
  }
  // An own length property that lies: the real length counts; accepted when it is right.
  cases.push({
    entry, subject, name: `output of ${count - 1} elements with an own length property of ${count}`,
    call: (s) => call(s, Object.defineProperty(sentinel(count - 1), 'length', { value: count })),
    error: Error, message: new RegExp(`^${who}: output has ${count - 1} elements, expected ${count}$`),
  });
  for (const [label, make] of [
    ['a Float32Array over a SharedArrayBuffer', () => new Float32Array(new SharedArrayBuffer(4 * count))],
    ['a Float32Array subclass', () => new SubFloat32Array(count)],
    [`a Float32Array with an own length property of ${count + 5}`,
      () => Object.defineProperty(new Float32Array(count), 'length', { value: count + 5 })],
    ['null (a new array is returned)', () => null],
  ]) {
    cases.push({
      entry, subject, name: `output as ${label} (accepted)`,
      call: (s) => ({ out: make(), s }),
      check: ({ out, s }) => {
        const y = call(s, out);
        assert.ok(sameBits(y, s.expected), 'wrong result');
        if (out !== null) assert.equal(y, out, 'run() returns the output it filled');
      },
    });
  }
  return cases;
}

// Use after dispose(), rerun() before run(), another class's method on this operator.
function lifecycleCases(cls, hasOutputShape) {
  const cases = [];
  const disposed = (method, call) => ({
    entry: `${cls}.${method}`, subject: cls, name: 'after dispose()', disposes: true,
    call: (s) => { s.op.dispose(); return call(s); }, error: Error,
    message: new RegExp(`^${cls}\\.${method}: the operator was disposed$`),
  });
  cases.push(disposed('run', (s) => s.op.run(...s.args, s.out)),
             disposed('kernelName', (s) => s.op.kernelName),
             disposed('rerun', (s) => s.op.rerun()));
  if (hasOutputShape) {
    cases.push(disposed('outputShape', (s) => s.op.outputShape(...s.args.filter(Array.isArray))));
  }
  cases.push(
    { entry: `${cls}.dispose`, subject: cls, name: 'twice (a no-op)', disposes: true,
      call: (s) => { s.op.dispose(); s.op.dispose(); } },
    { entry: `${cls}.dispose`, subject: cls, name: 'with arguments (ignored)', disposes: true,
      call: (s) => s.op.dispose(1, 'x', null) },
    { entry: `${cls}.dispose`, subject: cls, name: 'then run() throws, dispose() again is a no-op',
      disposes: true, call: (s) => {
        s.op.dispose();
        assert.throws(() => s.op.run(...s.args), /the operator was disposed/);
        s.op.dispose();
      } },
    { entry: `${cls}.rerun`, name: 'before any run()', call: () => {
      const op = SUBJECTS[cls]().op;
      try { op.rerun(); } finally { op.dispose(); }
    }, error: Error, message: new RegExp(`^${cls}\\.rerun: call run\\(\\) first$`) },
    { entry: `${cls}.rerun`, subject: cls, name: 'after a successful run() (reruns it)',
      call: (s) => s.op.rerun() },
    { entry: `${cls}.rerun`, subject: cls, name: 'after a run() rejected before any C call',
      call: (s) => {
        assert.throws(() => s.op.run(new Float64Array(1), s.args[1]), TypeError);
        s.op.rerun();
      } },
    { entry: `${cls}.rerun`, subject: cls, name: 'with arguments (ignored)', call: (s) => s.op.rerun(1, 2) },
    { entry: `${cls}.kernelName`, subject: cls, name: 'after a run()',
      check: (name) => assert.match(name, /^(pnn_[fx]32_\w+|none)$/), call: (s) => s.op.kernelName },
  );
  return cases;
}

// ---------------------------------------------------------------------------------------------
// The tables of each class.

function convolutionCases() {
  const cls = 'Convolution2D';
  const base = { kernelHeight: 3, kernelWidth: 3, groupInputChannels: 2, groupOutputChannels: 3 };
  const build = (o, k = values(54), b) => new Convolution2D({ ...base, ...o }, k, b);
  const create = (name, o, status, hint) => ({
    entry: `${cls} constructor`, name, error: PortnnError, status,
    call: () => build(o, values(((o.groups ?? 1) * (o.groupOutputChannels ?? 3) * (o.kernelHeight ?? 3) *
                                 (o.kernelWidth ?? 3) * (o.groupInputChannels ?? 2)))),
    message: new RegExp(`^Convolution2D: pnn_create_convolution2d_nhwc_f32 failed: ${status}${C_REASON}$`),
  });
  const cases = [
    ...paramsObjectCases(cls, (p) => new Convolution2D(p, values(54))),
    { entry: `${cls} constructor`, name: 'no arguments', call: () => new Convolution2D(),
      error: TypeError, message: /^Convolution2D: kernelHeight must be an integer .*got undefined$/ },
  ];
  for (const [key, min, required] of [
    ['kernelHeight', 1, true], ['kernelWidth', 1, true], ['strideHeight', 1], ['strideWidth', 1],
    ['dilationHeight', 1], ['dilationWidth', 1], ['paddingTop', 0], ['paddingRight', 0],
    ['paddingBottom', 0], ['paddingLeft', 0], ['groups', 1], ['groupInputChannels', 1, true],
    ['groupOutputChannels', 1, true]]) {
    cases.push(...integerCases(cls, build, key, min, required));
  }
  cases.push(...booleanCases(cls, build, 'tensorflowSamePadding'),
             ...clampCases(cls, build, 'outputMin', 'outputMax', 'pnn_create_convolution2d_nhwc_f32'),
             ...weightsCases(cls, (k) => new Convolution2D(base, k), 'kernel', 54, false),
             ...weightsCases(cls, (b) => new Convolution2D(base, values(54), b), 'bias', 3, true));
  // Zero fits the parameters' C type: the C library judges it (zero weights where the size is 0).
  for (const key of ['kernelHeight', 'kernelWidth', 'strideHeight', 'strideWidth', 'dilationHeight',
                     'dilationWidth', 'groups', 'groupInputChannels', 'groupOutputChannels']) {
    cases.push(create(`${key} 0`, { [key]: 0 }, 'invalid parameter', `${key} is 0`));
  }
  cases.push(
    create('SAME padding with explicit padding', { tensorflowSamePadding: true, paddingLeft: 1 },
           'invalid parameter', 'tensorflowSamePadding with explicit padding'),
    // A dilated kernel beyond 32 bits: the library rejects it at create, or at the first reshape
    // (it spans more than any padded input); which one is the library's to choose.
    ...[['height', { kernelHeight: 2, kernelWidth: 1, dilationHeight: U32_MAX }],
        ['width', { kernelHeight: 1, kernelWidth: 3, dilationWidth: 2 ** 31 }]].map(([axis, o]) => ({
      entry: `${cls} constructor`, name: `dilated kernel ${axis} beyond 32 bits (at create or reshape)`,
      error: PortnnError, status: 'invalid parameter',
      call: () => {
        const op = build({ ...o, groupInputChannels: 1, groupOutputChannels: 1 },
                         values(o.kernelHeight * o.kernelWidth));
        try {
          return op.outputShape([1, 9, 9, 1]);
        } finally {
          op.dispose();
        }
      },
      message: new RegExp(`^Convolution2D: pnn_(create_convolution2d_nhwc_f32|reshape_convolution2d_nhwc_f32 for input shape \\[1, 9, 9, 1\\]) failed: invalid parameter${C_REASON}$`),
    })),
    { entry: `${cls} constructor`, name: 'kernel of (2^32-1)^2 taps (weights beyond wasm32)',
      call: () => build({ kernelHeight: U32_MAX, kernelWidth: U32_MAX }), error: RangeError,
      message: /^Convolution2D: kernel would need \d.* elements, more than the 1073741823 a WebAssembly \(wasm32\) buffer can hold$/ },
    { entry: `${cls} constructor`, name: 'groups * groupInputChannels beyond 2^53',
      call: () => build({ groups: U32_MAX, groupInputChannels: U32_MAX, groupOutputChannels: U32_MAX }),
      error: RangeError, message: /^Convolution2D: kernel would need .* elements, more than/ },
    // Several GB of weights: beyond the heap's cap, refused before anything is copied.
    { entry: `${cls} constructor`, name: 'weights of 2.5 GB (beyond the wasm32 heap)',
      call: () => build({ groupInputChannels: 8192, groupOutputChannels: 10240 },
                        new Float32Array(9 * 8192 * 10240)),
      error: PortnnError, status: 'out of memory',
      message: /^Convolution2D: out of WebAssembly memory allocating 3019898880 bytes for the weights \(the module heap grows to at most \d+ bytes; \d+ are in use\)$/ },
    // Huge padding is valid at create: the output size depends on the input.
    { entry: `${cls} constructor`, name: 'padding 2^32-1 (valid at create)',
      call: () => build({ paddingTop: U32_MAX, paddingLeft: U32_MAX }) },
  );

  const run = 'Convolution2D.run';
  const shapeOf = 'Convolution2D.outputShape';
  cases.push(
    ...oneInputCases(cls, [1, 5, 5, 2], 4, 4, 75, true),
    { entry: run, subject: cls, name: 'input shape with 3 channels for 2', error: Error,
      call: (s) => s.op.run(values(75), [1, 5, 5, 3], s.out),
      message: /^Convolution2D\.run: input shape \[1, 5, 5, 3\] has 3 channels, expected 2$/ },
    { entry: run, subject: cls, name: 'shape and input swapped', error: TypeError,
      call: (s) => s.op.run(s.args[1], s.args[0], s.out),
      message: /^Convolution2D\.run: input shape must be an array of dimensions, got a Float32Array of 50 elements$/ },
  );
  // Reshape failures: C statuses with the reason named.
  const reshapeFail = reshapeFailFactory(cls, 'pnn_reshape_convolution2d_nhwc_f32',
    (o) => build({ groupInputChannels: 1, groupOutputChannels: 1, ...o },
                 values((o.kernelHeight ?? 3) * (o.kernelWidth ?? 3))));
  for (const entry of [run, shapeOf]) {
    cases.push(
      reshapeFail(entry, 'input smaller than the kernel (no padding)', {}, [1, 2, 5, 1],
                  'the kernel spans 3 rows (dilation included), more than the 2 rows of the padded input'),
      reshapeFail(entry, 'dilation past the padded height', { dilationHeight: 4, paddingTop: 1, paddingBottom: 1 },
                  [1, 6, 9, 1], 'the kernel spans 9 rows (dilation included), more than the 8 rows of the padded input'),
      reshapeFail(entry, 'dilation past the padded width', { dilationWidth: 4, paddingLeft: 1, paddingRight: 1 },
                  [1, 9, 6, 1], 'the kernel spans 9 columns (dilation included), more than the 8 columns of the padded input'),
      reshapeFail(entry, 'padded height beyond 32 bits (padding 2^32-1 on both sides)',
                  { kernelHeight: 1, kernelWidth: 1, paddingTop: U32_MAX, paddingBottom: U32_MAX }, [1, 1, 1, 1],
                  `the padded input height ${2 * U32_MAX + 1} exceeds 32 bits`, undefined, null),
      reshapeFail(entry, 'output count beyond wasm32 (padding 2^31-1)',
                  { kernelHeight: 1, kernelWidth: 1, paddingTop: 2 ** 31 - 1, paddingBottom: 2 ** 31 - 1,
                    paddingLeft: 2 ** 31 - 1 }, [1, 1, 1, 1],
                  `the output [1, ${2 ** 32 - 1}, ${2 ** 31}, 1] would have ${(2 ** 32 - 1) * 2 ** 31} elements`,
                  undefined, null),
    );
  }
  cases.push(
    // Shapes whose fate depends on how the library plans the reshape (an indirection workspace
    // of several GB for a 20000x20000 image; SAME padding whose padded height exceeds 32 bits):
    // either it succeeds with the output shape of the definition, or it fails with a C status
    // (a size beyond size_t or beyond the heap), named as C failures are, and the operator keeps
    // working.
    ...[['a 20000x20000 image (the workspace may exceed the heap)', { paddingTop: 1, paddingRight: 1,
                                                                      paddingBottom: 1, paddingLeft: 1 },
         [1, 20000, 20000, 1], [1, 20000, 20000, 1], 'out of memory|invalid parameter', [1, 9, 9, 1]],
        ['SAME padding whose padded height exceeds 32 bits (dilation 2^31-1)',
         { tensorflowSamePadding: true, dilationHeight: 2 ** 31 - 1 }, [1, 9, 1, 1], [1, 9, 1, 1],
         'invalid parameter', null]].map(([name, o, shape, expected, status, validShape]) => ({
      entry: shapeOf, name: `${name}: the definition's output shape or a C status`,
      call: () => {
        const op = build({ groupInputChannels: 1, groupOutputChannels: 1, ...o }, values(9));
        try {
          try {
            return { shape: op.outputShape(shape) };
          } catch (e) {
            const format = new RegExp(`^Convolution2D: pnn_reshape_convolution2d_nhwc_f32 for input shape ${lit(`[${shape.join(', ')}]`)} failed: (${status})${C_REASON}$`);
            if (!(e instanceof PortnnError) || !status.split('|').includes(e.status) || !format.test(e.message)) throw e;
            if (validShape) assert.equal(op.outputShape(validShape).length, 4, 'the operator works afterwards');
            return { rejected: e };
          }
        } finally {
          op.dispose();
        }
      },
      check: (r) => { if (!r.rejected) assert.deepEqual(r.shape, expected); },
    })),
    // Accepted: padding beyond the input reads zeros; SAME with a stride beyond the input.
    { entry: run, name: 'padding larger than the input (computes zeros around it)', call: () => {
      const op = new Convolution2D({ kernelHeight: 3, kernelWidth: 3, paddingTop: 4, paddingRight: 4,
                                     paddingBottom: 4, paddingLeft: 4, groupInputChannels: 1,
                                     groupOutputChannels: 1 }, new Float32Array(9).fill(1));
      try {
        assert.deepEqual(op.outputShape([1, 1, 1, 1]), [1, 7, 7, 1]);
        const y = op.run(new Float32Array([2.5]), [1, 1, 1, 1]);
        y.forEach((v, i) => {
          const oy = Math.floor(i / 7);
          const ox = i % 7;
          assert.equal(v, oy >= 2 && oy <= 4 && ox >= 2 && ox <= 4 ? 2.5 : 0, `(${oy}, ${ox})`);
        });
      } finally {
        op.dispose();
      }
    } },
    { entry: shapeOf, name: 'SAME padding with stride 2^32-1 (one output pixel)', call: () => {
      const op = build({ tensorflowSamePadding: true, strideHeight: U32_MAX, strideWidth: U32_MAX,
                         groupInputChannels: 1, groupOutputChannels: 1 }, values(9));
      try {
        assert.deepEqual(op.outputShape([1, 5, 4, 1]), [1, 1, 1, 1]);
      } finally {
        op.dispose();
      }
    } },
  );
  return cases;
}

// Deconvolution2D and Resize2D (op-resample.js): what JS checks, then what C judges.
function resampleCases() {
  const d = 'Deconvolution2D';
  const dBase = { kernelHeight: 2, kernelWidth: 2, strideHeight: 2, strideWidth: 2,
                  groupInputChannels: 2, groupOutputChannels: 3 };
  const deconv = (o, k = values(24), b) => new Deconvolution2D({ ...dBase, ...o }, k, b);
  const cFail = (cls, cName, name, call, entry = `${cls} constructor`) => ({
    entry, name, call, error: PortnnError, status: 'invalid parameter',
    message: new RegExp(`^${cls}: ${lit(cName)} failed: invalid parameter${C_REASON}$`),
  });
  const cases = [
    ...paramsObjectCases(d, (p) => new Deconvolution2D(p, values(24))),
    ...clampCases(d, deconv, 'outputMin', 'outputMax', 'pnn_create_deconvolution2d_nhwc_f32'),
    ...weightsCases(d, (k) => new Deconvolution2D(dBase, k), 'kernel', 24, false),
    ...weightsCases(d, (b) => new Deconvolution2D(dBase, values(24), b), 'bias', 3, true),
    ...oneInputCases(d, [1, 3, 3, 2], 4, 4, 108, true),
    cFail(d, 'pnn_create_deconvolution2d_nhwc_f32', 'strideHeight 0',
          () => deconv({ strideHeight: 0 })),
    cFail(d, 'pnn_create_deconvolution2d_nhwc_f32', 'adjustmentWidth = strideWidth',
          () => deconv({ adjustmentWidth: 2 })),
    cFail(d, 'pnn_reshape_deconvolution2d_nhwc_f32 for input shape [1, 1, 1, 2]',
          'paddings cropping the whole output', () => {
            const op = deconv({ paddingTop: 1, paddingBottom: 1 });
            try {
              return op.outputShape([1, 1, 1, 2]);
            } finally {
              op.dispose();
            }
          }, `${d}.outputShape`),
  ];
  for (const key of ['kernelHeight', 'adjustmentHeight', 'adjustmentWidth', 'groups']) {
    cases.push(...integerCases(d, deconv, key, key.startsWith('adjustment') ? 0 : 1,
                               key === 'kernelHeight'));
  }
  const r = 'Resize2D';
  const resize = (o) => new Resize2D({ channels: 2, ...o });
  const run = `${r}.run`;
  cases.push(
    ...paramsObjectCases(r, (p) => new Resize2D(p)),
    ...integerCases(r, resize, 'channels', 1, true),
    ...['mode', 'coordinateTransformationMode', 'nearestMode'].flatMap((key) => [
      ['cubic', 'an unknown name'], [1, 'a number'], [null, 'null']].map(([v, label]) => ({
      entry: `${r} constructor`, name: `${key} = ${label}`, call: () => resize({ [key]: v }),
      error: TypeError, message: new RegExp(`^${r}: ${key} must be one of '`),
    }))),
    cFail(r, 'pnn_create_resize2d_nhwc_f32', 'channels 0', () => resize({ channels: 0 })),
    ...shapeCases(run, r, 'input shape', [1, 3, 3, 2], 4, 4, (s, sh) => s.op.run(s.args[0], sh, s.args[2], s.out)),
    ...shapeCases(run, r, 'output size', [5, 4], 2, 2, (s, sz) => s.op.run(s.args[0], s.args[1], sz, s.out)),
    ...shapeCases(`${r}.outputShape`, r, 'output size', [5, 4], 2, 2, (s, sz) => s.op.outputShape(s.args[1], sz)),
    ...inputCases(run, r, 'input', 18, (s, x) => s.op.run(x, s.args[1], s.args[2], s.out)),
    ...outputCases(run, r, 40, (s, out) => s.op.run(...s.args, out)),
  );
  return cases;
}

function fullyConnectedCases(variant) {
  const cls = 'FullyConnected';
  const base = { inputChannels: 3, outputChannels: 2 };
  const build = (o, k = values(6), b) => new FullyConnected({ ...base, ...o }, k, b);
  const cases = [
    ...paramsObjectCases(cls, (p) => new FullyConnected(p, values(6))),
    ...integerCases(cls, build, 'inputChannels', 1, true),
    ...integerCases(cls, build, 'outputChannels', 1, true),
    // Zero fits the parameters' C type: the C library judges it.
    ...['inputChannels', 'outputChannels'].map((key) => ({
      entry: `${cls} constructor`, name: `${key} 0`, call: () => build({ [key]: 0 }, []),
      error: PortnnError, status: 'invalid parameter',
      message: new RegExp(`^FullyConnected: pnn_create_fully_connected_nc_f32 failed: invalid parameter${C_REASON}$`),
    })),
    ...booleanCases(cls, build, 'transposeWeights'),
    ...clampCases(cls, build, 'outputMin', 'outputMax', 'pnn_create_fully_connected_nc_f32'),
    ...weightsCases(cls, (k) => new FullyConnected(base, k), 'kernel', 6, false),
    ...weightsCases(cls, (b) => new FullyConnected(base, values(6), b), 'bias', 2, true),
    { entry: `${cls} constructor`, name: 'inputChannels * outputChannels beyond wasm32',
      call: () => build({ inputChannels: 65536, outputChannels: 65536 }), error: RangeError,
      message: /^FullyConnected: kernel would need 4294967296 elements, more than the 1073741823 a WebAssembly \(wasm32\) buffer can hold$/ },
    // 2.7 GB of weights: more than the heap can grow to; refused before any copy.
    { entry: `${cls} constructor`, name: 'weights of 2.7 GB (beyond the wasm32 heap)',
      call: () => build({ inputChannels: 32768, outputChannels: 20480 }, new Float32Array(32768 * 20480)),
      error: PortnnError, status: 'out of memory',
      message: /^FullyConnected: out of WebAssembly memory allocating 2684354560 bytes for the weights \(the module heap grows to at most \d+ bytes; \d+ are in use\)$/ },
  ];
  if (variant === 'simd') {
    // 1.3 GB of weights fit the heap, their packed copy does not: the C status out of memory.
    // (One variant only: it grows the module's memory to 1.3 GB and takes about a second.)
    cases.push({ entry: `${cls} constructor`, name: 'weights of 1.3 GB (packing runs out of memory)',
                 call: () => build({ inputChannels: 16384, outputChannels: 20000 }, new Float32Array(16384 * 20000)),
                 error: PortnnError, status: 'out of memory',
                 message: /^FullyConnected: pnn_create_fully_connected_nc_f32 failed: out of memory( \(.+\))?$/ });
  }
  const run = 'FullyConnected.run';
  cases.push(
    ...oneInputCases(cls, [2, 3], 1, 32, 4, false),
    ...lastAxisCases(cls, 'inputChannels', 'input channels', 3, 7),
    { entry: run, subject: cls, name: 'no shape: an empty input', error: Error,
      call: (s) => s.op.run(new Float32Array(0), null, s.out),
      message: /^FullyConnected\.run: input has 0 elements, not a positive multiple of inputChannels = 3$/ },
    { entry: run, subject: cls, name: 'no shape: a Float64Array', error: TypeError,
      call: (s) => s.op.run(new Float64Array(6), undefined, s.out),
      message: /^FullyConnected\.run: input must be a Float32Array, got a Float64Array of 6 elements$/ },
    { entry: run, subject: cls, name: 'no shape: the input as a plain array', error: TypeError,
      call: (s) => s.op.run([1, 2, 3], undefined, s.out),
      message: /^FullyConnected\.run: input must be a Float32Array, got an array$/ },
    { entry: run, subject: cls, name: 'no shape (accepted: [length / inputChannels, inputChannels])',
      call: (s) => s.op.run(s.args[0]), check: (y, s) => assert.ok(sameBits(y, s.expected)) },
  );
  // Outputs beyond the heap: 3 GB (malloc of the glue fails), 4 GB (the size overflows size_t:
  // a C status at reshape). 1-channel inputs keep the inputs small.
  const huge = (name, batch, error, status, message, when) => ({
    entry: run, name, error, status, message, when, call: () => {
      const op = new FullyConnected({ inputChannels: 1, outputChannels: 65536 }, new Float32Array(65536));
      try {
        return op.run(new Float32Array(batch));
      } finally {
        assert.equal(op.run(new Float32Array(1)).length, 65536, 'the operator works afterwards');
        op.dispose();
      }
    },
  });
  cases.push(
    huge('an output of 3 GB (beyond the wasm32 heap)', 12288, PortnnError, 'out of memory',
         /^FullyConnected\.run: out of WebAssembly memory allocating 3221225472 bytes for the output \(the module heap grows to at most \d+ bytes; \d+ are in use\)$/,
         below3GB),
    huge('an output of 4 GB (beyond the 32-bit size_t)', 16384, PortnnError, 'invalid parameter',
         /^FullyConnected: pnn_reshape_fully_connected_nc_f32 for batch 16384 failed: invalid parameter( \(.+\))?$/),
  );
  return cases;
}

function batchMatMulCases() {
  const cls = 'BatchMatMul';
  const build = (o) => new BatchMatMul(o);
  const cases = [
    ...paramsObjectCases(cls, build),
    ...booleanCases(cls, build, 'transposeA'),
    ...booleanCases(cls, build, 'transposeB'),
    { entry: `${cls} constructor`, name: 'no parameters (accepted)', call: () => new BatchMatMul() },
  ];
  const run = 'BatchMatMul.run';
  const shapeOf = 'BatchMatMul.outputShape';
  const aShape = [2, 2, 3];
  const bShape = [3, 4];
  cases.push(
    ...shapeCases(run, cls, 'A shape', aShape, 2, 8, (s, shape) => s.op.run(s.args[0], shape, s.args[2], s.args[3], s.out)),
    ...shapeCases(run, cls, 'B shape', bShape, 2, 8, (s, shape) => s.op.run(s.args[0], s.args[1], s.args[2], shape, s.out)),
    ...shapeCases(shapeOf, cls, 'A shape', aShape, 2, 8, (s, shape) => s.op.outputShape(shape, bShape)),
    ...shapeCases(shapeOf, cls, 'B shape', bShape, 2, 8, (s, shape) => s.op.outputShape(aShape, shape)),
    ...inputCases(run, cls, 'a', 12, (s, x) => s.op.run(x, s.args[1], s.args[2], s.args[3], s.out)),
    ...inputCases(run, cls, 'b', 12, (s, x) => s.op.run(s.args[0], s.args[1], x, s.args[3], s.out)),
    ...outputCases(run, cls, 16, (s, out) => s.op.run(...s.args, out)),
  );
  for (const entry of [run, shapeOf]) {
    const call = entry === run
      ? (s, as, bs) => s.op.run(values(as.reduce((x, y) => x * y)), as, values(bs.reduce((x, y) => x * y)), bs, s.out)
      : (s, as, bs) => s.op.outputShape(as, bs);
    cases.push(
      { entry, subject: cls, name: 'inner dimensions differ', error: Error, call: (s) => call(s, [2, 3], [4, 2]),
        message: new RegExp(`^${lit(entry)}: inner dimensions differ: A \\[2, 3\\] has K = 3, B \\[4, 2\\] has K = 4$`) },
      // Broadcasting is the C library's rule: a C status, with its reason.
      { entry, subject: cls, name: 'batch dimensions that do not broadcast', error: PortnnError,
        status: 'invalid parameter', call: (s) => call(s, [2, 2, 3], [3, 3, 4]),
        message: new RegExp(`^BatchMatMul: pnn_reshape_batch_matmul_f32 for A \\[2, 2, 3\\] and B \\[3, 3, 4\\] failed: invalid parameter${C_REASON}$`) },
      { entry, subject: cls, name: 'batch dimensions that do not broadcast (rank 8)', error: PortnnError,
        status: 'invalid parameter', call: (s) => call(s, [2, 1, 1, 1, 1, 1, 2, 3], [3, 1, 1, 1, 1, 1, 3, 4]),
        message: new RegExp(`^BatchMatMul: pnn_reshape_batch_matmul_f32 for A \\[2, 1, 1, 1, 1, 1, 2, 3\\] and B \\[3, 1, 1, 1, 1, 1, 3, 4\\] failed: invalid parameter${C_REASON}$`) },
    );
  }
  cases.push(
    { entry: run, subject: cls, name: 'an output of 2^32 elements (beyond the 32-bit size_t)', error: PortnnError,
      status: 'invalid parameter', call: (s) => s.op.run(values(65536), [65536, 1], values(65536), [1, 65536], s.out),
      message: /^BatchMatMul: pnn_reshape_batch_matmul_f32 for A \[65536, 1\] and B \[1, 65536\] failed: invalid parameter( \(.+\))?$/ },
    { entry: run, subject: cls, name: 'an output of 2^31 elements (8 GB: beyond the 32-bit size_t in bytes)',
      error: PortnnError, status: 'invalid parameter',
      call: (s) => s.op.run(values(32768), [32768, 1], values(65536), [1, 65536], s.out),
      message: /^BatchMatMul: pnn_reshape_batch_matmul_f32 for A \[32768, 1\] and B \[1, 65536\] failed: invalid parameter( \(.+\))?$/ },
    { entry: run, subject: cls, name: 'an output of 3 GB (beyond the wasm32 heap)', error: PortnnError,
      status: 'out of memory', call: (s) => s.op.run(values(24576), [24576, 1], values(32768), [1, 32768]),
      message: /^BatchMatMul\.run: out of WebAssembly memory allocating 3221225472 bytes for the output/, when: below3GB },
  );
  return cases;
}

// MaxPooling2D.runWithIndices: without argmax, and its arguments on an argmax operator (created
// and disposed by each case; the 3x3 window of poolingCases on 4 channels).
function argmaxCases(cls, buildArgmax) {
  const entry = `${cls}.runWithIndices`;
  const onArgmax = (args) => () => {
    const op = buildArgmax({});
    try {
      return op.runWithIndices(...args);
    } finally {
      op.dispose();
    }
  };
  const x = values(1 * 4 * 4 * 4, 21);
  return [
    { entry, subject: cls, name: 'on an operator created without argmax', error: Error,
      call: (s) => s.op.runWithIndices(...s.args, s.out),
      message: new RegExp(`^${cls}\\.runWithIndices: the operator was created without argmax: true$`) },
    { entry, name: 'indices a Float32Array', error: TypeError,
      call: onArgmax([x, [1, 4, 4, 4], undefined, new Float32Array(16)]),
      message: new RegExp(`^${cls}\\.runWithIndices: indices must be a Uint32Array, got `) },
    { entry, name: 'indices an array of numbers', error: TypeError,
      call: onArgmax([x, [1, 4, 4, 4], undefined, new Array(16).fill(0)]),
      message: new RegExp(`^${cls}\\.runWithIndices: indices must be a Uint32Array, got `) },
    { entry, name: 'indices of 15 elements for 16', error: Error,
      call: onArgmax([x, [1, 4, 4, 4], undefined, new Uint32Array(15)]),
      message: new RegExp(`^${cls}\\.runWithIndices: indices has 15 elements, expected 16$`) },
    { entry, name: 'output of 17 elements for 16', error: Error,
      call: onArgmax([x, [1, 4, 4, 4], new Float32Array(17)]),
      message: new RegExp(`^${cls}\\.runWithIndices: output has 17 elements, expected 16$`) },
    { entry, name: 'input shape with 3 channels for 4', error: Error,
      call: onArgmax([values(48), [1, 4, 4, 3]]),
      message: new RegExp(`^${cls}\\.runWithIndices: input shape \\[1, 4, 4, 3\\] has 3 channels, expected 4$`) },
    { entry, name: 'an input smaller than the window (C rejects the shape)', error: PortnnError,
      status: 'invalid parameter', call: onArgmax([values(8), [1, 2, 1, 4]]),
      message: new RegExp(`^${cls}: pnn_reshape_argmax_pooling2d_nhwc_f32 for input shape \\[1, 2, 1, 4\\] failed: invalid parameter${C_REASON}$`) },
  ];
}

function poolingCases(cls, isMax) {
  const Cls = isMax ? MaxPooling2D : AveragePooling2D;
  const kind = isMax ? 'max' : 'average';
  const cName = `pnn_create_${kind}_pooling2d_nhwc_f32`;
  const base = { poolingHeight: 3, poolingWidth: 3, channels: 4 };
  const build = (o) => new Cls({ ...base, ...o });
  const create = (name, o, hint, status = 'invalid parameter') => ({
    entry: `${cls} constructor`, name, call: () => build(o), error: PortnnError, status,
    message: new RegExp(`^${cls}: ${cName} failed: ${status}${C_REASON}$`),
  });
  const cases = [
    ...paramsObjectCases(cls, (p) => new Cls(p)),
    { entry: `${cls} constructor`, name: 'no arguments', call: () => new Cls(), error: TypeError,
      message: new RegExp(`^${cls}: poolingHeight must be an integer .*got undefined$`) },
  ];
  for (const [key, min, required] of [
    ['poolingHeight', 1, true], ['poolingWidth', 1, true], ['strideHeight', 1], ['strideWidth', 1],
    ['dilationHeight', 1], ['dilationWidth', 1], ['paddingTop', 0], ['paddingRight', 0],
    ['paddingBottom', 0], ['paddingLeft', 0], ['channels', 1, true]]) {
    cases.push(...integerCases(cls, build, key, min, required));
  }
  cases.push(...booleanCases(cls, build, 'tensorflowSamePadding'),
             ...clampCases(cls, build, 'outputMin', 'outputMax', cName));
  if (!isMax) cases.push(...booleanCases(cls, build, 'countIncludePad'));
  // Zero fits the parameters' C type: the C library judges it.
  for (const key of ['poolingHeight', 'poolingWidth', 'strideHeight', 'strideWidth', 'dilationHeight',
                     'dilationWidth', 'channels']) {
    cases.push(create(`${key} 0`, { [key]: 0 }, `${key} is 0`));
  }
  cases.push(
    create('SAME padding with explicit padding', { tensorflowSamePadding: true, paddingTop: 1 },
           'tensorflowSamePadding with explicit padding'),
    create('paddingTop equal to the window', { paddingTop: 3 }, "paddingTop 3 is not smaller than the window's extent 3"),
    create('paddingRight larger than the window', { paddingRight: 7 }, "paddingRight 7 is not smaller than the window's extent 3"),
    create('paddingBottom 2^32-1', { paddingBottom: U32_MAX }, `paddingBottom ${U32_MAX} is not smaller than the window's extent 3`),
    create('padding on a 1x1 window', { poolingHeight: 1, poolingWidth: 1, paddingLeft: 1 },
           "paddingLeft 1 is not smaller than the window's extent 1"),
    create('channels 2^30 (a row of 4 GB)', { channels: 2 ** 30 },
           `channels ${2 ** 30}: a row of that many floats exceeds the 32-bit size_t of wasm32`),
    create('channels 2^32-1', { channels: U32_MAX },
           `channels ${U32_MAX}: a row of that many floats exceeds the 32-bit size_t of wasm32`),
  );
  if (isMax) {
    cases.push(
      create('padding equal to the dilated window', { poolingHeight: 2, dilationHeight: 3, paddingTop: 4 },
             "paddingTop 4 is not smaller than the window's extent 4"),
      { entry: `${cls} constructor`, name: 'padding just inside the dilated window (accepted)',
        call: () => build({ poolingHeight: 2, dilationHeight: 3, paddingTop: 3 }) },
      create('a window of (2^32-1)^2 taps', { poolingHeight: U32_MAX, poolingWidth: U32_MAX },
             `the window's ${U32_MAX}x${U32_MAX} taps exceed 32 bits`),
      // Valid at create (nothing depends on the input yet); every reshape rejects it.
      { entry: `${cls} constructor`, name: 'a dilated window beyond 32 bits (valid at create)',
        call: () => build({ poolingHeight: 2, dilationHeight: U32_MAX }) },
      ...booleanCases(cls, build, 'argmax'),
      ...argmaxCases(cls, (o) => build({ ...o, argmax: true })),
    );
  } else {
    cases.push(
      create('dilation (average pooling needs 1)', { dilationWidth: 2 }, 'average pooling needs dilation 1',
             'unsupported parameter'),
      create('dilation with padding beyond the window: padding is checked first', { dilationWidth: 2, paddingLeft: 6 },
             "paddingLeft 6 is not smaller than the window's extent 5; average pooling needs dilation 1"),
    );
  }
  const run = `${cls}.run`;
  const shapeOf = `${cls}.outputShape`;
  cases.push(
    ...oneInputCases(cls, [1, 4, 4, 2], 4, 4, 8, true),
    { entry: run, subject: cls, name: 'input shape with 3 channels for 2', error: Error,
      call: (s) => s.op.run(values(48), [1, 4, 4, 3], s.out),
      message: new RegExp(`^${cls}\\.run: input shape \\[1, 4, 4, 3\\] has 3 channels, expected 2$`) },
  );
  const reshapeFail = reshapeFailFactory(cls, `pnn_reshape_${kind}_pooling2d_nhwc_f32`,
                                         (o) => new Cls({ channels: 1, ...o }));
  for (const entry of [run, shapeOf]) {
    cases.push(
      reshapeFail(entry, 'input below the window', { poolingHeight: 3, poolingWidth: 3 }, [1, 2, 5, 1],
                  'the pooling window spans 3 rows (dilation included), more than the 2 rows of the padded input'),
      reshapeFail(entry, 'input below the window (width)', { poolingHeight: 3, poolingWidth: 3 }, [1, 5, 2, 1],
                  'the pooling window spans 3 columns (dilation included), more than the 2 columns of the padded input'),
    );
    if (isMax) {
      // 2-tap window, dilation 3, padding 1: with 2 input rows both taps fall in the padding.
      const p = { poolingHeight: 2, poolingWidth: 2, dilationHeight: 3, dilationWidth: 3, paddingTop: 1,
                  paddingRight: 1, paddingBottom: 1, paddingLeft: 1 };
      cases.push(
        reshapeFail(entry, 'a dilated window entirely in the padding (height)', p, [1, 2, 3, 1],
                    'the pooling window of output row 0 covers only padding'),
        reshapeFail(entry, 'a dilated window entirely in the padding (width)', p, [1, 3, 2, 1],
                    'the pooling window of output column 0 covers only padding'),
        reshapeFail(entry, 'dilation past the padded input', p, [1, 1, 3, 1],
                    'the pooling window spans 4 rows (dilation included), more than the 3 rows of the padded input'),
        reshapeFail(entry, 'a dilated window beyond 32 bits', { poolingHeight: 2, poolingWidth: 1, dilationHeight: U32_MAX },
                    [1, 5, 5, 1], `the pooling window spans ${2 ** 32} rows (dilation included), more than the 5 rows of the padded input`,
                    'invalid parameter', null),
      );
    }
  }
  // A failed reshape changes nothing: rerun() runs the last run() again (its shape, its inputs).
  cases.push({ entry: `${cls}.rerun`, subject: cls, name: 'after a run() whose reshape failed',
               call: (s) => {
                 assert.throws(() => s.op.run(values(2), [1, 1, 1, 2]), PortnnError);
                 const output = s.op._state.buffers.get('output');
                 rt().f32(output.ptr, s.outCount).fill(NaN);
                 s.op.rerun();
                 return rt().f32(output.ptr, s.outCount).slice();
               },
               check: (y, s) => assert.ok(sameBits(y, s.expected), 'rerun() computed something else') });
  // The indirection of a 10000x10000 image (~3.6 GB) cannot be allocated: out of memory.
  cases.push(reshapeFail(shapeOf, 'a workspace beyond the heap (10000x10000 image)', { poolingHeight: 3, poolingWidth: 3 },
                         [1, 10000, 10000, 1], '', 'out of memory'));
  return cases;
}

function globalAveragePoolingCases() {
  const cls = 'GlobalAveragePooling';
  const build = (o) => new GlobalAveragePooling({ channels: 3, ...o });
  const cName = 'pnn_create_global_average_pooling_nwc_f32';
  const run = 'GlobalAveragePooling.run';
  return [
    ...paramsObjectCases(cls, (p) => new GlobalAveragePooling(p)),
    ...integerCases(cls, build, 'channels', 1, true),
    ...clampCases(cls, build, 'outputMin', 'outputMax', cName),
    { entry: `${cls} constructor`, name: 'channels 2^32-1', call: () => build({ channels: U32_MAX }),
      error: PortnnError, status: 'invalid parameter',
      message: new RegExp(`^${cls}: ${cName} failed: invalid parameter${C_REASON}$`) },
    ...oneInputCases(cls, [2, 4, 3], 3, 4, 6, false),
    { entry: run, subject: cls, name: 'input shape with 4 channels for 3', error: Error,
      call: (s) => s.op.run(values(32), [2, 4, 4], s.out),
      message: /^GlobalAveragePooling\.run: input shape \[2, 4, 4\] has 4 channels, expected 3$/ },
    { entry: run, subject: cls, name: 'an NHWC shape (accepted)', call: (s) => s.op.run(s.args[0], [2, 2, 2, 3]),
      check: (y, s) => assert.ok(sameBits(y, s.expected)) },
  ];
}

function unaryCases() {
  const cls = 'Unary';
  const cName = 'pnn_create_unary_elementwise_nc_f32';
  const ops = 'relu, relu6, clamp, leakyRelu, elu, sigmoid, tanh, hardswish, gelu, silu, abs, negate, square, sqrt, exp, ' +
              'hardSigmoid, erf, log, reciprocal, rsqrt, floor, ceil, round, sin, cos, softplus';
  const cases = [];
  for (const [label, op] of [["''", ''], ["'Relu'", 'Relu'], ["'mish'", 'mish'],
                             ["'toString'", 'toString'], ["'__proto__'", '__proto__'], ['undefined', undefined],
                             ['null', null], ['0', 0], ['a symbol', Symbol('relu')], ['a String object', new String('relu')], // eslint-disable-line no-new-wrappers
                             ['an object whose toString throws', { toString() { throw new Error('boom'); } }]]) {
    cases.push({ entry: `${cls} constructor`, name: `op ${label}`, call: () => new Unary(op), error: TypeError,
                 message: new RegExp(`^Unary: unknown op .* \\(expected ${lit(ops)}\\)$`) });
  }
  cases.push(
    ...paramsObjectCases(cls, (p) => new Unary('elu', p)),
    ...clampCases(cls, (o) => new Unary('clamp', o), 'min', 'max', cName),
    ...numberCases(cls, (o) => new Unary('leakyRelu', o), 'negativeSlope'),
    ...numberCases(cls, (o) => new Unary('elu', o), 'alpha'),
  );
  const bad = (name, op, o, hint) => ({
    entry: `${cls} constructor`, name, call: () => new Unary(op, o), error: PortnnError, status: 'invalid parameter',
    message: new RegExp(`^Unary: ${cName} failed: invalid parameter${C_REASON}$`),
  });
  for (const v of [NaN, Infinity, -Infinity, 1e39]) {
    cases.push(bad(`leakyRelu negativeSlope ${v}`, 'leakyRelu', { negativeSlope: v },
                   `negativeSlope ${v} is not finite as a float32`),
               bad(`elu alpha ${v}`, 'elu', { alpha: v }, `alpha ${v} is not finite as a float32`));
  }
  for (const [label, v] of [["'erf'", 'erf'], ['true', true], ['null', null], ['0', 0]]) {
    cases.push({ entry: `${cls} constructor`, name: `gelu approximate ${label}`, call: () => new Unary('gelu', { approximate: v }),
                 error: TypeError, message: /^Unary: approximate must be 'none' or 'tanh', got / });
  }
  // Fields an op does not use are ignored (as in the C struct).
  cases.push({ entry: `${cls} constructor`, name: 'abs with a NaN negativeSlope (ignored)',
               call: () => new Unary('abs', { negativeSlope: NaN, alpha: Infinity, min: 1, max: 0 }) });
  const run = 'Unary.run';
  cases.push(
    ...oneInputCases(cls, [2, 3], 1, 32, 6, false),
    { entry: run, subject: cls, name: 'no shape: a plain array', error: TypeError,
      call: (s) => s.op.run([1, 2], undefined, s.out),
      message: /^Unary\.run: input must be a Float32Array, got an array$/ },
    { entry: run, subject: cls, name: 'no shape: an empty input', error: RangeError,
      call: (s) => s.op.run(new Float32Array(0), undefined, s.out),
      message: /^Unary\.run: input shape \[0\] must hold integers >= 1 .*dimension 0 is 0$/ },
    { entry: run, subject: cls, name: 'output === input (in place, accepted)', call: (s) => {
      const x = s.args[0].slice();
      assert.equal(s.op.run(x, s.args[1], x), x);
      assert.ok(sameBits(x, s.expected));
    } },
    // As many floats as the heap's cap holds (2 GB on this build): _malloc itself returns NULL.
    { entry: run, name: 'an input as large as the heap (_malloc returns NULL)', error: PortnnError, status: 'out of memory',
      call: () => {
        const op = new Unary('abs');
        try {
          return op.run(new Float32Array(Math.min(Math.floor(rt().heapMax() / 4), 2 ** 30 - 1)));
        } finally {
          assert.deepEqual(Array.from(op.run(new Float32Array([-1, 2]))), [1, 2]);
          op.dispose();
        }
      },
      message: /^Unary\.run: out of WebAssembly memory allocating \d+ bytes for the input/ },
  );
  return cases;
}

function binaryCases() {
  const cls = 'Binary';
  const cName = 'pnn_create_binary_elementwise_nd_f32';
  const ops = 'add, subtract, multiply, divide, minimum, maximum, squaredDifference, pow';
  const cases = [];
  for (const [label, op] of [["'atan2'", 'atan2'], ["'Add'", 'Add'], ["''", ''], ["'hasOwnProperty'", 'hasOwnProperty'],
                             ['undefined', undefined], ['0', 0], ['a symbol', Symbol('add')]]) {
    cases.push({ entry: `${cls} constructor`, name: `op ${label}`, call: () => new Binary(op), error: TypeError,
                 message: new RegExp(`^Binary: unknown op .* \\(expected ${lit(ops)}\\)$`) });
  }
  cases.push(...paramsObjectCases(cls, (p) => new Binary('add', p)),
             ...clampCases(cls, (o) => new Binary('add', o), 'outputMin', 'outputMax', cName));
  const run = 'Binary.run';
  const shapeOf = 'Binary.outputShape';
  // Binary shapes take 1 to 6 dims ([] is a scalar, accepted below).
  cases.push(
    ...shapeCases(run, cls, 'A shape', [2, 3], 1, 6, (s, shape) => s.op.run(s.args[0], shape, s.args[2], s.args[3], s.out)),
    ...shapeCases(run, cls, 'B shape', [3], 1, 6, (s, shape) => s.op.run(s.args[0], s.args[1], s.args[2], shape, s.out)),
    ...shapeCases(shapeOf, cls, 'A shape', [2, 3], 1, 6, (s, shape) => s.op.outputShape(shape, [3])),
    ...shapeCases(shapeOf, cls, 'B shape', [3], 1, 6, (s, shape) => s.op.outputShape([2, 3], shape)),
    ...inputCases(run, cls, 'a', 6, (s, x) => s.op.run(x, s.args[1], s.args[2], s.args[3], s.out)),
    ...inputCases(run, cls, 'b', 3, (s, x) => s.op.run(s.args[0], s.args[1], x, s.args[3], s.out)),
    ...outputCases(run, cls, 6, (s, out) => s.op.run(...s.args, out)),
  );
  for (const entry of [run, shapeOf]) {
    const call = entry === run
      ? (s, as, bs) => s.op.run(values(as.reduce((x, y) => x * y, 1)), as, values(bs.reduce((x, y) => x * y, 1)), bs, s.out)
      : (s, as, bs) => s.op.outputShape(as, bs);
    for (const [as, bs] of [[[2, 3], [2]], [[2, 3], [3, 2]], [[4, 1, 3], [2, 1, 2]], [[2, 1, 1, 1, 1, 3], [3, 1, 1, 1, 1, 3]]]) {
      // Broadcasting is the C library's rule: a C status, with its reason.
      cases.push({ entry, subject: cls, name: `shapes [${as}] and [${bs}] (no broadcast)`, error: PortnnError,
                   status: 'invalid parameter', call: (s) => call(s, as, bs),
                   message: new RegExp(`^Binary: pnn_reshape_binary_elementwise_nd_f32 for shapes ${lit(`[${as.join(', ')}]`)} and ${lit(`[${bs.join(', ')}]`)} failed: invalid parameter${C_REASON}$`) });
    }
    cases.push({ entry, subject: cls, name: 'a scalar [] against [2, 3] (accepted)', call: (s) => call(s, [], [2, 3]),
                 check: (y) => assert.equal(entry === run ? y.length : y.join(), entry === run ? 6 : '2,3') });
  }
  cases.push(
    { entry: run, subject: cls, name: 'an output of 2^32 elements (beyond the 32-bit size_t)', error: PortnnError,
      status: 'invalid parameter', call: (s) => s.op.run(values(65536), [65536, 1], values(65536), [1, 65536], s.out),
      message: /^Binary: pnn_reshape_binary_elementwise_nd_f32 for shapes \[65536, 1\] and \[1, 65536\] failed: invalid parameter( \(.+\))?$/ },
    { entry: run, subject: cls, name: 'an output of 46341^2 elements (bytes beyond the 32-bit size_t)', error: PortnnError,
      status: 'invalid parameter', call: (s) => s.op.run(values(46341), [46341, 1], values(46341), [1, 46341], s.out),
      message: /^Binary: pnn_reshape_binary_elementwise_nd_f32 for shapes \[46341, 1\] and \[1, 46341\] failed: invalid parameter( \(.+\))?$/ },
    { entry: run, subject: cls, name: 'an output of 3 GB (beyond the wasm32 heap)', error: PortnnError,
      status: 'out of memory', call: (s) => s.op.run(values(24576), [24576, 1], values(32768), [1, 32768]),
      message: /^Binary\.run: out of WebAssembly memory allocating 3221225472 bytes for the output/, when: below3GB },
  );
  return cases;
}

function softmaxCases() {
  const cls = 'Softmax';
  const cName = 'pnn_create_softmax_nc_f32';
  const run = 'Softmax.run';
  return [
    ...paramsObjectCases(cls, (p) => new Softmax(p)),
    ...integerCases(cls, (o) => new Softmax({ channels: 4, ...o }), 'channels', 1, true),
    { entry: `${cls} constructor`, name: 'no arguments', call: () => new Softmax(), error: TypeError,
      message: /^Softmax: channels must be an integer .*got undefined$/ },
    ...[0, 2 ** 30, U32_MAX].map((c) => ({
      entry: `${cls} constructor`, name: `channels ${c}`, call: () => new Softmax({ channels: c }),
      error: PortnnError, status: 'invalid parameter',
      message: new RegExp(`^Softmax: ${cName} failed: invalid parameter${C_REASON}$`),
    })),
    ...oneInputCases(cls, [2, 4], 1, 32, 8, false),
    ...lastAxisCases(cls, 'channels', 'channels', 4, 6),
    { entry: run, subject: cls, name: 'no shape: a DataView', error: TypeError,
      call: (s) => s.op.run(new DataView(new ArrayBuffer(32)), undefined, s.out),
      message: /^Softmax\.run: input must be a Float32Array, got a DataView$/ },
  ];
}

// The graph API: each call's own argument checks and C's reasons (the graph and runtime of a
// case are disposed by it, so the heap returns to its baseline).
function graphCases() {
  const withGraph = (fn) => () => {
    const g = new Graph();
    try {
      return fn(g);
    } finally {
      g.dispose();
    }
  };
  // A runtime of one softmax over an input [2, 3] (value 0 -> value 1).
  const withRuntime = (fn) => withGraph((g) => {
    g.softmax(g.input([2, 3]), g.output());
    const r = g.createRuntime();
    try {
      return fn(r);
    } finally {
      r.dispose();
    }
  });
  const e = (entry, name, call, error, message, status) => ({ entry, name, call, error, message, status });
  const bad = (entry, call) => e(entry, 'a value id out of range', call, PortnnError,
                                 new RegExp(`^Graph\\.\\w+: pnn_define_\\w+ failed: invalid parameter \\(.*is not a value of the graph`),
                                 'invalid parameter');
  return [
    e('Graph constructor', 'called without new', () => Graph(), TypeError, /Graph/),
    e('Graph.input', 'a zero dim', withGraph((g) => g.input([1, 0])), RangeError, /^Graph\.input: /),
    e('Graph.output', 'a shape that is not an array', withGraph((g) => g.output('big')), TypeError, /^Graph\.output: shape must be an array/),
    e('Graph.value', 'a seven-dim shape', withGraph((g) => g.value([1, 1, 1, 1, 1, 1, 1])), RangeError, /^Graph\.value: /),
    e('Graph.constant', 'data of the wrong length', withGraph((g) => g.constant(new Float32Array(5), [2, 3])), Error, /^Graph\.constant: data has 5 elements, expected 6$/),
    bad('Graph.convolution2D', withGraph((g) => g.convolution2D({ kernelHeight: 1, kernelWidth: 1, groupInputChannels: 1, groupOutputChannels: 1 }, 7, 8, null, 9))),
    bad('Graph.fullyConnected', withGraph((g) => g.fullyConnected(undefined, 0, 1, null, 2))),
    bad('Graph.batchMatMul', withGraph((g) => g.batchMatMul(undefined, 0, 1, 2))),
    bad('Graph.maxPooling2D', withGraph((g) => g.maxPooling2D({ poolingHeight: 2, poolingWidth: 2, channels: 1 }, 0, 1))),
    bad('Graph.averagePooling2D', withGraph((g) => g.averagePooling2D({ poolingHeight: 2, poolingWidth: 2, channels: 1 }, 0, 1))),
    bad('Graph.globalAveragePooling', withGraph((g) => g.globalAveragePooling(undefined, 0, 1))),
    e('Graph.unary', 'an unknown op', withGraph((g) => g.unary('frobnicate', undefined, 0, 1)), TypeError, /^Graph\.unary: unknown op 'frobnicate'/),
    e('Graph.binary', 'an unknown op', withGraph((g) => g.binary('pow2', undefined, 0, 1, 2)), TypeError, /^Graph\.binary: unknown op 'pow2'/),
    bad('Graph.softmax', withGraph((g) => g.softmax(0, 1))),
    e('Graph.reshape', 'a shape that is not an array', withGraph((g) => g.reshape(12, 0, 1)), TypeError, /^Graph\.reshape: shape must be an array/),
    bad('Graph.deconvolution2D', withGraph((g) => g.deconvolution2D({ kernelHeight: 1, kernelWidth: 1, groupInputChannels: 1, groupOutputChannels: 1 }, 7, 8, null, 9))),
    bad('Graph.resize2D', withGraph((g) => g.resize2D({ channels: 1, outputSize: [2, 2] }, 0, 1))),
    e('Graph.transpose', 'a perm that is not a permutation', withGraph((g) => g.transpose({ perm: [1, 1] }, g.input([2, 3]), g.output())),
      PortnnError, /^Graph\.transpose: pnn_define_transpose failed: invalid parameter \(perm\[1\] is 1; perm must be a permutation of 0\.\.1\)$/, 'invalid parameter'),
    bad('Graph.depthToSpace', withGraph((g) => g.depthToSpace({ blockSize: 2 }, 0, 1))),
    bad('Graph.spaceToDepth', withGraph((g) => g.spaceToDepth({ blockSize: 2 }, 0, 1))),
    e('Graph.pad', 'pre and post of different lengths', withGraph((g) => g.pad({ pre: [1], post: [1, 2] }, 0, 1)),
      RangeError, /^Graph\.pad: pre and post must have one entry per dimension each, got 1 and 2$/),
    e('Graph.concatenate', 'one input', withGraph((g) => g.concatenate({ axis: 0 }, [0], 1)), RangeError,
      /^Graph\.concatenate: inputs has 1 entries; it must have 2 to 64$/),
    e('Graph.split', 'one value as two outputs', withGraph((g) => {
      const x = g.input([4]);
      const y = g.output();
      return g.split({ axis: 0 }, x, [y, y]);
    }), PortnnError, /^Graph\.split: pnn_define_split failed: invalid parameter \(output_ids\[1\] 1 is also output 0 of the node; each value is produced once\)$/, 'invalid parameter'),
    e('Graph.slice', 'a step of 0', withGraph((g) => g.slice({ begins: [0], ends: [4], steps: [0] }, g.input([4]), g.output())),
      PortnnError, /^Graph\.slice: pnn_define_slice failed: invalid parameter \(steps\[0\] is 0; steps are >= 1\)$/, 'invalid parameter'),
    e('Graph.reduce', 'an unknown op', withGraph((g) => g.reduce('median', undefined, 0, 1)), TypeError, /^Graph\.reduce: unknown op 'median'/),
    e('Graph.layerNorm', 'an external input as gamma', withGraph((g) => {
      const x = g.input([2, 3]);
      return g.layerNorm(undefined, x, null, x, g.output());
    }), PortnnError, /^Graph\.layerNorm: pnn_define_layer_norm failed: invalid parameter \(gamma_id 0 is not a static value/, 'invalid parameter'),
    bad('Graph.rmsNorm', withGraph((g) => g.rmsNorm(undefined, 5, 0, 1))),
    bad('Graph.batchNorm', withGraph((g) => g.batchNorm(undefined, 0, 1, 2, 3, 4, 5))),
    bad('Graph.prelu', withGraph((g) => g.prelu(0, 1, 2))),
    bad('Graph.copy', withGraph((g) => g.copy(0, 1))),
    e('Graph.nameNode', 'no such node', withGraph((g) => g.nameNode(3, 'x')), PortnnError, /^Graph\.nameNode: pnn_set_node_name failed: invalid parameter \(node_index 3: the graph has 0 nodes\)$/, 'invalid parameter'),
    e('Graph.createRuntime', 'a node reading its own output', withGraph((g) => {
      const v = g.value();
      g.unary('abs', undefined, v, v);
      return g.createRuntime();
    }), PortnnError, /^Graph\.createRuntime: pnn_create_runtime failed: invalid parameter \(node 0 \(unary\) reads its own output/, 'invalid parameter'),
    e('Graph.dispose', 'twice', withGraph((g) => { g.dispose(); g.dispose(); }), null),
    e('GraphRuntime.shape', 'an unknown value', withRuntime((r) => r.shape(9)), PortnnError, /^GraphRuntime\.shape: pnn_get_value_shape failed: invalid parameter/, 'invalid parameter'),
    e('GraphRuntime.reshape', 'an output given a shape', withRuntime((r) => r.reshape({ 1: [2, 3] })), Error, /^GraphRuntime\.reshape: value 1 is not an external input$/),
    e('GraphRuntime.run', 'no input', withRuntime((r) => r.run({})), Error, /^GraphRuntime\.run: no data for external input 0 \(shape \[2, 3\]\)$/),
    e('GraphRuntime.profile', 'after dispose', withRuntime((r) => { r.dispose(); return r.profile(); }), Error, /^GraphRuntime\.profile: the GraphRuntime was disposed$/),
    e('GraphRuntime.memory', 'after dispose', withRuntime((r) => { r.dispose(); return r.memory(); }), Error, /^GraphRuntime\.memory: the GraphRuntime was disposed$/),
    e('GraphRuntime.dispose', 'twice', withRuntime((r) => { r.dispose(); r.dispose(); }), null),
  ].map((c) => (c.error === null ? { entry: c.entry, name: c.name, call: c.call } : c));
}

// The data-movement classes (op-data.js): parameter types, C's rejections with its reason, and
// Split, whose run() returns an array of outputs, by hand.
function dataMovementCases() {
  const constructors = { Transpose, Pad, Slice, DepthToSpace, SpaceToDepth, Concatenate, Split };
  const cases = Object.entries(constructors).flatMap(([cls, C]) => paramsObjectCases(cls, (p) => new C(p)));
  const rejected = (entry, name, make, call, context, cName) => ({
    entry, name, error: PortnnError, status: 'invalid parameter',
    call: () => {
      const op = make();
      try { return call(op); } finally { op.dispose(); }
    },
    message: new RegExp(`^${entry.split('.')[0]}: ${cName}${lit(context)} failed: invalid parameter${C_REASON}$`),
  });
  const typed = (entry, name, call, error, message) => ({ entry, name, call, error, message });
  const once = (make, call) => () => {  // call(op) on a fresh operator, disposed after
    const op = make();
    try { return call(op); } finally { op.dispose(); }
  };
  cases.push(
    typed('Transpose constructor', 'perm as a string', () => new Transpose({ perm: '1,0' }), TypeError,
          /^Transpose: perm must be an array of integers, got /),
    typed('Transpose constructor', 'perm entry -1', () => new Transpose({ perm: [-1, 0] }), RangeError,
          /^Transpose: perm\[0\] must be an integer in /),
    rejected('Transpose.run', 'a repeated perm entry', () => new Transpose({ perm: [0, 0] }),
             (op) => op.run(values(6), [2, 3]), ' for input shape [2, 3]', 'pnn_reshape_transpose_nd_x32'),
    typed('Transpose.run', 'perm of another rank', once(() => new Transpose({ perm: [0] }), (op) => op.run(values(6), [2, 3])),
          Error, /^Transpose\.run: input shape \[2, 3\] has 2 dimensions but perm has 1 entries$/),
    typed('Pad constructor', "mode 'wrap'", () => new Pad({ mode: 'wrap', pre: [0], post: [0] }), TypeError,
          /^Pad: mode must be 'constant', 'reflect' or 'edge', got /),
    typed('Pad constructor', 'value as a string', () => new Pad({ value: '1', pre: [0], post: [0] }), TypeError,
          /^Pad: value must be a number, got /),
    typed('Pad constructor', 'pre and post of different lengths', () => new Pad({ pre: [0], post: [0, 1] }),
          RangeError, /^Pad: pre and post must have one entry per dimension each, got 1 and 2$/),
    rejected('Pad.run', 'a reflect padding >= its dim', () => new Pad({ mode: 'reflect', pre: [0, 3], post: [0, 0] }),
             (op) => op.run(values(6), [2, 3]), ' for input shape [2, 3]', 'pnn_reshape_pad_nd_x32'),
    typed('Slice constructor', 'a fractional bound', () => new Slice({ begins: [0.5], ends: [1] }), RangeError,
          /^Slice: begins\[0\] must be a safe integer or ±Infinity, got /),
    typed('Slice constructor', 'steps of another length', () => new Slice({ begins: [0], ends: [1], steps: [1, 1] }),
          RangeError, /^Slice: begins, ends and steps must have one entry per dimension each$/),
    rejected('Slice.run', 'a step of 0', () => new Slice({ begins: [0], ends: [4], steps: [0] }),
             (op) => op.run(values(4), [4]), ' for input shape [4]', 'pnn_reshape_slice_nd_x32'),
    rejected('Slice.outputShape', 'an empty slice', () => new Slice({ begins: [3], ends: [-3] }),
             (op) => op.outputShape([4]), ' for input shape [4]', 'pnn_reshape_slice_nd_x32'),
    ...oneInputCases('Transpose', [2, 3], 1, 6, 6, true),
    ...oneInputCases('Pad', [2, 3], 1, 6, 15, true),
    ...oneInputCases('Slice', [2, 3], 1, 6, 4, true),
    ...oneInputCases('DepthToSpace', [1, 1, 2, 4], 1, 6, 8, true),
    ...oneInputCases('SpaceToDepth', [1, 2, 2, 2], 1, 6, 8, true),
    ...integerCases('DepthToSpace', (o) => new DepthToSpace({ blockSize: 2, ...o }), 'blockSize', 0, true),
    typed('DepthToSpace constructor', "mode 'dcr'", () => new DepthToSpace({ blockSize: 2, mode: 'dcr' }),
          TypeError, /^DepthToSpace: mode must be 'DCR' or 'CRD', got /),
    rejected('DepthToSpace.run', 'channels not a multiple of block^2', () => new DepthToSpace({ blockSize: 2 }),
             (op) => op.run(values(6), [1, 1, 1, 6]), ' for input shape [1, 1, 1, 6]',
             'pnn_reshape_depth_to_space_nhwc_x32'),
    typed('DepthToSpace.run', 'a rank-3 shape', once(() => new DepthToSpace({ blockSize: 1 }), (op) => op.run(values(4), [1, 1, 4])),
          Error, /^DepthToSpace\.run: input shape \[1, 1, 4\] must be \[N, H, W, C\]$/),
    ...integerCases('SpaceToDepth', (o) => new SpaceToDepth({ blockSize: 2, ...o }), 'blockSize', 0, true),
    rejected('SpaceToDepth.outputShape', 'a height not a multiple of the block', () => new SpaceToDepth({ blockSize: 2 }),
             (op) => op.outputShape([1, 3, 2, 1]), ' for input shape [1, 3, 2, 1]',
             'pnn_reshape_space_to_depth_nhwc_x32'),
    ...integerCases('Concatenate', (o) => new Concatenate({ count: 2, axis: 0, ...o }), 'count', 0, true),
    ...integerCases('Concatenate', (o) => new Concatenate({ count: 2, axis: 0, ...o }), 'axis', 0, true),
    { entry: 'Concatenate constructor', name: 'count 1', call: () => new Concatenate({ count: 1, axis: 0 }),
      error: PortnnError, status: 'invalid parameter',
      message: new RegExp(`^Concatenate: pnn_create_concatenate_nd_x32 failed: invalid parameter${C_REASON}$`) },
    { entry: 'Concatenate.run', subject: 'Concatenate', name: 'inputs not an array', error: TypeError,
      call: (s) => s.op.run(values(6), s.args[1], s.out),
      message: /^Concatenate\.run: inputs must be an array of Float32Arrays, got / },
    { entry: 'Concatenate.run', subject: 'Concatenate', name: 'one input too many', error: RangeError,
      call: (s) => s.op.run([...s.args[0], values(2)], s.args[1], s.out),
      message: /^Concatenate\.run: inputs has 3 entries, expected 2$/ },
    { entry: 'Concatenate.run', subject: 'Concatenate', name: 'an input of the wrong length', error: Error,
      call: (s) => s.op.run([values(3), s.args[0][1]], s.args[1], s.out),
      message: /^Concatenate\.run: inputs\[0\] has 3 elements but its shape \[2, 1\] needs 2$/ },
    { entry: 'Concatenate.outputShape', subject: 'Concatenate', name: 'shapes that disagree off the axis',
      call: (s) => s.op.outputShape([[2, 1], [3, 2]]), error: PortnnError, status: 'invalid parameter',
      message: new RegExp(`^Concatenate: pnn_reshape_concatenate_nd_x32 for shapes \\[2, 1\\], \\[3, 2\\] failed: invalid parameter${C_REASON}$`) },
    ...outputCases('Concatenate.run', 'Concatenate', 6, (s, out) => s.op.run(...s.args, out)),
    ...integerCases('Split', (o) => new Split({ axis: 0, sizes: [1, 1], ...o }), 'axis', 0, true),
    typed('Split constructor', 'sizes as a number', () => new Split({ axis: 0, sizes: 2 }), TypeError,
          /^Split: sizes must be an array of integers, got /),
    rejected('Split.run', 'sizes that do not sum to the axis dim', () => new Split({ axis: 0, sizes: [1, 1] }),
             (op) => op.run(values(3), [3]), ' for input shape [3]', 'pnn_reshape_split_nd_x32'),
    rejected('Split.outputShape', 'an axis past the rank', () => new Split({ axis: 1, sizes: [1, 1] }),
             (op) => op.outputShape([2]), ' for input shape [2]', 'pnn_reshape_split_nd_x32'),
    typed('Split.run', 'outputs of the wrong count', () => {
      const op = new Split({ axis: 0, sizes: [1, 1] });
      try { return op.run(values(2), [2], [new Float32Array(1)]); } finally { op.dispose(); }
    }, RangeError, /^Split\.run: outputs has 1 entries, expected 2$/),
    typed('Split.run', 'an output of the wrong length', () => {
      const op = new Split({ axis: 0, sizes: [1, 1] });
      const outs = [sentinel(1), sentinel(2)];
      try { return op.run(values(2), [2], outs); } finally {
        op.dispose();
        assert.ok(outs.every(untouched), 'a rejected output array was written');
      }
    }, Error, /^Split\.run: output has 2 elements, expected 1$/),
    typed('Split.rerun', 'before any run()', () => {
      const op = new Split({ axis: 0, sizes: [1, 1] });
      try { op.rerun(); } finally { op.dispose(); }
    }, Error, /^Split\.rerun: call run\(\) first$/),
    { entry: 'Split.rerun', name: 'after a run() (the parts stay as they were)', call: () => {
      const op = new Split({ axis: 0, sizes: [1, 2] });
      try {
        const parts = op.run(values(3, 5), [3]);
        op.rerun();
        assert.ok(sameBits(parts[1], values(3, 5).subarray(1)), 'wrong part');
      } finally { op.dispose(); }
    } },
    typed('Split.kernelName', 'after dispose()', () => {
      const op = new Split({ axis: 0, sizes: [1, 1] });
      op.dispose();
      return op.kernelName;
    }, Error, /^Split\.kernelName: the operator was disposed$/),
    { entry: 'Split.dispose', name: 'twice (a no-op)', call: () => {
      const op = new Split({ axis: 0, sizes: [1, 1] });
      op.dispose();
      op.dispose();
    } },
  );
  return cases;
}

// Reduce, LayerNorm, RmsNorm, BatchNorm, PRelu, and Softmax's axis / logSoftmax options.
function normalizationCases() {
  const cStatus = (entry, name, call, subject) => ({
    entry, subject, name, call, error: PortnnError, status: 'invalid parameter',
    message: new RegExp(`^${entry.split(/[. ]/)[0]}: pnn_\\w+( for .*)? failed: invalid parameter${C_REASON}$`),
  });
  const typeError = (entry, name, call, pattern) => ({ entry, name, call, error: TypeError, message: pattern });
  // The first parameter array of a class: its length sets the size, so only types are wrong.
  const firstArray = (cls, key, build) => [
    ...[['a string', 'w'], ['a number', 3], ['an array-like object', { length: 3 }], ['null', null],
        ['a DataView', new DataView(new ArrayBuffer(12))], ['a BigInt64Array', new BigInt64Array(3)]]
      .map(([label, v]) => typeError(`${cls} constructor`, `${key} is ${label}`, () => build(v),
                                     new RegExp(`^${cls}: ${key} must be a Float32Array \\(or another typed array or an array of numbers\\), got `))),
    cStatus(`${cls} constructor`, `${key} empty`, () => build(new Float32Array(0))),
    { entry: `${cls} constructor`, name: `${key} as a number[] (accepted)`, call: () => build([0.5, -1, 2]),
      check: (op) => assert.equal(op.kernelName.startsWith('pnn_f32_'), true) },
  ];
  const axisCases = (cls, build, key) => [
    ...NOT_NUMBERS.map(([label, v]) => typeError(`${cls} constructor`, `${key} = ${label}`, () => build(v),
                                                 new RegExp(`^${cls}: ${key}(\\[0\\])? must be (an integer|an array of integers), got `))),
    ...[['1.5', 1.5], ['NaN', NaN], ['2^31', 2 ** 31], ['-2^31-1', -(2 ** 31) - 1]].map(([label, v]) => ({
      entry: `${cls} constructor`, name: `${key} = ${label}`, call: () => build(v), error: RangeError,
      message: new RegExp(`^${cls}: ${key}(\\[0\\])? must be an integer, got `),
    })),
  ];
  const reduceBuild = (o) => new Reduce('sum', { axes: [0], ...o });
  const cases = [
    // Reduce.
    ...paramsObjectCases('Reduce', (p) => new Reduce('sum', p)),
    ...[['median', 'median'], ['a number', 0], ['null', null], ['undefined', undefined]].map(([label, v]) =>
      typeError('Reduce constructor', `op ${label}`, () => new Reduce(v), /^Reduce: unknown op .* \(expected sum, mean, max, min\)$/)),
    typeError('Reduce constructor', 'axes as a string', () => reduceBuild({ axes: '0' }), /^Reduce: axes must be an array of integers, got /),
    { entry: 'Reduce constructor', name: 'axes of 7 entries', call: () => reduceBuild({ axes: [0, 1, 2, 3, 4, 5, 0] }),
      error: RangeError, message: /^Reduce: axes has 7 entries, more than 6$/ },
    ...axisCases('Reduce', (v) => reduceBuild({ axes: [v] }), 'axes'),
    ...booleanCases('Reduce', reduceBuild, 'keepDims'),
    cStatus('Reduce constructor', 'axes [6]', () => reduceBuild({ axes: [6] })),
    cStatus('Reduce constructor', 'axes [-7]', () => reduceBuild({ axes: [-7] })),
    cStatus('Reduce.outputShape', 'axis 1 of a rank-1 shape', (s) => s.op.outputShape([4]), 'Reduce'),
    cStatus('Reduce.run', 'axes naming one dim twice', (s) => {
      const op = new Reduce('max', { axes: [1, -1] });
      try { return op.run(values(6), [2, 3], s.out); } finally { op.dispose(); }
    }, 'Reduce'),
    ...oneInputCases('Reduce', [2, 3], 0, 6, 2, true),
    // LayerNorm and RmsNorm.
    ...paramsObjectCases('LayerNorm', (p) => new LayerNorm(p, values(3))),
    ...numberCases('LayerNorm', (o) => new LayerNorm(o, values(3)), 'epsilon'),
    ...axisCases('LayerNorm', (v) => new LayerNorm({ axis: v }, values(3)), 'axis'),
    ...firstArray('LayerNorm', 'gamma', (g) => new LayerNorm({}, g)),
    ...weightsCases('LayerNorm', (b) => new LayerNorm({}, values(3), b), 'beta', 3, true),
    ...[NaN, Infinity, -1].map((e) => cStatus('LayerNorm constructor', `epsilon ${e}`, () => new LayerNorm({ epsilon: e }, values(3)))),
    cStatus('LayerNorm.run', 'axis 0 of [2, 3] (6 elements for 3)', (s) => {
      const op = new LayerNorm({ axis: 0 }, values(3));
      try { return op.run(values(6), [2, 3], s.out); } finally { op.dispose(); }
    }, 'LayerNorm'),
    ...oneInputCases('LayerNorm', [2, 3], 1, 6, 6, false),
    ...paramsObjectCases('RmsNorm', (p) => new RmsNorm(p, values(3))),
    ...firstArray('RmsNorm', 'gamma', (g) => new RmsNorm({}, g)),
    cStatus('RmsNorm constructor', 'epsilon -1e-9', () => new RmsNorm({ epsilon: -1e-9 }, values(3))),
    cStatus('RmsNorm.run', 'shape [3, 2] (the last dim is 2)', (s) => s.op.run(values(6), [3, 2], s.out), 'RmsNorm'),
    ...oneInputCases('RmsNorm', [2, 3], 1, 6, 6, false),
    // BatchNorm and PRelu.
    ...paramsObjectCases('BatchNorm', (p) => new BatchNorm(p, values(3), [1, 1, 1], values(3), values(3))),
    ...numberCases('BatchNorm', (o) => new BatchNorm(o, values(3), [1, 1, 1], values(3), values(3)), 'epsilon'),
    ...firstArray('BatchNorm', 'mean', (m) => {
      const n = m instanceof Float32Array || Array.isArray(m) ? m.length : 3;  // the others match
      return new BatchNorm({}, m, new Array(n).fill(1), values(n), values(n));
    }),
    ...weightsCases('BatchNorm', (v) => new BatchNorm({}, values(3), v, values(3), values(3)), 'variance', 3, false),
    ...weightsCases('BatchNorm', (g) => new BatchNorm({}, values(3), [1, 1, 1], g, values(3)), 'gamma', 3, false),
    ...weightsCases('BatchNorm', (b) => new BatchNorm({}, values(3), [1, 1, 1], values(3), b), 'beta', 3, false),
    cStatus('BatchNorm constructor', 'epsilon NaN', () => new BatchNorm({ epsilon: NaN }, values(3), [1, 1, 1], values(3), values(3))),
    ...oneInputCases('BatchNorm', [2, 3], 1, 32, 6, false),
    ...lastAxisCases('BatchNorm', 'channels', 'channels', 3, 7),
    ...firstArray('PRelu', 'slope', (v) => new PRelu(v)),
    ...oneInputCases('PRelu', [2, 3], 1, 32, 6, false),
    ...lastAxisCases('PRelu', 'channels', 'channels', 3, 7),
    // Softmax's options.
    ...axisCases('Softmax', (v) => new Softmax({ channels: 4, axis: v }), 'axis'),
    ...booleanCases('Softmax', (o) => new Softmax({ channels: 4, ...o }), 'logSoftmax'),
    cStatus('Softmax.run', 'axis 0 of [2, 4] (dim 2 for 4 channels)', (s) => {
      const op = new Softmax({ channels: 4, axis: 0 });
      try { return op.run(values(8), [2, 4], s.out); } finally { op.dispose(); }
    }, 'Softmax'),
  ];
  return cases;
}

// Another class's method on an operator: the C library rejects the operator's type.
function wrongTypeCases() {
  const c = (entry, subject, call, cName, context) => ({
    entry, subject, name: `on a ${subject}`, call, error: PortnnError, status: 'invalid parameter',
    message: new RegExp(`^${subject}: ${cName}${lit(context)} failed: invalid parameter${C_REASON}$`),
  });
  return [
    c('FullyConnected.run', 'Convolution2D', (s) => FullyConnected.prototype.run.call(s.op, values(4), [2, 2], s.out),
      'pnn_reshape_fully_connected_nc_f32', ' for batch 2'),
    c('Unary.run', 'Softmax', (s) => Unary.prototype.run.call(s.op, values(8), [2, 4], s.out),
      'pnn_reshape_unary_elementwise_nc_f32', ' for input shape [2, 4]'),
    c('Softmax.run', 'GlobalAveragePooling', (s) => Softmax.prototype.run.call(s.op, values(6), [2, 3], s.out),
      'pnn_reshape_softmax_nc_f32', ' for batch 2'),
    c('GlobalAveragePooling.run', 'Softmax', (s) => GlobalAveragePooling.prototype.run.call(s.op, values(8), [1, 2, 4], s.out),
      'pnn_reshape_global_average_pooling_nwc_f32', ' for input shape [1, 2, 4]'),
    c('FullyConnected.run', 'Unary', (s) => FullyConnected.prototype.run.call(Object.assign(s.op, { inputChannels: 3, outputChannels: 2 }), values(6), [2, 3], s.out),
      'pnn_reshape_fully_connected_nc_f32', ' for batch 2'),
  ];
}

function operatorCases(variant) {
  const cases = [
    ...convolutionCases(), ...fullyConnectedCases(variant), ...batchMatMulCases(),
    ...poolingCases('MaxPooling2D', true), ...poolingCases('AveragePooling2D', false),
    ...globalAveragePoolingCases(), ...unaryCases(), ...binaryCases(), ...softmaxCases(),
    ...resampleCases(), ...wrongTypeCases(), ...graphCases(), ...dataMovementCases(),
    ...normalizationCases(),
  ];
  for (const cls of Object.keys(SUBJECTS)) {
    cases.push(...lifecycleCases(cls, typeof pnn[cls].prototype.outputShape === 'function'));
  }
  return cases;
}

// ---------------------------------------------------------------------------------------------
// Loading and life cycle: init, info, terminate, and everything before init / after terminate.

function wasmBytes(file) {
  const b = readFileSync(new URL(`../dist/${file}`, import.meta.url));
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength);
}

describe('init(), info(), terminate(), detectFeatures(), VARIANTS', () => {
  before(() => terminate());
  after(() => terminate());

  it('before init(): info() and every constructor throw, naming init()', () => {
    const cases = [
      { entry: 'info', name: 'before init()', call: () => info(), error: Error,
        message: /^portnn\.info\(\): call \(and await\) init\(\) first$/, noHeap: true },
      { entry: 'info', name: 'before init(), with arguments', call: () => info({ variant: 'simd' }), error: Error,
        message: /^portnn\.info\(\): call \(and await\) init\(\) first$/, noHeap: true },
    ];
    for (const [cls, make] of Object.entries(SUBJECTS)) {
      cases.push({ entry: `${cls} constructor`, name: 'before init()', call: () => make(), error: Error,
                   message: new RegExp(`^${cls}: call \\(and await\\) init\\(\\) first$`), noHeap: true });
    }
    runTable(cases);
  });

  it('init() with hostile options rejects and leaves nothing initialized', async () => {
    const notInitialized = () => assert.throws(() => info(), /call \(and await\) init\(\) first/);
    const reject = (name, options, error, message) => ({
      entry: 'init', name, call: () => init(options), error, message,
    });
    const optionsError = /^portnn: init\(\) takes an options object, got /;
    const variantError = /^portnn: unknown variant .* \(expected auto, scalar, simd, simd-threads, relaxed-simd, relaxed-simd-threads\)$/;
    const threadsError = /^portnn: threads must be a non-negative integer \(0: one per core\) up to 1024, got /;
    const cases = [
      reject('options null', null, TypeError, optionsError),
      reject("options 'simd' (a string)", 'simd', TypeError, optionsError),
      reject('options 5', 5, TypeError, optionsError),
      reject('options an array', [], TypeError, optionsError),
      reject('options a symbol', Symbol('o'), TypeError, optionsError),
      reject('options a function', () => ({}), TypeError, optionsError),
      reject('options a BigInt', 1n, TypeError, optionsError),
    ];
    for (const [label, v] of [["'avx'", 'avx'], ["'SIMD'", 'SIMD'], ["''", ''], ['null', null], ['5', 5],
                              ['an object', {}], ['a symbol', Symbol('v')], ["['simd']", ['simd']]]) {
      cases.push(reject(`variant ${label}`, { variant: v }, TypeError, variantError));
    }
    for (const [label, v, error] of [
      ["'2'", '2', TypeError], ['2n', 2n, TypeError], ['null', null, TypeError], ['an object', {}, TypeError],
      ['true', true, TypeError], ['a symbol', Symbol('t'), TypeError], ['-1', -1, RangeError],
      ['1.5', 1.5, RangeError], ['NaN', NaN, RangeError], ['Infinity', Infinity, RangeError],
      ['1025 (beyond PNN_MAX_THREADS)', 1025, RangeError], ['2^32', 2 ** 32, RangeError],
      ['1e9 (would start a billion workers)', 1e9, RangeError]]) {
      cases.push(reject(`threads ${label}`, { threads: v }, error, threadsError));
    }
    const bytes = wasmBytes('portnn.wasm');
    cases.push(
      reject("wasmBinary 'bytes'", { variant: 'scalar', wasmBinary: 'bytes' }, TypeError,
             /^portnn: wasmBinary must be bytes or a map \{ variant: bytes \}, got the string 'bytes'$/),
      reject('wasmBinary 5', { variant: 'scalar', wasmBinary: 5 }, TypeError, /^portnn: wasmBinary must be bytes or a map/),
      reject('wasmBinary an array of bytes', { variant: 'scalar', wasmBinary: Array.from(new Uint8Array(bytes)) },
             TypeError, /^portnn: wasmBinary must be bytes or a map \{ variant: bytes \}, got an array$/),
      reject('wasmBinary bytes without an explicit variant', { wasmBinary: bytes }, TypeError,
             /^portnn: wasmBinary given as bytes needs an explicit variant/),
      reject('wasmBinary map with an unknown variant', { wasmBinary: { avx: bytes } }, TypeError,
             /^portnn: wasmBinary has an unknown variant 'avx'/),
      reject('wasmBinary map entry a string', { variant: 'scalar', wasmBinary: { scalar: 'x' } }, TypeError,
             /^portnn: wasmBinary\['scalar'\] must be an ArrayBuffer or a typed array, got the string 'x'$/),
      reject('wasmBinary bytes that are not WebAssembly', { variant: 'scalar', wasmBinary: new Uint8Array(64) }, Error,
             /^portnn: cannot instantiate wasmBinary \(variant 'scalar'\): /),
      reject('wasmBinary truncated', { variant: 'scalar', wasmBinary: { scalar: wasmBytes('portnn.wasm').slice(0, 100) } },
             Error, /^portnn: cannot instantiate wasmBinary\['scalar'\] \(variant 'scalar'\): /),
      reject('wasmPaths 5', { variant: 'scalar', wasmPaths: 5 }, TypeError,
             /^portnn: wasmPaths must be a directory \(string or URL\) or a map \{ variant: location \}, got 5$/),
      reject('wasmPaths map entry 5', { variant: 'scalar', wasmPaths: { scalar: 5 } }, TypeError,
             /^portnn: a wasm location must be a non-empty string or a URL, got 5$/),
      reject('wasmPaths map entry empty', { variant: 'scalar', wasmPaths: { scalar: '' } }, TypeError,
             /^portnn: a wasm location must be a non-empty string or a URL/),
      reject('wasmPaths a missing directory', { variant: 'scalar', wasmPaths: '/nonexistent/portnn/' }, Error,
             /^portnn: cannot read file:\/\/\/nonexistent\/portnn\/portnn\.wasm: ENOENT$/),
    );
    // A getter that changes its answer is read once: threads 1 checked, 1 used.
    let reads = 0;
    const flipping = { variant: 'scalar', get threads() { reads++; return reads === 1 ? 1 : 1e9; } };
    cases.push({ entry: 'init', name: 'options with a getter whose value changes (read once)', call: () => init(flipping),
                 check: async (i) => {
                   assert.equal(i.threads, 1);
                   assert.equal(reads, 1);
                   await terminate();
                 } });
    // Bytes in shared memory are accepted (copied).
    for (const [label, make] of [
      ['a SharedArrayBuffer', () => { const s = new SharedArrayBuffer(bytes.byteLength); new Uint8Array(s).set(new Uint8Array(bytes)); return s; }],
      ['a Uint8Array over a SharedArrayBuffer', () => { const s = new SharedArrayBuffer(bytes.byteLength); const v = new Uint8Array(s); v.set(new Uint8Array(bytes)); return v; }],
      ['a map entry that is a SharedArrayBuffer', () => { const s = new SharedArrayBuffer(bytes.byteLength); new Uint8Array(s).set(new Uint8Array(bytes)); return { scalar: s }; }],
    ]) {
      cases.push({ entry: 'init', name: `wasmBinary as ${label} (accepted)`,
                   call: () => init({ variant: 'scalar', wasmBinary: make() }),
                   check: async (i) => {
                     assert.equal(i.variant, 'scalar');
                     const op = new Unary('abs');
                     assert.deepEqual(Array.from(op.run(new Float32Array([-3]))), [3]);
                     op.dispose();
                     await terminate();
                   } });
    }
    const failures = [];
    for (const c of cases) {
      try {
        await runCaseAsync(c);
        if (c.error) notInitialized();
      } catch (e) {
        failures.push(`${c.entry}: ${c.name}: ${e.message}`);
      }
      count(c.entry);
      await terminate();
    }
    assert.deepEqual(failures, [], `${failures.length} of ${cases.length} cases failed`);
    // The module loads after all of that.
    assert.equal((await init({ variant: 'simd' })).variant, 'simd');
  });

  it('init() while initialized: conflicting options reject, bad types reject first, the runtime lives on', async () => {
    await terminate();
    await init({ variant: 'simd' });
    const already = /^portnn: already initialized \(variant 'simd', 1 thread\(s\)\); call terminate\(\) before init\(\) with other options$/;
    const cases = [
      { entry: 'init', name: 'another variant', call: () => init({ variant: 'scalar' }), error: Error, message: already },
      { entry: 'init', name: 'another thread count', call: () => init({ threads: 2 }), error: Error, message: already },
      { entry: 'init', name: 'wasmPaths', call: () => init({ wasmPaths: {} }), error: Error, message: already },
      { entry: 'init', name: 'wasmBinary', call: () => init({ wasmBinary: {} }), error: Error, message: already },
      { entry: 'init', name: "threads '1' (a type error, not 'already initialized')", call: () => init({ threads: '1' }),
        error: TypeError, message: /^portnn: threads must be a non-negative integer/ },
      { entry: 'init', name: 'options null', call: () => init(null), error: TypeError, message: /^portnn: init\(\) takes an options object, got null$/ },
      { entry: 'init', name: 'variant 5', call: () => init({ variant: 5 }), error: TypeError, message: /^portnn: unknown variant 5 / },
      { entry: 'init', name: 'the same options (accepted: info())', call: () => init({ variant: 'simd', threads: 1 }),
        check: (i) => assert.deepEqual(i, info()) },
      { entry: 'info', name: 'with arguments (ignored)', call: () => info(1, 'x'), check: (i) => assert.equal(i.variant, 'simd') },
      { entry: 'detectFeatures', name: 'with arguments (ignored)', call: () => pnn.detectFeatures('simd', null),
        check: (f) => assert.deepEqual(Object.keys(f).sort(), ['relaxedSimd', 'simd', 'threads', 'threadsReason', 'wasm']) },
      { entry: 'VARIANTS', name: 'is frozen (push throws)', call: () => pnn.VARIANTS.push('avx'), error: TypeError,
        message: /object is not extensible|read only|Cannot add property/ },
      { entry: 'VARIANTS', name: 'is frozen (assignment throws)', call: () => { pnn.VARIANTS[0] = 'avx'; }, error: TypeError,
        message: /read only|Cannot assign/ },
    ];
    await runTableAsync(cases);
    const op = new Unary('negate');
    assert.deepEqual(Array.from(op.run(new Float32Array([1]))), [-1]);
    op.dispose();
  });

  it('terminate() and info() in any order; use after terminate() throws', async () => {
    await terminate();
    await init({ variant: 'simd' });
    const ops = Object.fromEntries(Object.keys(SUBJECTS).map((cls) => [cls, makeSubject(cls)]));
    await terminate();
    const cases = [
      { entry: 'terminate', name: 'twice', call: async () => { await terminate(); await terminate(); } },
      { entry: 'terminate', name: 'with arguments (ignored)', call: () => terminate(1, { force: true }) },
      { entry: 'terminate', name: 'before any init()', call: () => terminate() },
      { entry: 'info', name: 'after terminate()', call: async () => info(), error: Error,
        message: /^portnn\.info\(\): call \(and await\) init\(\) first$/ },
      { entry: 'info', name: 'while init() is pending', call: async () => {
        const pending = init({ variant: 'scalar' });
        try {
          info();
        } finally {
          await pending;
          await terminate();
        }
      }, error: Error, message: /^portnn\.info\(\): call \(and await\) init\(\) first$/ },
      { entry: 'terminate', name: 'while init() is pending (waits for it, then terminates)', call: async () => {
        const pending = init({ variant: 'scalar' });
        await terminate();
        assert.equal((await pending).variant, 'scalar');
        assert.throws(() => info(), /call \(and await\) init\(\) first/);
      } },
      { entry: 'init', name: 'a second init() while the first is pending (shares the load)', call: async () => {
        const [a, b] = await Promise.all([init({ variant: 'scalar' }), init({ variant: 'scalar', threads: 1 })]);
        assert.deepEqual(a, b);
        await terminate();
      } },
    ];
    for (const [cls, s] of Object.entries(ops)) {
      const terminated = new RegExp(`^${cls}\\.(\\w+): portnn was terminated; call init\\(\\) again and create a new operator$`);
      const use = (method, call) => ({ entry: `${cls}.${method}`, name: 'after terminate()', call: async () => call(), error: Error,
                                       message: terminated });
      cases.push(use('run', () => s.op.run(...s.args, s.out)), use('kernelName', () => s.op.kernelName),
                 use('rerun', () => s.op.rerun()));
      if (typeof s.op.outputShape === 'function') {
        cases.push(use('outputShape', () => s.op.outputShape(...s.args.filter(Array.isArray))));
      }
      cases.push({ entry: `${cls}.dispose`, name: 'after terminate() (a no-op)', call: async () => s.op.dispose() },
                 { entry: `${cls} constructor`, name: 'after terminate()', call: async () => SUBJECTS[cls](), error: Error,
                   message: new RegExp(`^${cls}: call \\(and await\\) init\\(\\) first$`) });
    }
    await runTableAsync(cases);
    for (const s of Object.values(ops)) assert.ok(untouched(s.out), 'an output was written after terminate()');
    // An operator of the old runtime stays dead after another init().
    await init({ variant: 'scalar' });
    assert.throws(() => ops.Unary.op.run(values(6)), /Unary\.run: the operator was disposed|portnn was terminated/);
    const op = new Unary('abs');
    assert.deepEqual(Array.from(op.run(new Float32Array([-2]))), [2]);
    op.dispose();
    await terminate();
  });
});

// ---------------------------------------------------------------------------------------------
// The operator tables on every variant.

let firstVariant = true;
for (const [variant, threads] of [['simd', 1], ['scalar', 1], ['simd-threads', 2]]) {
  describe(`operators on ${variant} (${threads} thread(s))`, () => {
    before(async () => {
      await terminate();
      await init({ variant, threads });
      counting = firstVariant;
      firstVariant = false;
      // Warm up every class once, and the pool's workers with work big enough to be split
      // (state initialized once, e.g. a worker's thread-locals, is not a leak); the workers
      // allocate it asynchronously, so wait until the heap is stable.
      for (const cls of Object.keys(SUBJECTS)) makeSubject(cls).op.dispose();
      const gelu = new Unary('gelu');
      gelu.run(new Float32Array(300000));
      gelu.dispose();
      for (let last = -1; last !== rt().heapInUse();) {
        last = rt().heapInUse();
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    });
    after(() => terminate());

    const cases = operatorCases(variant);
    const byClass = new Map();
    for (const c of cases) {
      const cls = c.entry.split(/[. ]/)[0];
      if (!byClass.has(cls)) byClass.set(cls, []);
      byClass.get(cls).push(c);
    }
    for (const [cls, list] of byClass) {
      it(`${cls}: ${list.length} hostile cases`, () => runTable(list));
    }

    it('the module still works and the heap is back to its baseline', () => {
      const runtime = rt();
      const baseline = runtime.heapInUse();
      for (const cls of Object.keys(SUBJECTS)) {
        const s = makeSubject(cls);
        s.verify();
        s.op.dispose();
      }
      assert.equal(runtime.heapInUse(), baseline);
    });
  });
}

describe('every entry point has hostile cases', () => {
  it('counts them (printed at the end)', () => {
    const missing = entryPoints().filter((entry) => !(counts.get(entry) > 0));
    assert.deepEqual(missing, [], 'entry points without a hostile case');
  });
});
