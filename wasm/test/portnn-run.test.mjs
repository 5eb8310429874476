// The npm package's bin, bin/portnn-run.mjs, run as a user runs it (a child `node` process) on
// a small model written here (Conv -> Relu -> GlobalAveragePool -> Flatten -> Gemm, NCHW, random
// weights): its check against ONNX Runtime (onnxruntime-node, a dev dependency of the repository)
// agrees, a reference file that disagrees fails it with exit status 1, --save-outputs writes
// what --reference then accepts, --json writes one record, --profile prints the per-node table,
// and bad arguments or bytes exit with 2 or 1 and say why.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

import { decodeNpy, encodeNpy } from '../src/npy.js';
import { ATTRIBUTE, FLOAT, encodeModel, valueInfo } from './helpers/onnx-models.mjs';
import { Random } from './helpers/random.mjs';

const BIN = join(dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'portnn-run.mjs');
const dir = mkdtempSync(join(tmpdir(), 'portnn-run-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function run(args) {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { timeout: 120_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? error.code : 0, stdout, stderr });
    });
  });
}

function model() {
  const rng = new Random(7);
  const t = (name, dims) => ({ name, dims, data_type: FLOAT,
                               float_data: Array.from(rng.floats(dims.reduce((a, d) => a * d, 1), -1, 1)) });
  return encodeModel({
    ir_version: 8, opset_import: [{ domain: '', version: 13 }],
    graph: {
      name: 'small',
      node: [
        { op_type: 'Conv', name: 'conv', input: ['x', 'W', 'B'], output: ['c'],
          attribute: [{ name: 'kernel_shape', type: ATTRIBUTE.INTS, ints: [3, 3] },
                      { name: 'pads', type: ATTRIBUTE.INTS, ints: [1, 1, 1, 1] }] },
        { op_type: 'Relu', name: 'relu', input: ['c'], output: ['r'] },
        { op_type: 'GlobalAveragePool', name: 'gap', input: ['r'], output: ['g'] },
        { op_type: 'Flatten', name: 'flatten', input: ['g'], output: ['f'] },
        { op_type: 'Gemm', name: 'fc', input: ['f', 'FW', 'FB'], output: ['y'],
          attribute: [{ name: 'transB', type: ATTRIBUTE.INT, i: 1 }] },
      ],
      initializer: [t('W', [8, 3, 3, 3]), t('B', [8]), t('FW', [5, 8]), t('FB', [5])],
      input: [valueInfo('x', ['N', 3, 9, 9])],
      output: [valueInfo('y', ['N', 5])],
    },
  });
}

const MODEL = join(dir, 'small.onnx');
writeFileSync(MODEL, model());

describe('portnn-run (npm bin)', () => {
  it('runs a model and agrees with ONNX Runtime on the same inputs', async () => {
    const r = await run([MODEL, '--shape', 'x=2x3x9x9', '--iterations', '3', '--check-against-onnxruntime']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^input {6}x \[2x3x9x9\] \(random uniform/m);
    assert.match(r.stdout, /^output {5}y \[2x5\] min /m);
    assert.match(r.stdout, /^run {8}median [\d.]+ ms, min [\d.]+ ms over 3 runs, 1 thread, variant simd/m);
    const check = /^check {6}y vs onnxruntime-node: max \|diff\| \S+, \/ max \|ref\| = (\S+) .* OK$/m.exec(r.stdout);
    assert.ok(check, r.stdout);
    assert.ok(Number(check[1]) <= 1e-4);
  });

  it('saves outputs that --reference accepts, and fails a reference that disagrees', async () => {
    const input = new Float32Array(3 * 9 * 9).map((_, i) => Math.sin(i));
    writeFileSync(join(dir, 'x.npy'), encodeNpy(input, [1, 3, 9, 9]));
    const saved = await run([MODEL, '--input', `x=${join(dir, 'x.npy')}`, '--iterations', '1',
                             '--save-outputs', join(dir, 'out')]);
    assert.equal(saved.code, 0, saved.stderr);
    const y = decodeNpy(readFileSync(join(dir, 'out', 'y.npy')));
    assert.deepEqual(y.shape, [1, 5]);

    const good = await run([MODEL, '--input', `x=${join(dir, 'x.npy')}`, '--iterations', '1',
                            '--reference', `y=${join(dir, 'out', 'y.npy')}`]);
    assert.equal(good.code, 0, good.stdout + good.stderr);
    assert.match(good.stdout, /= 0 \(tolerance 0.0001\) OK/);

    const wrong = Float32Array.from(y.data, (v) => v + 1);
    writeFileSync(join(dir, 'wrong.npy'), encodeNpy(wrong, y.shape));
    const bad = await run([MODEL, '--input', `x=${join(dir, 'x.npy')}`, '--iterations', '1',
                           '--reference', `y=${join(dir, 'wrong.npy')}`]);
    assert.equal(bad.code, 1);
    assert.match(bad.stdout, /MISMATCH/);
  });

  it('writes a --json record and prints the --profile table', async () => {
    const json = join(dir, 'record.json');
    const r = await run([MODEL, '--shape', 'x=1x3x9x9', '--iterations', '2', '--profile', '--json', json]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^node +operator +kernel +time \(us\) +share$/m);
    assert.match(r.stdout, /^conv +\S+/m);
    const record = JSON.parse(readFileSync(json, 'utf8'));
    assert.equal(record.shape, 'models/small');
    assert.equal(record.runs, 2);
    assert.ok(record.median_us > 0 && record.arena_bytes >= 0 && record.peak_rss_bytes > 0);
  });

  it('exits 2 with the usage for bad arguments and 1 with the reason for bad bytes', async () => {
    const noModel = await run(['--threads', '1']);
    assert.equal(noModel.code, 2);
    assert.match(noModel.stderr, /no model given\nusage: portnn-run/);
    const badOption = await run([MODEL, '--threads', '0']);
    assert.equal(badOption.code, 2);
    assert.match(badOption.stderr, /--threads must be an integer >= 1/);
    writeFileSync(join(dir, 'junk.onnx'), new Uint8Array([0x0a, 0xff, 0xff, 0xff, 0x0f, 1, 2]));
    const junk = await run([join(dir, 'junk.onnx')]);
    assert.equal(junk.code, 1);
    assert.match(junk.stderr, /^portnn-run: loadOnnx: /);
  });
});
