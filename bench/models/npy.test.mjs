// Tests of the zoo's JS helpers (node --test bench/models/): npy.mjs's encode / decode (round
// trips, NumPy's own header, hostile files) and reference.mjs's input generator and disagreement
// measure. The generator's first values were computed independently from its definition
// (reference.mjs's header) in Python.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { decodeNpy, encodeNpy } from './npy.mjs';
import { disagreement, zooInput } from './reference.mjs';

function file(header, data = new Uint8Array(0), major = 1) {
  const lenBytes = major === 1 ? 2 : 4;
  const pad = (64 - ((8 + lenBytes + header.length + 1) % 64)) % 64;
  const h = header + ' '.repeat(pad) + '\n';
  const out = new Uint8Array(8 + lenBytes + h.length + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, major, 0]);
  for (let i = 0; i < lenBytes; i++) out[8 + i] = (h.length >> (8 * i)) & 0xff;
  for (let i = 0; i < h.length; i++) out[8 + lenBytes + i] = h.charCodeAt(i);
  out.set(data, 8 + lenBytes + h.length);
  return out;
}

test('float32 and int64 round trips', () => {
  const f = Float32Array.from([1.5, -0, Infinity, 2 ** -149, -3.25, 7]);
  const a = decodeNpy(encodeNpy(f, [1, 2, 3]));
  assert.equal(a.descr, '<f4');
  assert.deepEqual(a.shape, [1, 2, 3]);
  assert.deepEqual([...a.data], [...f]);
  assert.ok(Object.is(a.data[1], -0));
  const i = BigInt64Array.from([0n, -1n, -(2n ** 63n), 2n ** 63n - 1n]);
  const b = decodeNpy(encodeNpy(i, [4]));
  assert.equal(b.descr, '<i8');
  assert.deepEqual(b.shape, [4]);
  assert.deepEqual([...b.data], [...i]);
  const s = decodeNpy(encodeNpy(Float32Array.of(2), []));
  assert.deepEqual(s.shape, []);
  assert.deepEqual([...s.data], [2]);
  // Format 1.0, header padded so that the data starts at a multiple of 64.
  const bytes = encodeNpy(f, [6]);
  assert.equal(bytes[6], 1);
  assert.equal((10 + (bytes[8] | (bytes[9] << 8))) % 64, 0);
  assert.throws(() => encodeNpy(f, [2, 2]), /4 elements, data 6/);
  assert.throws(() => encodeNpy([1, 2], [2]), /Float32Array or a BigInt64Array/);
});

test("NumPy's headers, format 1.0 and 2.0", () => {
  const data = new Uint8Array(Float32Array.from([1, 2, 3, 4, 5, -6]).buffer);
  for (const [header, major] of [
    ["{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", 1],
    ["{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", 2],
    ["{'shape': (2,3), 'fortran_order': False, 'descr': '<f4'}", 1],
  ]) {
    const a = decodeNpy(file(header, data, major));
    assert.deepEqual(a.shape, [2, 3]);
    assert.deepEqual([...a.data], [1, 2, 3, 4, 5, -6]);
  }
});

test('hostile files are rejected with a reason', () => {
  const d = new Uint8Array(8);
  const cases = [
    [new Uint8Array(4), /magic/],
    [file("{'descr': '<f4', 'fortran_order': False, 'shape': (2,)}", d, 4), /version 4/],
    [file("{'descr': '<f4', 'fortran_order': False, 'shape': (2,)}", d).subarray(0, 30), /runs past/],
    [file("{'descr': '>f4', 'fortran_order': False, 'shape': (2,)}", d), /dtype >f4/],
    [file("{'descr': '<f8', 'fortran_order': False, 'shape': (1,)}", d), /dtype <f8/],
    [file("{'descr': '<f4', 'fortran_order': True, 'shape': (2,)}", d), /Fortran/],
    [file("{'descr': '<f4', 'shape': (2,)}", d), /without descr/],
    [file("{'descr': '<f4', 'fortran_order': False, 'shape': (-2,)}", d), /shape entry '-2'/],
    [file("{'descr': '<f4', 'fortran_order': False, 'shape': (3,)}", d), /needs 12 bytes, the file has 8/],
    [file("{'descr': '<f4', 'fortran_order': False, 'shape': (1099511627776,)}", d), /the file has 8/],
  ];
  for (const [bytes, reason] of cases) assert.throws(() => decodeNpy(bytes), reason);
});

test('the zoo input generator matches its definition', () => {
  const x = zooInput('mobilenet_v2', 'input', 4);
  assert.deepEqual([...x], [-0.8740431070327759, -0.12439703941345215, 0.6443520784378052, 0.7100603580474854]);
  const y = zooInput('resnet50', 'input', 100000);
  assert.ok(y.every((v) => v >= -1 && v < 1 && Number.isInteger((v + 1) * 2 ** 23)));
  const mean = y.reduce((a, v) => a + v, 0) / y.length;
  assert.ok(Math.abs(mean) < 0.01, `mean ${mean}`);
  assert.notDeepEqual([...zooInput('resnet50', 'input', 4)], [...zooInput('vit_b_16', 'input', 4)]);
});

test('disagreement is max |a - b| / max |b|', () => {
  assert.equal(disagreement(Float32Array.of(1, 2.5, -4), Float32Array.of(1, 2, -4)), 0.5 / 4);
  assert.equal(disagreement(Float32Array.of(0, 0), Float32Array.of(0, 0)), 0);
  assert.equal(disagreement(Float32Array.of(1, 0), Float32Array.of(0, 0)), Infinity);
  assert.ok(Number.isNaN(disagreement(Float32Array.of(NaN, 0), Float32Array.of(1, 0))));
  assert.ok(Number.isNaN(disagreement(Float32Array.of(1), Float32Array.of(1, 2))));
});
