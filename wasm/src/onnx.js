// 'portnn/onnx': loadOnnx() runs an .onnx model. protobufjs decodes the bytes with the schema
// portnn's native decoder uses too (src/onnx/onnx.proto, converted to protobufjs JSON at build
// time: dist/onnx-schema.mjs), and this file transcribes every field of the decoded model into
// the importer module through its glue (wasm/onnx-glue.cc), interpreting nothing: what a model
// means is decided once, by the C++ import core both platforms share (src/onnx/import.h).
//
// The importer is a module of its own per variant (dist/portnn-onnx*.wasm: the library plus the
// import core), loaded on the first loadOnnx() with the variant and thread count of init(); a
// page that only runs operators never loads it, nor this file and protobufjs (a separate entry
// point, so that bundles of 'portnn' do not contain them either). The model's runtime lives in
// the importer module (its own memory and pool, beside the operator module).
//
// The bytes are untrusted. protobufjs bounds every length by the bytes it has (a truncated
// message or a length past the end throws); each array this file copies into the module is
// checked against the model's byte length again before it is staged (every element costs at
// least one byte on the wire), so a staging buffer is never larger than a few times the model;
// the import core bounds every dimension and count before it allocates anything derived from
// them. Any failure frees what was staged and the partly built model: nothing leaks.

import protobuf from 'protobufjs/light.js';

import schema from '../dist/onnx-schema.mjs';  // runtime.js ONNX_SCHEMA
import {
  PortnnError, describeValue, importerRuntime, init, ONNX_FILE_NAMES, requireRuntime, retireImporter,
} from './runtime.js';
import { GraphRuntime } from './graph.js';
import { MAX_DIMS, U32_MAX, fail, params } from './check.js';
import { SCRATCH_DIMS_OUT, SCRATCH_OUT, cFailure } from './operator-base.js';

const WHO = 'loadOnnx';
const MAX_MODEL_BYTES = 2147483647;  // PNN_ONNX_MAX_MODEL_BYTES
const RUNTIME_PROFILE = 0x1;

// The importer's files, each by a literal URL that bundlers emit (see runtime.js).
const FILES = Object.freeze({
  'scalar': {
    wasm: [ONNX_FILE_NAMES.scalar.wasm, () => new URL('../dist/portnn-onnx.wasm', import.meta.url)],
    glue: [ONNX_FILE_NAMES.scalar.glue, () => new URL('../dist/portnn-onnx.mjs', import.meta.url)],
  },
  'simd': {
    wasm: [ONNX_FILE_NAMES.simd.wasm, () => new URL('../dist/portnn-onnx-simd.wasm', import.meta.url)],
    glue: [ONNX_FILE_NAMES.simd.glue, () => new URL('../dist/portnn-onnx-simd.mjs', import.meta.url)],
  },
  'simd-threads': {
    wasm: [ONNX_FILE_NAMES['simd-threads'].wasm,
           () => new URL('../dist/portnn-onnx-simd-threads.wasm', import.meta.url)],
    glue: [ONNX_FILE_NAMES['simd-threads'].glue,
           () => new URL('../dist/portnn-onnx-simd-threads.mjs', import.meta.url)],
  },
  'relaxed-simd': {
    wasm: [ONNX_FILE_NAMES['relaxed-simd'].wasm,
           () => new URL('../dist/portnn-onnx-relaxed-simd.wasm', import.meta.url)],
    glue: [ONNX_FILE_NAMES['relaxed-simd'].glue,
           () => new URL('../dist/portnn-onnx-relaxed-simd.mjs', import.meta.url)],
  },
  'relaxed-simd-threads': {
    wasm: [ONNX_FILE_NAMES['relaxed-simd-threads'].wasm,
           () => new URL('../dist/portnn-onnx-relaxed-simd-threads.wasm', import.meta.url)],
    glue: [ONNX_FILE_NAMES['relaxed-simd-threads'].glue,
           () => new URL('../dist/portnn-onnx-relaxed-simd-threads.mjs', import.meta.url)],
  },
});

