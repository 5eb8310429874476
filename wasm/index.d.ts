// Type declarations of the portnn WebAssembly package (index.js).

/**
 * The builds: MVP WebAssembly, SIMD128, SIMD128 with threads (pthreads + portnn's pool), and the
 * two SIMD128 builds again with relaxed-SIMD kernels (f32x4.relaxed_madd: a fused multiply-add
 * on x86 hosts with FMA and on ARM) for engines that validate relaxed SIMD (Chromium 114+;
 * Node 20 only with --experimental-wasm-relaxed-simd).
 */
export type Variant =
  'scalar' | 'simd' | 'simd-threads' | 'relaxed-simd' | 'relaxed-simd-threads';

/** Where a .wasm file is: a URL, or (in Node) a filesystem path. */
export type WasmLocation = string | URL;

/** The files of the package's dist/ folder that the loader loads. */
export type PackageFile =
  | 'portnn.wasm' | 'portnn.mjs' | 'portnn-simd.wasm' | 'portnn-simd.mjs'
  | 'portnn-simd-threads.wasm' | 'portnn-simd-threads.mjs' | 'portnn-simd-threads.worker.js'
  | 'portnn-relaxed-simd.wasm' | 'portnn-relaxed-simd.mjs'
  | 'portnn-relaxed-simd-threads.wasm' | 'portnn-relaxed-simd-threads.mjs';

/** Raw .wasm bytes (shared ones are copied). */
export type WasmBytes = ArrayBuffer | SharedArrayBuffer | ArrayBufferView;

export interface InitOptions {
  /**
   * 'auto' (default) picks 'simd-threads' when more than one thread is requested (explicitly or
   * by default: see threads) and threads are usable, else 'simd' when the engine validates SIMD128, else 'scalar';
   * where the engine also validates relaxed SIMD, 'relaxed-simd-threads' / 'relaxed-simd'
   * instead. An explicit variant is loaded as asked ('simd-threads' without thread support falls
   * back to 'simd', 'relaxed-simd-threads' to 'relaxed-simd', with a warning; a relaxed variant
   * on an engine without relaxed SIMD is an Error). Results of the relaxed variants differ from
   * the simd ones only in the rounding of fused multiply-adds.
   */
  variant?: Variant | 'auto';
  /**
   * Threads of the pool, the calling thread included (0: one per logical processor), at most
   * 1024 (a RangeError beyond). Default:
   * one per logical processor in browsers where threads are usable, else (and always in Node) 1.
   * More than one needs the 'simd-threads' build and threads support (SharedArrayBuffer, a
   * cross-origin isolated page in browsers, shared memory and atomics); without them: a warning
   * and one thread.
   */
  threads?: number;
  /**
   * Where to load the .wasm files from: a directory (string or URL, holding portnn.wasm,
   * portnn-simd.wasm, portnn-simd-threads.wasm), or a map whose keys are variants (their .wasm)
   * or file names of the package's dist/ folder (any .wasm, glue .mjs or the worker script).
   * Default: the files of this package, `new URL('../dist/<file>', import.meta.url)`, which
   * Vite and webpack emit with the app.
   */
  wasmPaths?: WasmLocation | Partial<Record<Variant | PackageFile, WasmLocation>>;
  /**
   * A directory (string or URL) holding a copy of the package's dist/ folder: every .wasm, glue
   * module and worker script is loaded from there (wasmPaths entries still win). For bundlers
   * that emit no assets (esbuild) and for CDNs.
   */
  distPath?: WasmLocation;
  /**
   * The .wasm bytes themselves: bytes (then `variant` must be explicit) or a map from variant to
   * bytes. Overrides wasmPaths for the variants it covers.
   */
  wasmBinary?: WasmBytes | Partial<Record<Variant, WasmBytes>>;
}

export interface Info {
  /** The variant that was loaded. */
  variant: Variant;
  /** Whether it runs SIMD128 kernels. */
  simd: boolean;
  /** Threads of the pool (1 without one). */
  threads: number;
  /** The kernel level that runs: 'scalar', 'wasmsimd' or (relaxed variants) 'wasmrelaxed'. */
  isa: string;
}

