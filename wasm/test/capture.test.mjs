// One call, one consistent set of arguments, on every variant: arguments are captured once
// before anything changes (a getter that resizes, detaches or grows a buffer is seen, never a
// stale or out-of-bounds copy), calls re-entered from the caller's code are rejected without
// leaking, rerun() runs what the last run() set up even after a rejected run(), and the errors
// of C calls carry the C library's reason.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Worker } from 'node:worker_threads';

import {
  BatchMatMul, Binary, Convolution2D, FullyConnected, MaxPooling2D, PortnnError, Unary, init,
  terminate,
} from '../index.js';
import { copyInput } from '../src/check.js';
import { settle } from './helpers/heap.mjs';
import { requireRuntime } from '../src/runtime.js';

const rt = () => requireRuntime('capture test');

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc');


// assert.throws() whose RegExp matches the message (not "Error: message").
function throwsWith(fn, expected) {
  if (!(expected instanceof RegExp)) return assert.throws(fn, expected);
  return assert.throws(fn, (e) => {
    assert.ok(e instanceof Error, `threw ${e}`);
    assert.match(e.message, expected);
    return true;
  });
}

function detach(typedArray) {
  structuredClone(typedArray.buffer, { transfer: [typedArray.buffer] });
}

// A shape whose dimension `i` runs `effect` when read.
function shapeWithGetter(shape, i, effect) {
  const copy = shape.slice();
  Object.defineProperty(copy, i, { enumerable: true, get() { effect(); return shape[i]; } });
  return copy;
}

// The floats in the module buffer `slot` of `op` (read after rerun(), which copies nothing out).
function moduleBuffer(op, slot, count) {
  return Array.from(rt().f32(op._state.buffers.get(slot).ptr, count));
}

it('an input grown by another thread after it was measured is copied as the measured snapshot', () => {
  // What another thread can do between run()'s measurement and its copy, done here in between.
  const gsab = new SharedArrayBuffer(16, { maxByteLength: 64 });
  const view = new Float32Array(gsab);  // length-tracking
  view.set([1, 2, 3, 4]);
  gsab.grow(64);
  new Float32Array(gsab).fill(9, 4);
  const target = new Float32Array(6).fill(-1);
  copyInput(target.subarray(0, 4), view);
  assert.deepEqual(Array.from(target), [1, 2, 3, 4, -1, -1]);
});