let modelType = null;  // portnn.onnx.ModelProto, built from the JSON once
function ModelProto() {
  if (modelType === null) modelType = protobuf.Root.fromJSON(schema).lookupType('portnn.onnx.ModelProto');
  return modelType;
}

const has = (message, field) => message !== null && Object.prototype.hasOwnProperty.call(message, field);
const utf8 = new TextEncoder();

// An int64 from protobufjs (a Long, or a number when long.js is missing) as [low, high] uint32.
function halves(value) {
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) fail(WHO, `an int64 field decoded as the inexact number ${value}`);
    return [value >>> 0, Math.floor(value / 2 ** 32) >>> 0];
  }
  return [value.low >>> 0, value.high >>> 0];
}

/**
 * The buffers of one glue call, staged in one module allocation: add parts (each returns its
 * index), then place() allocates and copies, ptr(i) / count(i) name each part, free() releases.
 * Every part's element count is checked against the model's byte length first.
 */
class Staging {
  constructor(rt, limit) {
    this.rt = rt;
    this.limit = limit;
    this.parts = [];  // { bytes, align, write(view) , count }
    this.base = 0;
    this.offsets = [];
  }

  _add(count, elementBytes, write, what) {
    if (count > this.limit) fail(WHO, `${what} has ${count} elements, more than the model's ${this.limit} bytes can encode`);
    this.parts.push({ bytes: count * elementBytes, align: Math.max(elementBytes, 1), count, write });
    return this.parts.length - 1;
  }

  /** UTF-8 bytes of a string, or the bytes of a Uint8Array as they are. */
  bytes(value, what) {
    const b = typeof value === 'string' ? utf8.encode(value) : value;
    return this._add(b.length, 1, (buffer, at) => new Uint8Array(buffer, at, b.length).set(b), what);
  }

  /** A list of strings (or byte arrays): their bytes back to back, then their uint32 lengths. */
  strings(list, what) {
    const encoded = list.map((v) => (typeof v === 'string' ? utf8.encode(v) : v));
    const total = encoded.reduce((n, b) => n + b.length, 0);
    const data = this._add(total, 1, (buffer, at) => {
      let offset = at;
      for (const b of encoded) { new Uint8Array(buffer, offset, b.length).set(b); offset += b.length; }
    }, what);
    const lengths = this._add(encoded.length, 4, (buffer, at) => {
      new Uint32Array(buffer, at, encoded.length).set(encoded.map((b) => b.length));
    }, what);
    return [data, lengths];
  }

  /** Numbers as a typed array of class `Type` (Float32Array, Int32Array, Float64Array, Uint8Array). */
  numbers(list, Type, what) {
    return this._add(list.length, Type.BYTES_PER_ELEMENT,
                     (buffer, at) => new Type(buffer, at, list.length).set(list), what);
  }

  /** int64 values (Longs) as little-endian int64. */
  int64s(list, what) {
    return this._add(list.length, 8, (buffer, at) => {
      const words = new Uint32Array(buffer, at, 2 * list.length);
      for (let i = 0; i < list.length; i++) [words[2 * i], words[2 * i + 1]] = halves(list[i]);
    }, what);
  }

  place() {
    let size = 0;
    for (const part of this.parts) {
      size = Math.ceil(size / part.align) * part.align;
      this.offsets.push(size);
      size += part.bytes;
    }
    this.base = this.rt.malloc(size, WHO, 'the decoded model');
    const { buffer } = this.rt;
    this.parts.forEach((part, i) => part.write(buffer, this.base + this.offsets[i]));
  }

  ptr(i) { return this.base + this.offsets[i]; }
  count(i) { return this.parts[i].count; }
  free() { this.rt.free(this.base); this.base = 0; }
}

// One glue call: `stage(staging)` adds the parts and returns what `call(mod, s)` needs.
function transcribe(rt, limit, cName, stage, call) {
  const staging = new Staging(rt, limit);
  const parts = stage(staging);
  staging.place();
  try {
    const code = call(rt.mod, staging, parts);
    if (code !== 0) throw failure(rt, code, cName);
  } finally {
    staging.free();
  }
}