export interface Features {
  wasm: boolean;
  simd: boolean;
  /** Whether the engine validates relaxed SIMD (f32x4.relaxed_madd). */
  relaxedSimd: boolean;
  threads: boolean;
  /** Why threads are unusable ('' when they are usable). */
  threadsReason: string;
}

/**
 * Loads and initializes portnn once. Resolves to info(). Rejects with a TypeError or RangeError
 * naming an option of the wrong type or out of range, and with an Error naming the URL when a
 * .wasm file cannot be read, is not found (HTTP 404) or is not WebAssembly. Calling it again
 * while initialized resolves to info() if the options agree, and rejects otherwise (terminate()
 * first).
 */
export function init(options?: InitOptions): Promise<Info>;

/** What was loaded. Throws before init(). */
export function info(): Info;

/**
 * Destroys the thread pool and stops the worker threads (so Node can exit); operators created
 * before it throw on use. init() may be called again afterwards.
 */
export function terminate(): Promise<void>;

/** What this engine can run (probed with WebAssembly.validate). */
export function detectFeatures(): Features;

/** The variants, best last. */
export const VARIANTS: readonly Variant[];

/**
 * A failed C call, or memory the module could not provide: the message names the operator, the
 * C function, the status and, in parentheses, the C library's reason
 * (pnn_last_error_message()), e.g. `Convolution2D: pnn_create_convolution2d_nhwc_f32 failed:
 * invalid parameter (<reason>)`. What the C library accepts (a stride of 0, min > max, a window
 * larger than the padded input, shapes that do not broadcast...) is the C library's to judge.
 *
 * Other errors of the operators: TypeError for an argument of the wrong type, RangeError for a
 * number out of range of its C type (integers: [0, 2^32 - 1]) or a shape with too many
 * dimensions or elements, Error for lengths and shapes that disagree, for calls before init(),
 * after dispose() or after terminate(), and for a call on an operator made from the caller's
 * code (a getter, proxy or valueOf of an argument) while another of its calls is in progress.
 * Every argument is read once and typed arrays are measured after all of the caller's code has
 * run. On any error nothing is written to the output array and the operator stays usable.
 */
export class PortnnError extends Error {
  /**
   * The status name, e.g. 'invalid parameter', 'unsupported parameter', 'out of memory' (also
   * for buffers the package itself cannot allocate in the module's memory, capped at 2 GB).
   */
  readonly status: string;
  /** The numeric enum pnn_status. */
  readonly code: number;
}

/** Members every operator has. */
declare abstract class Operator {
  /** Name of the main microkernel (after a run or outputShape()). */
  readonly kernelName: string;
  /**
   * Runs again on the inputs of the last run(), still in module memory, and leaves the result
   * there (for benchmarks). Throws before the first run(). Calls that did not complete a run
   * since (a rejected run(), outputShape() of another shape) do not change what it runs.
   */
  rerun(): void;
  /**
   * Frees the operator; its other methods throw afterwards. Idempotent. Throws (and frees
   * nothing) when called from the caller's code inside another call of the operator.
   */
  dispose(): void;
}

/**
 * Weights: a Float32Array, or another typed array (not BigInt) or array of numbers, converted.
 * Inputs and outputs, unlike weights, must be Float32Arrays.
 */
export type Weights =
  | Float32Array | Float64Array | Int8Array | Uint8Array | Uint8ClampedArray | Int16Array
  | Uint16Array | Int32Array | Uint32Array | readonly number[];

/** A fused clamp of the output; default -Infinity / +Infinity. */
export interface OutputClamp {
  outputMin?: number;
  outputMax?: number;
}

/** How a 2-D window (a convolution's kernel, a pooling window) walks the input. */
export interface Window2DParams {
  /** Default 1. */
  strideHeight?: number;
  strideWidth?: number;
  /** Default 1 (average pooling requires 1). */
  dilationHeight?: number;
  dilationWidth?: number;
  /** Default 0. */
  paddingTop?: number;
  paddingRight?: number;
  paddingBottom?: number;
  paddingLeft?: number;
  /** TensorFlow "SAME" padding, ONNX SAME_UPPER (explicit paddings must then be 0). */
  tensorflowSamePadding?: boolean;
  /** ONNX SAME_LOWER: as SAME, the odd padding pixel before (explicit paddings must be 0). */
  sameLowerPadding?: boolean;
}

