// Type declarations of 'portnn/onnx' (src/onnx.js): ONNX models through the importer module.

import type { InitOptions } from './index.js';

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

/** A loaded model, ready to run, in the importer module's memory. */
export interface OnnxRuntime {
  /** Graph inputs (those fed by initializers are not listed), model order. */
  readonly inputs: OnnxTensorInfo[];
  /** Graph outputs, model order. */
  readonly outputs: OnnxTensorInfo[];
  /**
   * Runs the model: every input by name, each a Float32Array of its shape's size; `outputs`
   * optionally names arrays to fill. Resolves nothing asynchronously: returns every output by name.
   */
  run(inputs: Record<string, Float32Array>,
      outputs?: Record<string, Float32Array>): Record<string, Float32Array>;
  /** New shapes for inputs by name (the model's layout); outputs follow. */
  reshape(shapes: Record<string, number[]>): void;
  /** Per node: what ran, and with { profile: true } how long it took on the last run. */
  profile(): { name: string; operator: string; kernel: string; timeMs: number; fusedInto: number }[];
  /** Bytes the runtime holds besides its input and output buffers. */
  memory(): { arenaBytes: number; packedWeightBytes: number };
  /** Frees the runtime and its module memory. */
  dispose(): void;
}

/**
 * Loads an ONNX model (`bytes` are not retained) into the importer module of the variant init()
 * loaded (calling init() with the same options first when portnn is not initialized), and
 * creates its runtime. Rejects with a TypeError / RangeError for arguments of the wrong type,
 * an Error for bytes protobufjs cannot decode, and a PortnnError with the importer's reason for
 * a model it rejects (naming the node, its op type and what is not supported).
 */
export function loadOnnx(bytes: ArrayBuffer | ArrayBufferView, options?: LoadOnnxOptions): Promise<OnnxRuntime>;
