// tools/relaxed-opcodes.mjs: re-encodes LLVM 14's prototype relaxed multiply-adds as the shipped
// f32x4.relaxed_madd / relaxed_nmadd, walking instructions (bytes that only look like one, inside
// an i32.const or a v128.const, stay), with the standardized operand order, and refuses the
// prototype opcodes it has no checked rewrite for.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setFlagsFromString } from 'node:v8';

import { rewriteRelaxed } from '../tools/relaxed-opcodes.mjs';

setFlagsFromString('--experimental-wasm-relaxed-simd');

const leb = (n) => {
  const out = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
};
const section = (id, bytes) => [id, ...leb(bytes.length), ...bytes];

// (func (export "f") (param f32 f32 f32) (result f32)): decoys, then
// <op>(splat a, splat b, splat c) and lane 0 of it.
function module(op) {
  const body = [
    0x00,                                    // no locals
    0x41, 0xfd, 0xaf, 0x01, 0x1a,            // i32.const 22525 (LEB fd af 01), drop
    0xfd, 0x0c, 0xfd, 0xaf, 0x01, 0xfd, 0xb0, 0x01, ...new Array(10).fill(0), 0x1a,  // v128.const, drop
    0x20, 0x00, 0xfd, 0x13, 0x20, 0x01, 0xfd, 0x13, 0x20, 0x02, 0xfd, 0x13,  // f32x4.splat x3
    0xfd, ...leb(op),
    0xfd, 0x1f, 0x00,                        // f32x4.extract_lane 0
    0x0b,
  ];
  return Buffer.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [0x01, 0x60, 0x03, 0x7d, 0x7d, 0x7d, 0x01, 0x7d]),
    ...section(3, [0x01, 0x00]),
    ...section(7, [0x01, 0x01, 0x66, 0x00, 0x00]),
    ...section(10, [0x01, ...leb(body.length), ...body]),
  ]);
}

const run = (bytes, a, b, c) =>
  new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports.f(a, b, c);

describe('relaxed-opcodes', () => {
  for (const [name, proto, shipped, expect] of [
    ['f32x4.fma -> relaxed_madd: a*b + c', 0xaf, 0x105, 2 * 3 + 4],
    ['f32x4.fms -> relaxed_nmadd: c - a*b', 0xb0, 0x106, 4 - 2 * 3],
  ]) {
    it(name, () => {
      const bytes = module(proto);
      assert.equal(WebAssembly.validate(bytes), false);  // the prototype opcode ships nowhere
      const before = Buffer.from(bytes);
      assert.equal(rewriteRelaxed(bytes), 1);
      assert.deepEqual(bytes, module(shipped));  // only the instruction changed, decoys kept
      assert.notDeepEqual(bytes, before);
      assert.equal(WebAssembly.validate(bytes), true);
      assert.equal(run(bytes, 2, 3, 4), expect);
      // Fused (x86 with FMA3, ARM) or not, as the engine decides: one of the two roundings.
      const e = 2 ** -23;
      const r = run(bytes, 1 + e, 1 - e, proto === 0xaf ? -1 : 1);
      const fused = proto === 0xaf ? -(2 ** -46) : 2 ** -46;
      assert.ok(r === fused || r === 0, `${r}`);
    });
  }

  it('refuses a prototype relaxed opcode without a checked rewrite (relaxed_min 0xb4)', () => {
    assert.throws(() => rewriteRelaxed(module(0xb4)), /0xb4 has no checked rewrite/);
  });

  it('refuses what is not a module, and an already re-encoded one', () => {
    assert.throws(() => rewriteRelaxed(Buffer.from('not wasm')), /not a WebAssembly 1.0 module/);
    assert.throws(() => rewriteRelaxed(module(0x105)), /unexpected SIMD opcode 0x105/);
  });
});