export interface Convolution2DParams extends Window2DParams, OutputClamp {
  kernelHeight: number;
  kernelWidth: number;
  /** Default 1. Depthwise: groups = channels, groupInputChannels = 1. */
  groups?: number;
  groupInputChannels: number;
  groupOutputChannels: number;
}

/** 2-D convolution, NHWC. kernel: [groups*GOC][kh][kw][GIC]; bias: [groups*GOC] or omitted. */
export class Convolution2D extends Operator {
  constructor(params: Convolution2DParams, kernel: Weights, bias?: Weights | null);
  readonly inputChannels: number;
  readonly outputChannels: number;
  /** [N, OH, OW, outputChannels] for an input [N, H, W, inputChannels]. */
  outputShape(inputShape: number[]): number[];
  /** input: [N, H, W, inputChannels]. Fills `output` when given, else returns a new array. */
  run(input: Float32Array, shape: number[], output?: Float32Array): Float32Array;
}

export interface FullyConnectedParams extends OutputClamp {
  inputChannels: number;
  outputChannels: number;
  /** Weights given as [inputChannels][outputChannels] instead of [out][in]. */
  transposeWeights?: boolean;
}

/** out[b][o] = clamp(bias[o] + sum_i in[b][i] * W[o][i]). */
export class FullyConnected extends Operator {
  constructor(params: FullyConnectedParams, kernel: Weights, bias?: Weights | null);
  readonly inputChannels: number;
  readonly outputChannels: number;
  /** input: [..., inputChannels] (default [length / inputChannels, inputChannels]). */
  run(input: Float32Array, shape?: number[] | null, output?: Float32Array): Float32Array;
}

export interface BatchMatMulParams {
  /** A given as [..., K, M]. */
  transposeA?: boolean;
  /** B given as [..., N, K]. */
  transposeB?: boolean;
}

/** out[batch..., m, n] = sum_k A[..., m, k] * B[..., k, n]; batch dims broadcast (NumPy). */
export class BatchMatMul extends Operator {
  constructor(params?: BatchMatMulParams);
  readonly transposeA: boolean;
  readonly transposeB: boolean;
  outputShape(aShape: number[], bShape: number[]): number[];
  run(a: Float32Array, aShape: number[], b: Float32Array, bShape: number[],
      output?: Float32Array): Float32Array;
}

export interface Pooling2DParams extends Window2DParams, OutputClamp {
  poolingHeight: number;
  poolingWidth: number;
  channels: number;
  /** ONNX ceil_mode: the output size rounds up (explicit padding only). */
  ceilMode?: boolean;
}

/** 2-D max pooling, NHWC; with `argmax`, also the indices of the maxima (runWithIndices). */
export class MaxPooling2D extends Operator {
  constructor(params: Pooling2DParams & {
    /**
     * Also compute, per output element, iy * W + ix of the input pixel holding the window's
     * (first) maximum, in its image's and channel's H x W plane (C's argmax pooling).
     */
    argmax?: boolean;
  });
  readonly channels: number;
  readonly argmax: boolean;
  outputShape(inputShape: number[]): number[];
  run(input: Float32Array, shape: number[], output?: Float32Array): Float32Array;
  /** The values and their indices; needs `argmax: true`. */
  runWithIndices(input: Float32Array, shape: number[], output?: Float32Array,
                 indices?: Uint32Array): { output: Float32Array; indices: Uint32Array };
}

/** 2-D average pooling, NHWC. */
export class AveragePooling2D extends Operator {
  constructor(params: Pooling2DParams & {
    /** Padded positions count in the divisor. */
    countIncludePad?: boolean;
  });
  readonly channels: number;
  outputShape(inputShape: number[]): number[];
  run(input: Float32Array, shape: number[], output?: Float32Array): Float32Array;
}

/** Mean over the spatial axes: [N, W, C] or [N, H, W, C] to [N, C]. */
export class GlobalAveragePooling extends Operator {
  constructor(params: { channels: number } & OutputClamp);
  readonly channels: number;
  run(input: Float32Array, shape: number[], output?: Float32Array): Float32Array;
}