// The PortnnError of a failed glue call. The import itself ("importing the model failed") carries
// the import core's reason, which names the node, op type and attribute; any prefix naming the
// entry point (the glue's, or the `who` the core was given) is dropped.
function failure(rt, code, cName) {
  if (cName !== 'pnnw_onnx_import') return cFailure(rt, code, `${WHO}: ${cName}`, cName);
  const e = cFailure(rt, code, `${WHO}: importing the model`, cName);
  e.message = e.message.replace(/\((loadOnnx|pnn_load_onnx): /, '(');
  return e;
}

// A tensor (an initializer, or with ofAttribute the last attribute's t). Its raw_data is written
// straight into the tensor the glue sized for it (not staged: it is most of a model's bytes).
function addTensor(rt, limit, model, ofAttribute, t) {
  const raw = t.raw_data;
  if (raw.length > limit) fail(WHO, `raw_data has ${raw.length} bytes, more than the model's ${limit}`);
  transcribe(rt, limit, 'pnnw_onnx_add_tensor',
             (s) => [s.bytes(t.name, 'a tensor name'), s.int64s(t.dims, 'dims'),
                     s.numbers(t.float_data, Float32Array, 'float_data'), s.numbers(t.int32_data, Int32Array, 'int32_data'),
                     s.int64s(t.int64_data, 'int64_data'), s.numbers(t.double_data, Float64Array, 'double_data')],
             (mod, s, [name, dims, floats, int32, int64, doubles]) => {
               const code = mod._pnnw_onnx_add_tensor(
                 model, ofAttribute, s.ptr(name), s.count(name), t.data_type, s.ptr(dims), s.count(dims),
                 s.ptr(floats), s.count(floats), s.ptr(int32), s.count(int32), s.ptr(int64), s.count(int64),
                 s.ptr(doubles), s.count(doubles), t.data_location === 1 || t.external_data.length > 0 ? 1 : 0,
                 has(t, 'segment') ? 1 : 0, raw.length, rt.scratch + SCRATCH_OUT);
               if (code === 0 && raw.length > 0) {
                 new Uint8Array(rt.buffer, rt.u32(rt.scratch + SCRATCH_OUT, 1)[0], raw.length).set(raw);
               }
               return code;
             });
}

// Every field of the decoded model that src/onnx/model.h has, into the Model at `model`.
function transcribeModel(rt, limit, model, m) {
  const graph = has(m, 'graph') ? m.graph : null;
  const [irLow, irHigh] = halves(m.ir_version);
  transcribe(rt, limit, 'pnnw_onnx_set_model', (s) => [s.bytes(graph ? graph.name : '', 'the graph name')],
             (mod, s, [name]) => mod._pnnw_onnx_set_model(model, irLow, irHigh, m.functions.length, graph ? 1 : 0,
                                                          graph ? graph.sparse_initializer.length : 0,
                                                          s.ptr(name), s.count(name)));
  for (const opset of m.opset_import) {
    const [low, high] = halves(opset.version);
    transcribe(rt, limit, 'pnnw_onnx_add_opset', (s) => [s.bytes(opset.domain, 'a domain')],
               (mod, s, [domain]) => mod._pnnw_onnx_add_opset(model, s.ptr(domain), s.count(domain), low, high));
  }
  if (graph === null) return;
  for (const node of graph.node) {
    transcribe(rt, limit, 'pnnw_onnx_add_node',
               (s) => [s.bytes(node.name, 'a node name'), s.bytes(node.op_type, 'an op type'), s.bytes(node.domain, 'a domain')],
               (mod, s, [name, op, domain]) => mod._pnnw_onnx_add_node(
                 model, s.ptr(name), s.count(name), s.ptr(op), s.count(op), s.ptr(domain), s.count(domain)));
    for (const [isOutput, list] of [[0, node.input], [1, node.output]]) {
      transcribe(rt, limit, 'pnnw_onnx_set_node_io', (s) => s.strings(list, 'node inputs or outputs'),
                 (mod, s, [names, lengths]) => mod._pnnw_onnx_set_node_io(
                   model, isOutput, s.ptr(names), s.ptr(lengths), s.count(lengths)));
    }
    for (const a of node.attribute) {
      const [iLow, iHigh] = halves(a.i);
      transcribe(rt, limit, 'pnnw_onnx_add_attribute',
                 (s) => [s.bytes(a.name, 'an attribute name'), s.bytes(a.ref_attr_name, 'ref_attr_name'),
                         s.bytes(a.s, 'an attribute s'), s.numbers(a.floats, Float32Array, 'floats'),
                         s.int64s(a.ints, 'ints'), ...s.strings(a.strings, 'strings')],
                 (mod, s, [name, ref, str, floats, ints, strings, lengths]) => mod._pnnw_onnx_add_attribute(
                   model, s.ptr(name), s.count(name), s.ptr(ref), s.count(ref), a.type, a.f, iLow, iHigh,
                   s.ptr(str), s.count(str), s.ptr(floats), s.count(floats), s.ptr(ints), s.count(ints),
                   s.ptr(strings), s.ptr(lengths), s.count(lengths), a.tensors.length,
                   (has(a, 'g') ? 1 : 0) + a.graphs.length));
      if (has(a, 't')) {
        addTensor(rt, limit, model, 1, a.t);
      }
    }
  }
  for (const t of graph.initializer) {
    addTensor(rt, limit, model, 0, t);
  }
  for (const [isOutput, list] of [[0, graph.input], [1, graph.output]]) {
    for (const v of list) {
      const tensorType = has(v, 'type') && has(v.type, 'tensor_type') ? v.type.tensor_type : null;
      const shape = tensorType !== null && has(tensorType, 'shape') ? tensorType.shape : null;
      const dimList = shape === null ? [] : shape.dim;
      transcribe(rt, limit, 'pnnw_onnx_add_value_info',
                 (s) => [s.bytes(v.name, 'a value name'),
                         s.numbers(dimList.map((d) => (has(d, 'dim_value') ? 1 : 0)), Uint8Array, 'dims'),
                         s.int64s(dimList.map((d) => d.dim_value), 'dims'),
                         ...s.strings(dimList.map((d) => d.dim_param), 'dim params')],
                 (mod, s, [name, hasValues, values, params, lengths]) => mod._pnnw_onnx_add_value_info(
                   model, isOutput, s.ptr(name), s.count(name), tensorType === null ? 0 : 1,
                   tensorType === null ? 0 : tensorType.elem_type, shape === null ? 0 : 1, dimList.length,
                   s.ptr(hasValues), s.ptr(values), s.ptr(params), s.ptr(lengths)));
    }
  }
}

// A Uint8Array over the caller's bytes, not a copy: loadOnnx() calls this once before its awaits
// (to fail early) and again after them, then decodes and transcribes with no await in between, so
// the caller cannot change or detach the bytes while they are read (a buffer detached during the
// awaits reads as empty and fails here). Copying them instead cost a model's size in fresh memory
// (1.8 s of resnet50's 3.4 s first load in Node on this project's VM, where first touches of fresh
// pages are slow); protobufjs's bytes fields are views into the same buffer.
function modelBytes(bytes) {
  const isShared = typeof SharedArrayBuffer === 'function' && bytes instanceof SharedArrayBuffer;
  if (!(bytes instanceof ArrayBuffer) && !ArrayBuffer.isView(bytes) && !isShared) {
    fail(WHO, `bytes must be an ArrayBuffer or a typed array, got ${describeValue(bytes)}`, TypeError);
  }
  let view;
  try {
    view = ArrayBuffer.isView(bytes) ? new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) : new Uint8Array(bytes);
  } catch {
    view = new Uint8Array(0);  // a detached buffer
  }
  if (view.length === 0) fail(WHO, 'the model is empty (0 bytes; a buffer detached while loadOnnx waited for the module reads as empty)');
  if (view.length > MAX_MODEL_BYTES) fail(WHO, `the model has ${view.length} bytes, more than the ${MAX_MODEL_BYTES} ONNX allows`, RangeError);
  return view;
}

