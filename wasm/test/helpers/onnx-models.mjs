// Tiny ONNX models for the tests, encoded with protobufjs from the package's own schema
// (dist/onnx-schema.mjs, the JSON of src/onnx/onnx.proto).
import protobuf from 'protobufjs/light.js';

import schema from '../../dist/onnx-schema.mjs';

export const ModelProto = protobuf.Root.fromJSON(schema).lookupType('portnn.onnx.ModelProto');
export const FLOAT = 1;
/** AttributeProto.AttributeType values the tests use. */
export const ATTRIBUTE = Object.freeze({ INT: 2, INTS: 7 });

/** A float tensor's ValueInfoProto; a string dim is a dim_param. */
export function valueInfo(name, dims) {
  const dim = dims.map((d) => (typeof d === 'string' ? { dim_param: d } : { dim_value: d }));
  return { name, type: { tensor_type: { elem_type: FLOAT, shape: { dim } } } };
}

/** The bytes of a ModelProto given as a plain object (checked by protobufjs first). */
export function encodeModel(object) {
  const message = ModelProto.fromObject(object);
  const problem = ModelProto.verify(message);
  if (problem !== null) throw new Error(`bad test model: ${problem}`);
  return ModelProto.encode(message).finish();
}

/** A one-node model: Relu over a [2, 3] input x, output y. */
export function reluBytes() {
  return encodeModel({
    ir_version: 8, opset_import: [{ domain: '', version: 13 }],
    graph: { name: 'relu', node: [{ op_type: 'Relu', input: ['x'], output: ['y'] }],
             input: [valueInfo('x', [2, 3])], output: [valueInfo('y', [2, 3])] },
  });
}
