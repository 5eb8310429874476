// Type declarations of 'portnn/onnx' (src/onnx.js): ONNX models through the importer module.

import type { GraphRuntime, InitOptions } from './index.js';

export interface LoadOnnxOptions extends InitOptions {
  /**
   * The shape of graph inputs by ONNX name, in the model's layout (NCHW for images). Needed for
   * every input whose declared shape has a symbolic or missing dim.
   */
  inputShapes?: Record<string, number[]>;
  /** Time each node on every run (see GraphRuntime.profile()). */
  profile?: boolean;
}

export interface OnnxTensorInfo {
  /** The ONNX name. */
  name: string;
  /** The current shape, in the model's layout. */
  shape: number[];
}

/**
 * A loaded model, ready to run, in the importer module's memory: a GraphRuntime (profile(),
 * memory(), dispose(), shape(id)) whose inputs and outputs go by ONNX name.
 */
export interface OnnxRuntime extends Omit<GraphRuntime, 'run' | 'reshape'> {
  /** Graph inputs (those fed by initializers are not listed), model order. */
  readonly inputs: OnnxTensorInfo[];
  /** Graph outputs, model order. */
  readonly outputs: OnnxTensorInfo[];
  /**
   * Runs the model: every input by name, each a Float32Array of its shape's size; `outputs`
   * optionally names arrays to fill. Returns every output by name.
   */
  run(inputs: Record<string, Float32Array>,
      outputs?: Record<string, Float32Array>): Record<string, Float32Array>;
  /** New shapes for inputs by name (the model's layout); outputs follow. */
  reshape(shapes: Record<string, number[]>): void;
}

/**
 * Loads an ONNX model (`bytes` are read in place once the module is ready, not copied and not
 * retained: do not detach or change them until the promise settles) into the importer module of the variant init()
 * loaded (calling init() with the same options first when portnn is not initialized), and
 * creates its runtime. Rejects with a TypeError / RangeError for arguments of the wrong type,
 * an Error for bytes protobufjs cannot decode, and a PortnnError with the importer's reason for
 * a model it rejects (naming the node, its op type and what is not supported).
 */
export function loadOnnx(bytes: ArrayBuffer | ArrayBufferView, options?: LoadOnnxOptions): Promise<OnnxRuntime>;