export type UnaryOp =
  | 'clamp' | 'relu' | 'relu6' | 'leakyRelu' | 'elu' | 'sigmoid' | 'tanh' | 'hardswish'
  | 'gelu' | 'silu' | 'abs' | 'negate' | 'square' | 'sqrt' | 'exp' | 'hardSigmoid' | 'erf'
  | 'log' | 'reciprocal' | 'rsqrt' | 'floor' | 'ceil' | 'round' | 'sin' | 'cos' | 'softplus';

export interface UnaryParams {
  /** clamp bounds (default -Infinity / +Infinity). */
  min?: number;
  max?: number;
  /** leakyRelu (default 0.01). */
  negativeSlope?: number;
  /** elu (default 1), hardSigmoid (default 0.2). */
  alpha?: number;
  /** hardSigmoid: max(0, min(1, alpha * x + beta)) (default 0.5). */
  beta?: number;
  /** gelu: the exact erf form (default) or the tanh approximation. */
  approximate?: 'none' | 'tanh';
}

/** Elementwise y = f(x). */
export class Unary extends Operator {
  constructor(op: UnaryOp, params?: UnaryParams);
  readonly op: UnaryOp;
  /** Any shape (default [input.length]); the output has the same shape; output may be input. */
  run(input: Float32Array, shape?: number[] | null, output?: Float32Array): Float32Array;
}

export type BinaryOp =
  | 'add' | 'subtract' | 'multiply' | 'divide' | 'minimum' | 'maximum' | 'squaredDifference'
  | 'pow';

/** Elementwise y = f(a, b) with NumPy broadcasting (1 to 6 dims; [] is a scalar). */
export class Binary extends Operator {
  constructor(op: BinaryOp, params?: OutputClamp);
  readonly op: BinaryOp;
  outputShape(aShape: number[], bShape: number[]): number[];
  run(a: Float32Array, aShape: number[], b: Float32Array, bShape: number[],
      output?: Float32Array): Float32Array;
}

/** Softmax (or log-softmax) over the last axis, or over `axis` of an N-D input. */
export class Softmax extends Operator {
  /**
   * channels: the length softmax runs over; axis: the axis of an N-D input (negative from the
   * end; default: the last axis of [..., channels]); logSoftmax: ONNX LogSoftmax.
   */
  constructor(params: { channels: number; axis?: number; logSoftmax?: boolean });
  readonly channels: number;
  readonly axis: number;
  readonly logSoftmax: boolean;
  /**
   * input: [..., channels] (default [length / channels, channels]); with an axis given, 1 to 6
   * dims whose dim at `axis` is channels (default [length]). Output: the input's shape.
   */
  run(input: Float32Array, shape?: number[] | null, output?: Float32Array): Float32Array;
}

export type ReduceOp = 'sum' | 'mean' | 'max' | 'min';

/** Sum, mean, max or min over a set of axes of a 0- to 6-dim tensor. */
export class Reduce extends Operator {
  /**
   * axes: up to 6, negative ones counting from the end (default []: nothing reduced, the output
   * equals the input); keepDims keeps the reduced dims as 1 (default false).
   */
  constructor(op: ReduceOp, params?: { axes?: number[]; keepDims?: boolean });
  readonly op: ReduceOp;
  readonly axes: readonly number[];
  outputShape(inputShape: number[]): number[];
  run(input: Float32Array, shape: number[], output?: Float32Array): Float32Array;
}

/** Parameters of LayerNorm and RmsNorm. */
export interface RowNormParams {
  /** The first normalized dim (default -1: the last); the dims from it hold gamma.length. */
  axis?: number;
  /** Added to the variance (default 1e-5); finite, >= 0. */
  epsilon?: number;
}

/** Layer normalization: (x - mean) / sqrt(var + epsilon) * gamma + beta over the dims from axis. */
export class LayerNorm extends Operator {
  constructor(params: RowNormParams | undefined, gamma: Weights, beta?: Weights | null);
  readonly normSize: number;
  readonly axis: number;
  /** 1 to 6 dims (default [length / normSize, normSize]); the output has the input's shape. */
  run(input: Float32Array, shape?: number[] | null, output?: Float32Array): Float32Array;
}