// { name: dims } of options.inputShapes, checked for type only (the import core judges them).
function inputShapes(given) {
  if (given === undefined || given === null) return [];
  const map = params(WHO, given);
  return Object.keys(map).map((name) => {
    const shape = map[name];
    if (!Array.isArray(shape) || shape.length > MAX_DIMS) {
      fail(WHO, `inputShapes['${name}'] must be an array of at most ${MAX_DIMS} dimensions, got ${describeValue(shape)}`, TypeError);
    }
    const dims = Array.from(shape);
    dims.forEach((d, i) => {
      if (typeof d !== 'number' || !Number.isInteger(d) || d < 0 || d > U32_MAX) {
        fail(WHO, `inputShapes['${name}'][${i}] must be an integer in [0, ${U32_MAX}], got ${describeValue(d)}`,
             typeof d === 'number' ? RangeError : TypeError);
      }
    });
    return [name, dims];
  });
}

/** A loaded model's runtime: inputs and outputs by ONNX name, in the model's layout. */
export class OnnxRuntime extends GraphRuntime {
  constructor(rt, handle, kinds, inputs, outputs) {
    super(rt, handle, kinds);
    this._inputs = inputs;    // [{ name, id }]
    this._outputs = outputs;
  }

  _describe(list) { return list.map(({ name, id }) => ({ name, shape: this.shape(id) })); }
  /** [{ name, shape }] of the graph inputs (inputs fed by initializers are not counted). */
  get inputs() { return this._describe(this._inputs); }
  /** [{ name, shape }] of the graph outputs. */
  get outputs() { return this._describe(this._outputs); }