for (const [variant, threads] of [['simd', 1], ['scalar', 1], ['simd-threads', 2]]) {
  describe(`argument capture on ${variant} (${threads} thread(s))`, () => {
    before(async () => {
      await terminate();
      await init({ variant, threads });
      const warm = new Unary('gelu');
      warm.run(new Float32Array(300000));
      warm.dispose();
      await settle();
    });
    after(() => terminate());

    it('a kernel shrunk by the bias getter (resizable buffer) is rejected, not read past', () => {
      const baseline = rt().heapInUse();
      const rab = new ArrayBuffer(4 * 64, { maxByteLength: 4 * 64 });
      const kernel = new Float32Array(rab).fill(1);
      const bias = new Array(64).fill(0);
      Object.defineProperty(bias, 0, { enumerable: true, get() { rab.resize(4); return 0; } });
      throwsWith(
        () => new FullyConnected({ inputChannels: 1, outputChannels: 64 }, kernel, bias).run(new Float32Array([1])),
        (e) => e.constructor === Error &&
               e.message === 'FullyConnected: kernel has 1 elements, expected 64 (its buffer was resized)');
      assert.equal(rt().heapInUse(), baseline);
      // The same for a convolution, and a kernel that stays whole is taken as it is then.
      const conv = { kernelHeight: 1, kernelWidth: 1, groupInputChannels: 1, groupOutputChannels: 4 };
      const rab2 = new ArrayBuffer(16, { maxByteLength: 16 });
      const k2 = new Float32Array(rab2).fill(2);
      const b2 = [0, 0, 0, 0];
      Object.defineProperty(b2, 3, { enumerable: true, get() { rab2.resize(8); return 0; } });
      throwsWith(() => new Convolution2D(conv, k2, b2), /^Convolution2D: kernel has 2 elements, expected 4 \(its buffer was resized\)$/);
      const k3 = new Float32Array([1, 2, 3, 4]);
      const b3 = [0, 0, 0, 0];
      Object.defineProperty(b3, 0, { enumerable: true, get() { k3[0] = 100; return 0; } });
      const op = new Convolution2D(conv, k3, b3);
      try {
        assert.deepEqual(Array.from(op.run(new Float32Array([1]), [1, 1, 1, 1])), [100, 2, 3, 4]);
      } finally {
        op.dispose();
      }
      assert.equal(rt().heapInUse(), baseline);
    });

    it('a kernel detached by the bias getter is rejected with a clear error', () => {
      const baseline = rt().heapInUse();
      for (const make of [
        (k, b) => new FullyConnected({ inputChannels: 2, outputChannels: 4 }, k, b),
        (k, b) => new Convolution2D({ kernelHeight: 1, kernelWidth: 2, groupInputChannels: 1,
                                      groupOutputChannels: 4 }, k, b),
      ]) {
        const kernel = new Float32Array(8).fill(1);
        const bias = [0, 0, 0, 0];
        Object.defineProperty(bias, 1, { enumerable: true, get() { detach(kernel); return 0; } });
        throwsWith(() => make(kernel, bias),
                      /^(FullyConnected|Convolution2D): kernel has 0 elements, expected 8 \(its buffer is empty or detached\)$/);
      }
      assert.equal(rt().heapInUse(), baseline);
    });

    it('an input resized or detached by a shape getter is measured after it', () => {
      const baseline = rt().heapInUse();
      const op = new Unary('negate');
      try {
        const rab = new ArrayBuffer(32, { maxByteLength: 64 });
        const x = new Float32Array(rab).fill(1);
        throwsWith(() => op.run(x, shapeWithGetter([8], 0, () => rab.resize(16))),
                      /^Unary\.run: input has 4 elements but its shape \[8\] needs 8$/);
        const grown = new Float32Array(new ArrayBuffer(16, { maxByteLength: 64 }));
        throwsWith(() => op.run(grown, shapeWithGetter([4], 0, () => grown.buffer.resize(64))),
                      /^Unary\.run: input has 16 elements but its shape \[4\] needs 4$/);
        const y = new Float32Array(4).fill(3);
        throwsWith(() => op.run(y, shapeWithGetter([4], 0, () => detach(y))),
                      /^Unary\.run: input has 0 elements but its shape \[4\] needs 4$/);
        // An output detached by a getter: rejected.
        const out = new Float32Array(4);
        throwsWith(() => op.run(new Float32Array(4), shapeWithGetter([4], 0, () => detach(out)), out),
                      /^Unary\.run: output has 0 elements, expected 4$/);
        assert.deepEqual(Array.from(op.run(new Float32Array([1, -2]))), [-1, 2]);
      } finally {
        op.dispose();
      }
      assert.equal(rt().heapInUse(), baseline);
    });

    it('dispose(), run() and outputShape() re-entered from a getter are rejected; nothing leaks', () => {
      const baseline = rt().heapInUse();
      for (let i = 0; i < 3; i++) {
        const op = new Unary('relu');
        throwsWith(() => op.run(new Float32Array(4), shapeWithGetter([2, 2], 1, () => op.dispose())),
                      /^Unary\.dispose: called while Unary\.run\(\) is in progress \(from code of the caller's that it ran: a getter, a proxy or valueOf of an argument\); the operator was not disposed$/);
        throwsWith(() => op.run(new Float32Array(4), shapeWithGetter([4], 0, () => op.run(new Float32Array(1)))),
                      /^Unary\.run: called while Unary\.run\(\) is in progress/);
        assert.deepEqual(Array.from(op.run(new Float32Array([-1, 1]))), [0, 1]);
        op.dispose();
        const conv = new Convolution2D({ kernelHeight: 1, kernelWidth: 1, groupInputChannels: 1,
                                         groupOutputChannels: 1 }, [2]);
        throwsWith(() => conv.outputShape(shapeWithGetter([1, 2, 2, 1], 0, () => conv.rerun())),
                      /^Convolution2D\.rerun: called while Convolution2D\.outputShape\(\) is in progress/);
        conv.dispose();
      }
      assert.equal(rt().heapInUse(), baseline);
    });

    it('terminate() from a getter: the run in progress throws, it returns nothing', async () => {
      const op = new Unary('relu');
      let terminating = null;
      throwsWith(() => op.run(new Float32Array(4), shapeWithGetter([4], 0, () => { terminating = terminate(); })),
                    /^Unary\.run: portnn was terminated while this call read its arguments; call init\(\) again and create a new operator$/);
      await terminating;
      throwsWith(() => op.run(new Float32Array(4)), /^Unary\.run: portnn was terminated/);
      await init({ variant, threads });
      await settle();
    });

    it('rerun() after a rejected run() runs the last run() (its shape, its inputs)', () => {
      const rtm = rt();
      const baseline = rtm.heapInUse();
      const conv = new Convolution2D({ kernelHeight: 3, kernelWidth: 3, groupInputChannels: 1,
                                       groupOutputChannels: 1 }, new Float32Array(9).fill(1));
      try {
        const x = Float32Array.from({ length: 25 }, (_, i) => i);
        const expected = conv.run(x, [1, 5, 5, 1]);
        const check = (what) => {
          rtm.f32(conv._state.buffers.get('output').ptr, 9).fill(NaN);
          conv.rerun();
          assert.deepEqual(moduleBuffer(conv, 'output', 9), Array.from(expected), what);
        };
        // Rejected for its output after the new shape was accepted.
        throwsWith(() => conv.run(new Float32Array(49).fill(7), [1, 7, 7, 1], new Float32Array(9)),
                      /^Convolution2D\.run: output has 9 elements, expected 25$/);
        check('after a run() rejected for its output');
        // Rejected by C at reshape.
        throwsWith(() => conv.run(new Float32Array(4), [1, 2, 2, 1]), PortnnError);
        check('after a run() rejected by the C reshape');
        // Another shape asked for in between.
        assert.deepEqual(conv.outputShape([1, 9, 9, 1]), [1, 7, 7, 1]);
        check('after outputShape() of another shape');
        // Rejected for an input of the wrong length.
        throwsWith(() => conv.run(new Float32Array(3), [1, 6, 6, 1]), /input has 3 elements/);
        check('after a run() rejected for its input');
      } finally {
        conv.dispose();
      }
      const mm = new BatchMatMul();
      try {
        const expected = mm.run(new Float32Array([1, 2]), [1, 2], new Float32Array([3, 4]), [2, 1]);
        throwsWith(() => mm.run(new Float32Array(4), [2, 2], new Float32Array(4), [2, 2], new Float32Array(3)),
                      /^BatchMatMul\.run: output has 3 elements, expected 4$/);
        mm.rerun();
        assert.deepEqual(moduleBuffer(mm, 'output', 1), Array.from(expected));
      } finally {
        mm.dispose();
      }
      assert.equal(rtm.heapInUse(), baseline);
    });

    it('a view of a SharedArrayBuffer grown by another thread: a consistent snapshot or a clear error', async (t) => {
      const baseline = rt().heapInUse();
      const max = 4 * 65536;
      const gsab = new SharedArrayBuffer(4 * 1024, { maxByteLength: max });
      const flags = new Int32Array(new SharedArrayBuffer(8));  // [stop, started]
      new Float32Array(gsab).fill(-1);  // the first 1024 floats are -1; grown ones are 0
      const worker = new Worker(`
        const { workerData: { gsab, flags, max } } = require('node:worker_threads');
        Atomics.store(flags, 1, 1);
        while (Atomics.load(flags, 0) === 0 && gsab.byteLength + 256 <= max) {
          gsab.grow(gsab.byteLength + 256);
          Atomics.wait(flags, 0, 0, 0.05);
        }`, { eval: true, workerData: { gsab, flags, max } });
      const exited = new Promise((resolve) => worker.once('exit', resolve));
      while (Atomics.load(flags, 1) === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      const unary = new Unary('abs');
      const binary = new Binary('add');
      const clearError = /^(Unary|Binary)\.run: (input|a) has \d+ elements but its shape \[\d+\] needs \d+$/;
      let ok = 0;
      let rejected = 0;
      const expect = (y, first, rest) => {
        for (let i = 0; i < y.length; i++) {
          if (y[i] !== (i < 1024 ? first : rest)) assert.fail(`element ${i} of ${y.length} is ${y[i]}`);
        }
      };
      try {
        for (let i = 0; i < 2000 && gsab.byteLength < max; i++) {
          const view = new Float32Array(gsab);  // length-tracking
          for (const run of [
            // No shape: the length at the check is the snapshot taken.
            () => expect(unary.run(view), 1, 0),
            // An explicit shape for a growing view.
            () => expect(binary.run(view, [view.length], new Float32Array([1]), [1]), 0, 1),
          ]) {
            try {
              run();
              ok++;
            } catch (e) {
              assert.match(e.message, clearError);
              rejected++;
            }
          }
        }
      } finally {
        Atomics.store(flags, 0, 1);
        await exited;
        unary.dispose();
        binary.dispose();
      }
      t.diagnostic(`${ok} runs on a consistent snapshot, ${rejected} rejected with a clear error, buffer grown to ${gsab.byteLength} bytes`);
      assert.ok(ok > 0, `${ok} runs succeeded, ${rejected} were rejected`);
      // The module heap is intact: an operator computes as before and the heap is back.
      const check = new Unary('negate');
      assert.deepEqual(Array.from(check.run(new Float32Array([1, -2, 3]))), [-1, 2, -3]);
      check.dispose();
      await settle();
      assert.equal(rt().heapInUse(), baseline);
    });

    it('an operator dropped without dispose() is freed once collected (nothing it holds keeps it alive)', async () => {
      const baseline = rt().heapInUse();
      (() => {
        const conv = new Convolution2D({ kernelHeight: 1, kernelWidth: 1, groupInputChannels: 1,
                                         groupOutputChannels: 2 }, [1, 2]);
        conv.run(new Float32Array(4), [1, 2, 2, 1]);
        conv.outputShape([1, 3, 3, 1]);
        conv.rerun();
        const add = new Binary('add');
        add.run(new Float32Array(2), [2], new Float32Array(1), [1]);
        add.rerun();
      })();
      for (let i = 0; i < 100 && rt().heapInUse() !== baseline; i++) {
        gc();
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      assert.equal(rt().heapInUse(), baseline);
    });

    it('C failures carry the C library\'s reason', () => {
      const conv = new Convolution2D({ kernelHeight: 1, kernelWidth: 1, groupInputChannels: 1,
                                       groupOutputChannels: 1 }, [1]);
      try {
        throwsWith(() => FullyConnected.prototype.run.call(conv, new Float32Array(1)), (e) => {
          assert.ok(e instanceof PortnnError);
          // The reason is the library's (src/operator.h operator_cast), after the JS context.
          assert.match(e.message, /^Convolution2D: pnn_reshape_fully_connected_nc_f32 for batch 1 failed: invalid parameter \(op is a convolution operator, not a fully connected operator\)$/);
          assert.equal(e.status, 'invalid parameter');
          return true;
        });
      } finally {
        conv.dispose();
      }
    });

    it('a stride of 0 reaches C, whose reason names stride_height', () => {
      const baseline = rt().heapInUse();
      throwsWith(() => new MaxPooling2D({ poolingHeight: 2, poolingWidth: 2, channels: 1, strideHeight: 0 }),
                    (e) => e instanceof PortnnError && e.status === 'invalid parameter' &&
                           /^MaxPooling2D: pnn_create_max_pooling2d_nhwc_f32 failed: invalid parameter \(.*stride_height.*\)$/.test(e.message));
      throwsWith(() => new Convolution2D({ kernelHeight: 1, kernelWidth: 1, groupInputChannels: 1,
                                              groupOutputChannels: 1, strideHeight: 0 }, [1]),
                    /^Convolution2D: pnn_create_convolution2d_nhwc_f32 failed: invalid parameter \(.*stride_height.*\)$/);
      assert.equal(rt().heapInUse(), baseline);
    });

    it('an engine error from the module carries no Emscripten build hint', () => {
      const op = new Unary('relu');
      const mod = rt().mod;
      const real = mod._pnn_run_operator;
      mod._pnn_run_operator = () => {
        throw new WebAssembly.RuntimeError('Aborted(simulated). Build with -s ASSERTIONS=1 for more info.');
      };
      try {
        throwsWith(() => op.run(new Float32Array(2)), (e) => {
          assert.equal(e.message, 'Unary: pnn_run_operator: the WebAssembly module failed: Aborted(simulated)');
          assert.ok(e.cause instanceof WebAssembly.RuntimeError);
          return true;
        });
      } finally {
        mod._pnn_run_operator = real;
        op.dispose();
      }
    });
  });
}