/** RMS normalization: x / sqrt(mean(x^2) + epsilon) * gamma over the dims from axis. */
export class RmsNorm extends Operator {
  constructor(params: RowNormParams | undefined, gamma: Weights);
  readonly normSize: number;
  readonly axis: number;
  run(input: Float32Array, shape?: number[] | null, output?: Float32Array): Float32Array;
}

/** Batch normalization in inference form over the last axis (NHWC channels). */
export class BatchNorm extends Operator {
  constructor(params: { epsilon?: number } | undefined, mean: Weights, variance: Weights,
              gamma: Weights, beta: Weights);
  readonly channels: number;
  /** input: [..., channels] (default [length / channels, channels]). */
  run(input: Float32Array, shape?: number[] | null, output?: Float32Array): Float32Array;
}

/** PRelu: x < 0 ? x * slope[c] : x over the last axis (slope.length channels). */
export class PRelu extends Operator {
  constructor(slope: Weights);
  readonly channels: number;
  /** input: [..., channels] (default [length / channels, channels]). */
  run(input: Float32Array, shape?: number[] | null, output?: Float32Array): Float32Array;
}

/** Convolution2D's parameters without SAME padding (the paddings crop the full output). */
export interface Deconvolution2DParams extends Omit<Convolution2DParams, 'tensorflowSamePadding'> {
  /** Outputs added at the bottom / right (ONNX output_padding); < stride or < dilation. Default 0. */
  adjustmentHeight?: number;
  adjustmentWidth?: number;
}

/**
 * 2-D deconvolution (transposed convolution), NHWC: OH = strideHeight*(H-1) + adjustmentHeight +
 * dilationHeight*(kernelHeight-1) + 1 - paddingTop - paddingBottom (likewise OW).
 * kernel: [groups*GOC][kh][kw][GIC]; bias: [groups*GOC] or omitted. Its members are
 * Convolution2D's (channels, outputShape, run).
 */
export class Deconvolution2D extends Operator {
  constructor(params: Deconvolution2DParams, kernel: Weights, bias?: Weights | null);
}
export interface Deconvolution2D
  extends Pick<Convolution2D, 'inputChannels' | 'outputChannels' | 'outputShape' | 'run'> {}

export interface Resize2DParams {
  channels: number;
  /** Default 'nearest' (ONNX's default). */
  mode?: 'nearest' | 'bilinear';
  /** ONNX coordinate_transformation_mode; default 'half_pixel'. */
  coordinateTransformationMode?: 'half_pixel' | 'pytorch_half_pixel' | 'align_corners' | 'asymmetric';
  /** ONNX nearest_mode (nearest only); default 'round_prefer_floor'. */
  nearestMode?: 'round_prefer_floor' | 'round_prefer_ceil' | 'floor' | 'ceil';
}

/** 2-D resize, NHWC: [N, H, W, channels] to [N, OH, OW, channels], the size given per run. */
export class Resize2D extends Operator {
  constructor(params: Resize2DParams);
  readonly channels: number;
  readonly mode: 'nearest' | 'bilinear';
  outputShape(inputShape: number[], outputSize: [number, number]): number[];
  run(input: Float32Array, shape: number[], outputSize: [number, number],
      output?: Float32Array): Float32Array;
}

/**
 * A model under construction (the C graph API, include/portnn-graph.h): values are numbered in
 * definition order; every define method returns the node's index. Nothing is computed until
 * createRuntime().
 */
