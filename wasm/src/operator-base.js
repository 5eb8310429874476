// The base of the operator classes: the C operator's lifetime, the module buffers, the
// reshape/setup cache, C failures turned into PortnnErrors carrying the library's reason, and
// the discipline that keeps one call consistent while the caller's code runs inside it.
//
// A call goes in three phases. First every argument is read (getters, proxies, valueOf run
// here, and only here). Then, with nothing of the caller's left to run, the operator is checked
// again (a getter may have terminated the runtime) and the typed arrays are measured and
// captured (check.js). Only then does the operator's state change: reshape (the C library says
// what it rejects, and what the output shape is), the output length check, the module buffers
// (allocated all-or-nothing), setup, the copy in, the run, the copy out. While a call is in
// progress, another call on the same operator from the caller's code (dispose(), run(),
// rerun(), outputShape()) throws instead of pulling the operator's state from under it.
//
// rerun() runs what the last run() set up. A later call that changed the C operator's shape or
// bindings without completing a run (outputShape(), a run() rejected after its reshape, e.g. for
// its output argument) is undone by rerun() first: the module buffers still hold that run's
// inputs, because buffers are only replaced, and inputs only copied, once nothing can reject.

import { PortnnError, requireRuntime } from './runtime.js';
import {
  captureInput, checkOutputLength, copyInput, fail, outputArgument, typedArraySet,
} from './check.js';

// Scratch layout (Runtime.scratch, 256 bytes): out-parameters and small shape arrays.
export const SCRATCH_OUT = 0;      // op_out, output height/width, output dim count
export const SCRATCH_DIMS_A = 64;  // up to 6 size_t
export const SCRATCH_DIMS_B = 96;
export const SCRATCH_DIMS_OUT = 128;

// Emscripten's advice to rebuild with assertions means nothing to a user of the package.
const EMSCRIPTEN_HINT = /\.?\s*\(?Build with -s ASSERTIONS=1 for more info\.?\)?/g;

/**
 * The PortnnError for a failed C call: `what` ("Op: pnn_function for ...") failed, the status,
 * and the library's reason (pnn_last_error_message(), read first, right after the call).
 */
export function cFailure(rt, code, what, cName) {
  let reason = rt.cstring(rt.mod._pnn_last_error_message());
  if (reason.startsWith(`${cName}: `)) reason = reason.slice(cName.length + 2);
  const status = rt.statusName(code);
  return new PortnnError(`${what} failed: ${status}${reason ? ` (${reason})` : ''}`, status, code);
}

/** An error thrown by the module itself (a trap, an abort), named and without Emscripten's hint. */
function engineFailure(e, what) {
  if (e instanceof PortnnError || !(e instanceof Error)) return e;
  const message = String(e.message).replace(EMSCRIPTEN_HINT, '');
  return new Error(`${what}: the WebAssembly module failed: ${message}`, { cause: e });
}

// Frees what an operator owns in module memory if it is garbage collected without dispose().
// The registry holds only those resources ({ runtime, op, buffers, released }), never the
// operator's state with its closures, so that nothing it holds keeps the operator alive.
const finalizer = typeof FinalizationRegistry === 'function'
  ? new FinalizationRegistry((resources) => release(resources)) : null;

function release(resources) {
  if (resources.released) return;
  resources.released = true;
  const rt = resources.runtime;
  if (!rt.alive) return;
  if (resources.op !== 0) rt.mod._pnn_delete_operator(resources.op);
  for (const buffer of resources.buffers.values()) rt.free(buffer.ptr);
  resources.buffers.clear();
}

function product(shape) {
  let count = 1;
  for (let i = 0; i < shape.length; i++) count *= shape[i];
  return count;
}

