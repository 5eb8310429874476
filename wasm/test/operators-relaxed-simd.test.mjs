// Every operator on the relaxed-SIMD builds (1 thread, and 2 threads on the threaded one). Node 20
// validates relaxed SIMD only with --experimental-wasm-relaxed-simd: without it, this file runs
// itself again under that flag and passes only if that run does. The references' tolerances are
// the ones every variant meets (derived from the reduction length in helpers/reference.mjs): a
// fused multiply-add rounds once where the simd build rounds twice, within those bounds.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { it } from 'node:test';
import { fileURLToPath } from 'node:url';

import { operatorSuite } from './helpers/suite.mjs';

const FLAG = '--experimental-wasm-relaxed-simd';
if (process.execArgv.includes(FLAG)) {
  operatorSuite('relaxed-simd', 1);
  operatorSuite('relaxed-simd-threads', 2);
} else {
  it(`passes under node ${FLAG}`, () => {
    // A run of its own (not a child of this test runner: NODE_TEST_CONTEXT would make it report
    // to the runner instead of printing its summary).
    const env = { ...process.env };
    delete env.NODE_TEST_CONTEXT;
    const r = spawnSync(process.execPath, [FLAG, '--test', '--test-reporter=tap',
                                           fileURLToPath(import.meta.url)],
                        { encoding: 'utf8', timeout: 600000, env });
    assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
    assert.match(r.stdout, /# pass [1-9]/);
    assert.match(r.stdout, /# fail 0/);
  });
}