export class Graph {
  constructor();
  /** An external input with its default shape (GraphRuntime.reshape() may change it). */
  input(shape: number[]): number;
  /** An external output; its shape is inferred (checked when given). */
  output(shape?: number[] | null): number;
  /** An internal value; its shape is inferred (checked when given). */
  value(shape?: number[] | null): number;
  /** A static value (weights, a constant operand), copied now. */
  constant(data: Weights, shape: number[]): number;
  /** filter: a constant [groups*GOC, KH, KW, GIC]; bias: a constant [groups*GOC] or null. */
  convolution2D(params: Convolution2DParams, input: number, filter: number, bias: number | null,
                output: number): number;
  /** Over the last dim; weights: a constant [OC, IC] ([IC, OC] with transposeWeights). */
  fullyConnected(params: OutputClamp & { transposeWeights?: boolean } | undefined, input: number,
                 weights: number, bias: number | null, output: number): number;
  batchMatMul(params: BatchMatMulParams | undefined, a: number, b: number, output: number): number;
  maxPooling2D(params: Pooling2DParams, input: number, output: number): number;
  averagePooling2D(params: Pooling2DParams & { countIncludePad?: boolean }, input: number,
                   output: number): number;
  /** [N, H, W, C] into [N, C] ([N, 1, 1, C] with keepDims). */
  globalAveragePooling(params: OutputClamp & { keepDims?: boolean } | undefined, input: number,
                       output: number): number;
  unary(op: UnaryOp, params: UnaryParams | undefined, input: number, output: number): number;
  binary(op: BinaryOp, params: OutputClamp | undefined, a: number, b: number, output: number): number;
  /** Softmax over `axis` (default -1: the last dim); log-softmax with logSoftmax. */
  softmax(input: number, output: number, params?: { axis?: number; logSoftmax?: boolean }): number;
  /** A view; one dim may be 0 (inferred). */
  reshape(shape: number[], input: number, output: number): number;
  /** filter: a constant [groups*GOC, KH, KW, GIC]; bias: a constant [groups*GOC] or null. */
  deconvolution2D(params: Deconvolution2DParams, input: number, filter: number, bias: number | null,
                  output: number): number;
  /** [N, H, W, C]: a fixed outputSize, or scales (output floor(size * scale)). */
  resize2D(params: Resize2DParams & ({ outputSize: [number, number] } | { scales: [number, number] }),
           input: number, output: number): number;
  transpose(params: { perm: number[] }, input: number, output: number): number;
  depthToSpace(params: { blockSize: number; mode?: 'DCR' | 'CRD' }, input: number, output: number): number;
  spaceToDepth(params: { blockSize: number }, input: number, output: number): number;
  pad(params: { pre: number[]; post: number[]; mode?: 'constant' | 'reflect' | 'edge'; value?: number },
      input: number, output: number): number;
  /** 2 to 64 inputs; axis negative counts from the end. */
  concatenate(params: { axis: number }, inputs: number[], output: number): number;
  /** 2 to 64 outputs, each produced once; without sizes, equal parts (they follow reshapes). */
  split(params: { axis: number; sizes?: number[] | null }, input: number, outputs: number[]): number;
  /** begins / ends: safe integers or ±Infinity. */
  slice(params: { begins: number[]; ends: number[]; steps?: number[] }, input: number,
        output: number): number;
  reduce(op: ReduceOp, params: { axes?: number[]; keepDims?: boolean } | undefined, input: number,
         output: number): number;
  /** gamma, beta (or null): constants with as many elements as the dims from axis hold. */
  layerNorm(params: RowNormParams | undefined, gamma: number, beta: number | null, input: number,
            output: number): number;
  rmsNorm(params: RowNormParams | undefined, gamma: number, input: number, output: number): number;
  /**
   * Over the last dim; every parameter a constant of C values. Folded into a producing
   * convolution, deconvolution or fully connected node unless createRuntime({ noFusion: true })
   * (then not bit-identical to the pair; within the bound in include/portnn-graph.h).
   */
  batchNorm(params: { epsilon?: number } | undefined, mean: number, variance: number, gamma: number,
            beta: number, input: number, output: number): number;
  /** slope: a constant of C values ([C] or [1, ..., C]) or one value. */
  prelu(slope: number, input: number, output: number): number;
  /** Identity: a view, or a copy between two external values. */
  copy(input: number, output: number): number;
  /** Names a node (the index a define method returned) for errors and profiles. */
  nameNode(index: number, name: string): void;
  /**
   * Validates (errors name the node), fuses clamps and batch norms, creates the operators, plans
   * one arena.
   */
  createRuntime(options?: { profile?: boolean; noFusion?: boolean }): GraphRuntime;
  /** Frees the graph; runtimes made from it stay valid. */
  dispose(): void;
}