  _ids(who, map, list, what) {
    const byName = new Map(list.map(({ name, id }) => [name, id]));
    const result = {};
    for (const [name, value] of Object.entries(params(who, map))) {
      if (!byName.has(name)) fail(who, `the model has no ${what} named '${name}' (${what}s: ${[...byName.keys()].join(', ')})`);
      result[byName.get(name)] = value;
    }
    return result;
  }

  /** Runs the model: { inputName: Float32Array } to { outputName: Float32Array }. */
  run(inputs, outputs) {
    const who = 'OnnxRuntime.run';
    const byId = super.run(this._ids(who, inputs, this._inputs, 'input'),
                           this._ids(who, outputs, this._outputs, 'output'));
    return Object.fromEntries(this._outputs.map(({ name, id }) => [name, byId[id]]));
  }

  /** New input shapes by name ({ name: dims }, the model's layout); outputs follow. */
  reshape(shapes) {
    return super.reshape(this._ids('OnnxRuntime.reshape', shapes, this._inputs, 'input'));
  }
}

// Input or output `index` of the loaded model: { name, id }.
function tensorInfo(rt, model, isOutput, index) {
  const code = rt.mod._pnnw_onnx_tensor_info(model, isOutput, index, rt.scratch + SCRATCH_DIMS_OUT);
  if (code !== 0) throw cFailure(rt, code, `${WHO}: pnn_onnx_model_${isOutput ? 'output' : 'input'}_info`, 'pnn_onnx_model_input_info');
  const [name, id] = rt.u32(rt.scratch + SCRATCH_DIMS_OUT, 2);
  return { name: rt.cstring(name), id };
}

function count(rt, model, cName, call) {
  const code = call(rt.mod, model, rt.scratch + SCRATCH_OUT);
  if (code !== 0) throw cFailure(rt, code, `${WHO}: ${cName}`, cName);
  return rt.u32(rt.scratch + SCRATCH_OUT, 1)[0];
}

/**
 * Loads an ONNX model (bytes: ArrayBuffer or a typed array) and returns its OnnxRuntime. Options:
 * inputShapes ({ name: dims }), profile; the others are init()'s, used when portnn is not
 * initialized yet (and, as for init(), they must agree with the live runtime when it is).
 */
