// Re-encodes the relaxed-SIMD instructions of a .wasm built by Emscripten 3.1.6 (LLVM 14,
// binaryen 108) into the encoding engines ship.
//
// LLVM 14 and binaryen 108 implement the relaxed-SIMD proposal as it stood in early 2022: its
// instructions carry prototype opcodes (f32x4.fma 0xfd 0xaf, ...) that no shipping engine
// validates; the standardized proposal (Chromium 114+, Node 20 with
// --experimental-wasm-relaxed-simd) moved them to 0xfd 0x100.. and fixed the operand order of
// the multiply-adds. This tool walks every instruction of every function body (so no immediate
// or constant is ever mistaken for an opcode) and rewrites, in place, each prototype opcode the
// kernels use into its standardized one:
//
//   prototype (LLVM 14 builtin)                 standardized               value on the stack
//   0xaf f32x4.fma  (__builtin_wasm_fma_f32x4)  0x105 f32x4.relaxed_madd   a b c -> a*b + c
//   0xb0 f32x4.fms  (__builtin_wasm_fms_f32x4)  0x106 f32x4.relaxed_nmadd  a b c -> c - a*b
//
// The prototype read `a b c` as a + b*c (and a - b*c); the wrapper (kernels/simd/vec-wasm128.h)
// passes its operands in the standardized order, which is what runs after this rewrite. Both
// opcodes are two-byte LEB128s before and after, so no size or offset changes. Any other
// relaxed prototype opcode (relaxed min/max, laneselect, swizzle, trunc) is refused: the kernels
// do not use them, and a rewrite not checked here must not ship.
//
// Usage: node relaxed-opcodes.mjs [--allow-none] <in.wasm> [<out.wasm>]   (in place without
// <out.wasm>; --allow-none: a module without relaxed instructions is not an error, for test
// programs that link no relaxed kernel)
// Prints how many instructions it rewrote; exits 1 on a module it cannot walk, that has none,
// or that does not validate afterwards (checked with Node's relaxed SIMD switched on).
import { readFileSync, writeFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';

const REWRITE = new Map([
  [0xaf, 0x105],  // f32x4.fma -> f32x4.relaxed_madd
  [0xb0, 0x106],  // f32x4.fms -> f32x4.relaxed_nmadd
]);
// The one-byte-page SIMD opcodes the standardized SIMD128 leaves unassigned: LLVM 14 and
// binaryen 108 put their prototype relaxed instructions there (relaxed swizzle 0xa2, truncations
// 0xa5 0xa6 0xc5 0xc6, f64x2 fma / fms 0xcf 0xd0, laneselects 0xb2 0xb3 0xd2 0xd3, relaxed
// min / max 0xb4 0xe2 0xd4 0xee). Any of them but the two rewritten is refused (see above).
const UNASSIGNED = new Set([0x9a, 0xa2, 0xa5, 0xa6, 0xaf, 0xb0, 0xb2, 0xb3, 0xb4, 0xbb, 0xc2,
  0xc5, 0xc6, 0xcf, 0xd0, 0xd2, 0xd3, 0xd4, 0xe2, 0xee]);

export function rewriteRelaxed(bytes) {
  const b = bytes;
  let p = 0;
  const fail = (what) => { throw new Error(`relaxed-opcodes: ${what} at byte ${p}`); };
  const u32 = () => {
    let result = 0, shift = 0, byte;
    do {
      if (p >= b.length) fail('truncated LEB128');
      byte = b[p++];
      result += (byte & 0x7f) * 2 ** shift;
      shift += 7;
    } while (byte & 0x80);
    return result;
  };
  const sleb = () => { let byte; do { byte = b[p++]; } while (byte & 0x80); };
  const memarg = () => { u32(); u32(); };
  if (b.length < 8 || b.readUInt32LE(0) !== 0x6d736100 || b.readUInt32LE(4) !== 1) {
    fail('not a WebAssembly 1.0 module');
  }
  p = 8;
  let rewritten = 0;
  let sawCode = false;
  while (p < b.length) {
    const id = b[p++];
    const size = u32();
    const end = p + size;
    if (id !== 10) { p = end; continue; }
    sawCode = true;
    const count = u32();
    for (let f = 0; f < count; f++) {
      const bodySize = u32();
      const bodyEnd = p + bodySize;
      const groups = u32();
      for (let g = 0; g < groups; g++) { u32(); p++; }
      while (p < bodyEnd) {
        const op = b[p++];
        if (op === 0x02 || op === 0x03 || op === 0x04) {
          // block type: 0x40, a value type (one byte, negative as s33) or a type index (s33)
          if (b[p] === 0x40 || (b[p] >= 0x6f && b[p] <= 0x7f)) p++; else sleb();
        } else if (op === 0x0c || op === 0x0d || op === 0x10 || op === 0x12 ||
                   (op >= 0x20 && op <= 0x26) || op === 0xd2) {
          u32();
        } else if (op === 0x0e) {
          const n = u32();
          for (let i = 0; i <= n; i++) u32();
        } else if (op === 0x11 || op === 0x13) {
          u32(); u32();
        } else if (op === 0x1c) {
          const n = u32();
          p += n;
        } else if (op >= 0x28 && op <= 0x3e) {
          memarg();
        } else if (op === 0x3f || op === 0x40 || op === 0xd0) {
          p++;
        } else if (op === 0x41 || op === 0x42) {
          sleb();
        } else if (op === 0x43) {
          p += 4;
        } else if (op === 0x44) {
          p += 8;
        } else if (op === 0x00 || op === 0x01 || op === 0x05 || op === 0x0b || op === 0x0f ||
                   op === 0x1a || op === 0x1b || (op >= 0x45 && op <= 0xc4) || op === 0xd1) {
          // no immediates
        } else if (op === 0xfc) {
          const sub = u32();
          if (sub <= 7) { /* saturating truncations */ }
          else if (sub === 8) { u32(); p++; }
          else if (sub === 9 || sub === 13 || (sub >= 15 && sub <= 17)) u32();
          else if (sub === 10) p += 2;
          else if (sub === 11) p++;
          else if (sub === 12 || sub === 14) { u32(); u32(); }
          else fail(`unknown 0xfc ${sub}`);
        } else if (op === 0xfe) {
          const sub = u32();
          if (sub === 0x03) p++;
          else if (sub <= 0x02 || (sub >= 0x10 && sub <= 0x4e)) memarg();
          else fail(`unknown 0xfe ${sub}`);
        } else if (op === 0xfd) {
          const at = p;
          const sub = u32();
          if (sub <= 0x0b || sub === 0x5c || sub === 0x5d) memarg();
          else if (sub === 0x0c || sub === 0x0d) p += 16;
          else if (sub >= 0x15 && sub <= 0x22) p++;
          else if (sub >= 0x54 && sub <= 0x5b) { memarg(); p++; }
          else if (REWRITE.has(sub)) {
            const to = REWRITE.get(sub);
            if (p - at !== 2) fail('relaxed opcode not a two-byte LEB128');
            b[at] = (to & 0x7f) | 0x80;
            b[at + 1] = to >> 7;
            rewritten++;
          } else if (UNASSIGNED.has(sub)) {
            fail(`prototype relaxed-SIMD opcode 0x${sub.toString(16)} has no checked rewrite`);
          } else if (sub > 0xff) {
            fail(`unexpected SIMD opcode 0x${sub.toString(16)}`);
          }
        } else {
          p--;
          fail(`unknown opcode 0x${op.toString(16)}`);
        }
      }
      if (p !== bodyEnd) fail('function body overrun');
    }
    p = end;
  }
  if (!sawCode) fail('no code section');
  return rewritten;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const allowNone = args[0] === '--allow-none';
  if (allowNone) args.shift();
  const [input, output = input] = args;
  if (!input) {
    console.error('usage: node relaxed-opcodes.mjs <in.wasm> [<out.wasm>]');
    process.exit(2);
  }
  try {
    const bytes = readFileSync(input);
    const n = rewriteRelaxed(bytes);
    if (n === 0 && !allowNone) {
      throw new Error(`relaxed-opcodes: ${input} holds no relaxed multiply-add`);
    }
    // The result must validate where relaxed SIMD is on (Node 20 has it behind this flag).
    setFlagsFromString('--experimental-wasm-relaxed-simd');
    if (!WebAssembly.validate(bytes)) {
      throw new Error(`relaxed-opcodes: ${input} does not validate after the rewrite`);
    }
    writeFileSync(output, bytes);
    console.log(`relaxed-opcodes: ${n} instructions re-encoded in ${output}`);
  } catch (e) {
    console.error(e.message);
    process.exit(1);
  }
}