function samePointers(a, b) {
  if (a === null || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Base of the operator classes: lifetime, module buffers, reshape/setup caching. */
export class Operator {
  constructor(name) {
    this._name = name;
    this._state = null;
  }

  // Creates the C operator. `captured` are the weights as Float32Arrays of their final length
  // (check.js captureWeights(), or null), copied into module memory for the call only (the
  // library copies/packs them and keeps no pointer); `create(mod, ptrs, opOut)` calls the C
  // create function and returns its status. Call it once every argument has been read.
  _create(cName, captured, create) {
    const rt = requireRuntime(this._name);
    const ptrs = [];
    const what = `${this._name}: ${cName}`;
    try {
      for (const w of captured) {
        if (w === null) { ptrs.push(0); continue; }
        const ptr = rt.malloc(w.length * 4, this._name, 'the weights');
        ptrs.push(ptr);
        typedArraySet.call(rt.f32(ptr, w.length), w);
      }
      let code;
      try {
        code = create(rt.mod, ptrs, rt.scratch + SCRATCH_OUT);
      } catch (e) {
        throw engineFailure(e, what);
      }
      if (code !== 0) throw cFailure(rt, code, what, cName);
    } finally {
      for (const ptr of ptrs) rt.free(ptr);
    }
    const op = rt.u32(rt.scratch + SCRATCH_OUT, 1)[0];
    const resources = { runtime: rt, op, buffers: new Map(), released: false };
    this._state = {
      resources, runtime: rt, op, buffers: resources.buffers,
      busy: null,       // the method in progress, while the caller's code may run inside it
      shape: null,      // { key, reshape, read, cName, context, out }: the C operator's shape
      pointers: null,   // the pointers of the C operator's setup (null: not set up)
      setup: null,      // { cName, setup } that bound `pointers`
      last: null,       // { shape, pointers, setup } of the last run(), for rerun()
    };
    if (finalizer !== null) finalizer.register(this, resources, this);
  }

  // Enters `method`: the operator must be usable and not inside another of its calls. Returns
  // the runtime. Pair with _leave() (finally).
  _enter(method) {
    const state = this._state;
    if (state === null || state.resources.released) fail(`${this._name}.${method}`, 'the operator was disposed');
    if (!state.runtime.alive) state.runtime.assertAlive(`${this._name}.${method}`);
    if (state.busy !== null) {
      fail(`${this._name}.${method}`, `called while ${this._name}.${state.busy}() is in progress (from code of the caller's that it ran: a getter, a proxy or valueOf of an argument)`);
    }
    state.busy = method;
    return state.runtime;
  }

  _leave() { this._state.busy = null; }

  // `body()` as `method` of this operator (between _enter() and _leave()).
  _guard(method, body) {
    this._enter(method);
    try {
      return body();
    } finally {
      this._leave();
    }
  }

  // After the caller's code has run: the runtime may have been terminated meanwhile.
  _resume(method) {
    const rt = this._state.runtime;
    if (!rt.alive) {
      fail(`${this._name}.${method}`, 'portnn was terminated while this call read its arguments; call init() again and create a new operator');
    }
    return rt;
  }

  // A C call of this operator's (setup, run), `call(handle)` with the C operator: its status, or
  // the C failure (with its reason) or the module's own error thrown. Messages are built on
  // failure only.
  _cCall(cName, call) {
    let code;
    try {
      code = call(this._state.op);
    } catch (e) {
      throw engineFailure(e, `${this._name}: ${cName}`);
    }
    if (code !== 0) throw cFailure(this._state.runtime, code, `${this._name}: ${cName}`, cName);
  }

  // The C operator with the shape `key`: calls `reshape(handle)` (returns a status) unless that is
  // the shape already, then `read()` for the output shape (kept as shape.out). `context()` says
  // what the shape is, for messages (built only when needed: run() is often called with the same
  // shape). On failure the C operator keeps its previous shape (C's rule) but is considered
  // unshaped here.
  _reshape(key, cName, context, reshape, read) {
    const state = this._state;
    if (state.shape !== null && state.shape.key === key) return state.shape.out;
    const record = { key, reshape, read, cName, context, out: null };
    this._applyShape(record);
    return record.out;
  }

  _applyShape(record) {
    const state = this._state;
    state.shape = null;
    state.pointers = null;
    const what = () => `${this._name}: ${record.cName}${record.context()}`;
    let code;
    try {
      code = record.reshape(state.op);
    } catch (e) {
      throw engineFailure(e, what());
    }
    if (code !== 0) throw cFailure(state.runtime, code, what(), record.cName);
    record.out = record.read();
    state.shape = record;
  }

  // Module buffers for `slots` ([[name, floats], ...]), reused while large enough. All new ones
  // are allocated before any old one is freed: on failure the operator keeps its buffers (and
  // the inputs of its last run). Returns their pointers.
  _buffers(method, slots) {
    const state = this._state;
    const rt = state.runtime;
    const ptrs = new Array(slots.length);
    let fresh = null;
    try {
      for (let i = 0; i < slots.length; i++) {
        const [slot, count] = slots[i];
        const bytes = Math.max(count, 1) * 4;
        const buffer = state.buffers.get(slot);
        if (buffer !== undefined && buffer.bytes >= bytes) {
          ptrs[i] = buffer.ptr;
          continue;
        }
        const what = slot === 'a' || slot === 'b' ? `operand ${slot}` : `the ${slot}`;
        if (fresh === null) fresh = [];
        const ptr = rt.malloc(bytes, `${this._name}.${method}`, what);
        fresh.push([slot, { ptr, bytes }]);
        ptrs[i] = ptr;
      }
    } catch (e) {
      if (fresh !== null) for (const [, buffer] of fresh) rt.free(buffer.ptr);
      throw e;
    }
    if (fresh !== null) {
      // The last run's inputs are gone with the buffers they were in.
      state.last = null;
      for (const [slot, buffer] of fresh) {
        const old = state.buffers.get(slot);
        if (old !== undefined) rt.free(old.ptr);
        state.buffers.set(slot, buffer);
      }
    }
    return ptrs;
  }

  // Binds `ptrs` by `setup()` (a status) unless the C operator is set up with them already.
  _setup(ptrs, cName, setup) {
    const state = this._state;
    if (samePointers(state.pointers, ptrs)) return;
    state.pointers = null;
    this._cCall(cName, setup);
    state.pointers = ptrs;
    state.setup = { cName, setup };
  }

  _run() {
    const state = this._state;
    const rt = state.runtime;
    this._cCall('pnn_run_operator', (handle) => rt.mod._pnn_run_operator(handle, rt.pool));
  }

  // The end of run(): copies the captured inputs ([[ptr, data, count]]) in, records the run for
  // rerun(), runs, and copies `count` floats from `outPtr` to `output` (or a new array). Views
  // of module memory are taken after every allocation: memory growth replaces the buffer.
  _execute(inputs, outPtr, count, output) {
    const state = this._state;
    const rt = state.runtime;
    for (let i = 0; i < inputs.length; i++) {
      const [ptr, data, count] = inputs[i];
      copyInput(rt.f32(ptr, count), data);
    }
    state.last = { shape: state.shape, pointers: state.pointers, setup: state.setup };
    this._run();
    const result = rt.f32(outPtr, count);
    if (output !== null) {
      typedArraySet.call(output, result);
      return output;
    }
    return result.slice();
  }

  // The end of run() for one input, its shape checked (`s` = { who, shape, count }) and the
  // caller's code done: captures the input, reshapes (`reshape()` returns the output shape, from
  // C), checks the output, then buffers, setup (`setup(op, input, output)`), copy in, run, copy
  // out.
  _runSingle(s, input, output, reshape, setupName, setup) {
    const data = captureInput(s.who, 'input', input, s.shape, s.count);
    const out = outputArgument(s.who, output);
    const outCount = product(reshape());
    checkOutputLength(s.who, out, outCount);
    const ptrs = this._buffers('run', [['input', s.count], ['output', outCount]]);
    this._setup(ptrs, setupName, (handle) => setup(handle, ptrs[0], ptrs[1]));
    return this._execute([[ptrs[0], data, s.count]], ptrs[1], outCount, out);
  }

  // run() of a one-input operator whose C reshape takes numbers only, `args`, between the handle
  // and the pool (`reshapeName`(op, ...args, pool)): reshapes when they changed (`context()` for
  // messages), with `outShape` as the output shape, then _runSingle() with `setupName`(op, input,
  // output). The names are the C functions' (the module exports them with a leading _).
  _runSingleReshaped(s, input, output, { reshapeName, args, context, outShape, setupName }) {
    const rt = this._resume('run');
    const reshape = rt.mod[`_${reshapeName}`];
    return this._runSingle(s, input, output, () => this._reshape(
      args.join(','), reshapeName, context, (handle) => reshape(handle, ...args, rt.pool), () => outShape),
    setupName, rt.mod[`_${setupName}`]);
  }

  // As _runSingle() for two operands, a and b (`d` = { who, aShape, bShape, countA, countB }).
  _runPair(d, a, b, output, reshape, setupName, setup) {
    const aData = captureInput(d.who, 'a', a, d.aShape, d.countA);
    const bData = captureInput(d.who, 'b', b, d.bShape, d.countB);
    const out = outputArgument(d.who, output);
    const outCount = product(reshape());
    checkOutputLength(d.who, out, outCount);
    const ptrs = this._buffers('run', [['a', d.countA], ['b', d.countB], ['output', outCount]]);
    this._setup(ptrs, setupName, (handle) => setup(handle, ptrs[0], ptrs[1], ptrs[2]));
    return this._execute([[ptrs[0], aData, d.countA], [ptrs[1], bData, d.countB]], ptrs[2], outCount, out);
  }

  /**
   * outputShape() of an operator of two operands (Binary, BatchMatMul): the subclass reads the
   * shapes (`_shapes(who, aShape, bShape)`: { who, aShape, bShape, countA, countB, ... }) and
   * reshapes for them (`_reshapeFor(rt, shapes)` returns the output shape, from C).
   */
  _pairOutputShape(aShape, bShape) {
    return this._guard('outputShape', () => {
      const d = this._shapes(`${this._name}.outputShape`, aShape, bShape);
      return this._reshapeFor(this._resume('outputShape'), d).slice();
    });
  }

  /** run() of an operator of two operands (as _pairOutputShape()), set up by C's `setupName`. */
  _pairRun(a, aShape, b, bShape, output, setupName) {
    return this._guard('run', () => {
      const d = this._shapes(`${this._name}.run`, aShape, bShape);
      const rt = this._resume('run');
      return this._runPair(d, a, b, output, () => this._reshapeFor(rt, d), setupName,
                           rt.mod[`_${setupName}`]);
    });
  }

  /**
   * Runs the operator again on the inputs of the last run(), which are still in module memory,
   * and leaves the result there: no copy in or out. For benchmarks that time the operator alone,
   * as peers whose tensors live in module memory are timed. Throws before the first run().
   */
  rerun() {
    return this._guard('rerun', () => {
      const state = this._state;
      const last = state.last;
      if (last === null) fail(`${this._name}.rerun`, 'call run() first');
      if (state.shape !== last.shape) this._applyShape(last.shape);
      if (!samePointers(state.pointers, last.pointers)) {
        this._setup(last.pointers, last.setup.cName, last.setup.setup);
      }
      this._run();
    });
  }

  /** Name of the main microkernel (after the first run or outputShape()), e.g. for reports. */
  get kernelName() {
    const state = this._state;
    if (state === null || state.resources.released) fail(`${this._name}.kernelName`, 'the operator was disposed');
    state.runtime.assertAlive(`${this._name}.kernelName`);
    const rt = state.runtime;
    return rt.cstring(rt.mod._pnn_operator_kernel_name(state.op));
  }

  /** Frees the operator and its module buffers. Further calls throw. Idempotent. */
  dispose() {
    const state = this._state;
    if (state === null || state.resources.released) return;
    if (state.busy !== null) {
      fail(`${this._name}.dispose`, `called while ${this._name}.${state.busy}() is in progress (from code of the caller's that it ran: a getter, a proxy or valueOf of an argument); the operator was not disposed`);
    }
    if (finalizer !== null) finalizer.unregister(this);
    release(state.resources);
  }
}