export async function loadOnnx(bytes, options = {}) {
  const { inputShapes: shapesOption, profile, ...initOptions } = params(WHO, options);
  modelBytes(bytes);
  const shapes = inputShapes(shapesOption);
  await init(initOptions);
  const rt = await importerRuntime(WHO, FILES);
  rt.assertAlive(WHO);
  requireRuntime(WHO);
  // From here to the end, no await: see modelBytes().
  const data = modelBytes(bytes);

  let message;
  try {
    message = ModelProto().decode(data);
  } catch (e) {
    throw new Error(`${WHO}: the ${data.length} bytes are not an ONNX model (protobufjs: ${e.message})`, { cause: e });
  }

  let model = 0;
  let loaded = 0;
  try {
    const code = rt.mod._pnnw_onnx_begin(rt.scratch + SCRATCH_OUT);
    if (code !== 0) throw cFailure(rt, code, `${WHO}: pnnw_onnx_begin`, 'pnnw_onnx_begin');
    model = rt.u32(rt.scratch + SCRATCH_OUT, 1)[0];
    transcribeModel(rt, data.length, model, message);
    // The caller's shapes, not the model's: bounded by the module heap only.
    transcribe(rt, Infinity, 'pnnw_onnx_import',
               (s) => [...s.strings(shapes.map(([name]) => name), 'inputShapes'),
                       s.numbers(shapes.map(([, dims]) => dims.length), Uint32Array, 'inputShapes'),
                       s.numbers(shapes.flatMap(([, dims]) => dims), Uint32Array, 'inputShapes')],
               (mod, s, [names, lengths, ranks, dims]) => {
                 const importing = model;
                 model = 0;  // pnnw_onnx_import frees it, whatever the outcome
                 return mod._pnnw_onnx_import(importing, s.count(lengths), s.ptr(names), s.ptr(lengths),
                                              s.ptr(ranks), s.ptr(dims), rt.scratch + SCRATCH_OUT);
               });
    loaded = rt.u32(rt.scratch + SCRATCH_OUT, 1)[0];

    const numInputs = count(rt, loaded, 'pnn_onnx_model_input_count', (mod, m, out) => mod._pnn_onnx_model_input_count(m, out));
    const numOutputs = count(rt, loaded, 'pnn_onnx_model_output_count', (mod, m, out) => mod._pnn_onnx_model_output_count(m, out));
    const inputs = Array.from({ length: numInputs }, (_, i) => tensorInfo(rt, loaded, 0, i));
    const outputs = Array.from({ length: numOutputs }, (_, i) => tensorInfo(rt, loaded, 1, i));
    const graph = count(rt, loaded, 'pnn_onnx_model_graph', (mod, m, out) => mod._pnn_onnx_model_graph(m, out));
    const kinds = [];
    for (const { id } of inputs) kinds[id] = 'input';
    for (const { id } of outputs) kinds[id] = 'output';
    for (let i = 0; i < kinds.length; i++) if (kinds[i] === undefined) kinds[i] = 'internal';
    const code2 = rt.mod._pnn_create_runtime(graph, profile ? RUNTIME_PROFILE : 0, rt.scratch + SCRATCH_OUT);
    if (code2 !== 0) throw cFailure(rt, code2, `${WHO}: pnn_create_runtime`, 'pnn_create_runtime');
    return new OnnxRuntime(rt, rt.u32(rt.scratch + SCRATCH_OUT, 1)[0], kinds, inputs, outputs);
  } catch (e) {
    if (!(e instanceof WebAssembly.RuntimeError)) throw e;
    // The module aborted: the import core is built without C++ exceptions (they would put the
    // importer over its size budget), so an allocation the heap cannot hold, which natively is
    // out_of_memory, aborts it. Its state is lost: it is retired (runtimes made from it keep
    // working), the next loadOnnx() loads a fresh one, and the operator module is untouched.
    model = 0;
    loaded = 0;
    retireImporter(WHO, rt);
    throw new PortnnError(`${WHO}: importing the model failed: out of memory (the importer module aborted, at ${rt.heapInUse()} of its ${rt.heapMax()} heap bytes; a fresh importer is loaded on the next call)`,
                          'out of memory', 4);
  } finally {
    if (model !== 0) rt.mod._pnnw_onnx_free(model);
    if (loaded !== 0) rt.mod._pnn_delete_onnx_model(loaded);  // the runtime stays valid
  }
}

/** The importer module's heap in use (bytes), for the tests' leak checks (loads the importer). */
export async function importerHeapInUse() {
  const rt = await importerRuntime('importerHeapInUse', FILES);
  return rt.heapInUse();
}
