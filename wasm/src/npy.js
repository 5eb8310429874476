// NumPy .npy files in JS, for portnn-run's inputs and outputs (wasm/bin/portnn-run.mjs) and the
// model zoo's (bench/models/reference.mjs writes them; the JS tests read them): float32 ('<f4')
// and int64 ('<i8') little-endian, C order, format versions 1.0 (written) and 2.0 / 3.0 (read: a
// 4-byte header length). The C++ side of the same format is tools/npy.h. Decoding checks the
// header against the bytes it has: the shape's element count must match the bytes after the
// header exactly.

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];  // \x93NUMPY
const TYPES = { '<f4': Float32Array, '<i8': BigInt64Array };

/** The .npy bytes of `data` (a Float32Array or BigInt64Array) with `shape`. */
export function encodeNpy(data, shape) {
  const descr = Object.keys(TYPES).find((k) => data instanceof TYPES[k]);
  if (!descr) throw new Error('encodeNpy: data must be a Float32Array or a BigInt64Array');
  const count = shape.reduce((a, d) => a * d, 1);
  if (count !== data.length) {
    throw new Error(`encodeNpy: shape [${shape}] has ${count} elements, data ${data.length}`);
  }
  const tuple = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${tuple}, }`;
  // Magic (6) + version (2) + length (2) + header + '\n', padded to a multiple of 64.
  const unpadded = 10 + header.length + 1;
  header += ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
  if (header.length > 0xffff) throw new Error('encodeNpy: header too long for format 1.0');
  const out = new Uint8Array(10 + header.length + data.byteLength);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  out[8] = header.length & 0xff;
  out[9] = header.length >> 8;
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), 10 + header.length);
  return out;
}

/** { descr, shape, data } of .npy bytes (a Uint8Array); throws with the reason when malformed. */
export function decodeNpy(bytes) {
  const fail = (why) => { throw new Error(`decodeNpy: ${why}`); };
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) fail('not a .npy file (magic)');
  const major = bytes[6];
  if (major < 1 || major > 3) fail(`unsupported format version ${major}.${bytes[7]}`);
  const lenBytes = major === 1 ? 2 : 4;
  let headerLen = 0;
  for (let i = lenBytes - 1; i >= 0; i--) headerLen = headerLen * 256 + bytes[8 + i];
  const start = 8 + lenBytes + headerLen;
  if (start > bytes.length) fail(`header length ${headerLen} runs past the file`);
  const header = new TextDecoder('latin1').decode(bytes.subarray(8 + lenBytes, start));
  const descr = /'descr':\s*'([^']*)'/.exec(header);
  const order = /'fortran_order':\s*(True|False)/.exec(header);
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header);
  if (!descr || !order || !shapeText) fail(`header without descr, fortran_order or shape: ${header.trim()}`);
  const Type = TYPES[descr[1]];
  if (!Type) fail(`dtype ${descr[1]} (only <f4 and <i8)`);
  if (order[1] !== 'False') fail('Fortran order');
  const shape = shapeText[1].split(',').map((s) => s.trim()).filter((s) => s !== '').map((s) => {
    if (!/^\d+$/.test(s)) fail(`shape entry '${s}'`);
    return Number(s);
  });
  const count = shape.reduce((a, d) => a * d, 1);
  if (count * Type.BYTES_PER_ELEMENT !== bytes.length - start) {
    fail(`shape (${shape}) needs ${count * Type.BYTES_PER_ELEMENT} bytes, the file has ${bytes.length - start}`);
  }
  // Copied out, so that the data is aligned whatever the header length.
  const data = new Type(count);
  new Uint8Array(data.buffer).set(bytes.subarray(start));
  return { descr: descr[1], shape, data };
}