export interface GraphNodeProfile {
  name: string;
  operator: string;
  kernel: string;
  /** Time of the last run() (0 unless created with { profile: true }). */
  timeMs: number;
  /** Index of the node it was fused into, or -1. */
  fusedInto: number;
}

/**
 * A runnable model, made by Graph.createRuntime() (not constructed directly). ONNX models:
 * loadOnnx() of 'portnn/onnx' (onnx.d.ts) makes an OnnxRuntime, one of these by ONNX names.
 */
export interface GraphRuntime {
  /** The current shape of a value. */
  shape(id: number): number[];
  /** New shapes for external inputs; every shape is re-inferred and memory re-planned. */
  reshape(shapes: Record<number, number[]>): void;
  /**
   * Runs the model: one Float32Array per external input (by id, of its shape's size); outputs
   * (optional) to fill. Returns every external output by id.
   */
  run(inputs: Record<number, Float32Array>, outputs?: Record<number, Float32Array>):
    Record<number, Float32Array>;
  profile(): GraphNodeProfile[];
  memory(): { arenaBytes: number; packedWeightBytes: number };
  dispose(): void;
/** Data-movement operators: values are moved by their bits (NaN payloads kept). */
/** Transpose N-D (1 to 6 dims): output dim j is input dim perm[j]. */
export class Transpose extends Operator {
  constructor(params: { perm: number[] });
  readonly perm: number[];
  outputShape(inputShape: number[]): number[];
  /** input of inputShape (default [input.length]); the output has the permuted shape. */
  run(input: Float32Array, inputShape?: number[] | null, output?: Float32Array): Float32Array;
}

/** Pad N-D (ONNX Pad): pre[i] + shape[i] + post[i]; reflect needs paddings < the dim. */
export class Pad extends Operator {
  constructor(params: { pre: number[]; post: number[]; mode?: 'constant' | 'reflect' | 'edge'; value?: number });
  readonly mode: 'constant' | 'reflect' | 'edge';
  outputShape(inputShape: number[]): number[];
  run(input: Float32Array, inputShape?: number[] | null, output?: Float32Array): Float32Array;
}

/** Slice N-D (ONNX Slice, steps >= 1): negative bounds count from the end, then clamp. */
export class Slice extends Operator {
  /** begins / ends: safe integers or ±Infinity (from the start / to the end). */
  constructor(params: { begins: number[]; ends: number[]; steps?: number[] });
  outputShape(inputShape: number[]): number[];
  run(input: Float32Array, inputShape?: number[] | null, output?: Float32Array): Float32Array;
}

/** DepthToSpace of NHWC images ([N, H, W, C] -> [N, H * b, W * b, C / b^2]). */
export class DepthToSpace extends Operator {
  constructor(params: { blockSize: number; mode?: 'DCR' | 'CRD' });
  readonly blockSize: number;
  readonly mode: 'DCR' | 'CRD';
  outputShape(inputShape: number[]): number[];
  run(input: Float32Array, inputShape: number[], output?: Float32Array): Float32Array;
}

/** SpaceToDepth of NHWC images ([N, H, W, C] -> [N, H / b, W / b, C * b^2]). */
export class SpaceToDepth extends Operator {
  constructor(params: { blockSize: number });
  readonly blockSize: number;
  outputShape(inputShape: number[]): number[];
  run(input: Float32Array, inputShape: number[], output?: Float32Array): Float32Array;
}

/** Concatenate `count` (2 to 64) inputs along `axis`. */
export class Concatenate extends Operator {
  constructor(params: { count: number; axis: number });
  readonly count: number;
  readonly axis: number;
  outputShape(shapes: number[][]): number[];
  run(inputs: Float32Array[], shapes: number[][], output?: Float32Array): Float32Array;
}

/** Split along `axis` into parts of `sizes` (2 to 64 parts, summing to the input's dim). */
export class Split extends Operator {
  constructor(params: { axis: number; sizes: number[] });
  readonly axis: number;
  readonly sizes: number[];
  outputShape(inputShape: number[]): number[][];
  run(input: Float32Array, inputShape: number[], outputs?: Float32Array[]): Float32Array[];
}
