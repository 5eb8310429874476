// portnn (this repository's wasm/ package) on the benchmark shapes.
//
// Two figures per shape:
//  - op:    Operator.rerun(): the operator alone on inputs already in module memory, its result
//           left in module memory (what the TF.js figure measures, as its tensors live there);
//  - run(): Operator.run(input, shape, output): the public call, which copies the input into
//           module memory and the result out into `output`, a Float32Array reused across runs
//           (what the onnxruntime-web figure measures, as session.run() copies both ways).
// Both run on the runtime's pool (its thread count) and reuse the operator's module buffers.

import * as pnn from '../../wasm/index.js';

function convParams(s) {
  return {
    kernelHeight: s.k, kernelWidth: s.k, strideHeight: s.s, strideWidth: s.s,
    paddingTop: s.p, paddingBottom: s.p, paddingLeft: s.p, paddingRight: s.p,
    groups: s.groups, groupInputChannels: s.cin / s.groups, groupOutputChannels: s.cout / s.groups,
  };
}

// The operator of a shape and the arguments of its run() (without the output).
function create(s, d) {
  switch (s.section) {
    case 'gemm':
      return [new pnn.FullyConnected({ inputChannels: s.k, outputChannels: s.n }, d.weights, d.bias),
              [d.input, s.inputShape]];
    case 'conv':
      return [new pnn.Convolution2D(convParams(s), d.weights, d.bias), [d.input, s.inputShape]];
    case 'pool': {
      if (s.op === 'global_avg') {
        return [new pnn.GlobalAveragePooling({ channels: s.cin }), [d.input, s.inputShape]];
      }
      const p = {
        poolingHeight: s.k, poolingWidth: s.k, strideHeight: s.s, strideWidth: s.s,
        paddingTop: s.p, paddingBottom: s.p, paddingLeft: s.p, paddingRight: s.p, channels: s.cin,
      };
      const op = s.op === 'max' ? new pnn.MaxPooling2D(p) : new pnn.AveragePooling2D(p);
      return [op, [d.input, s.inputShape]];
    }
    default:
      if (s.op === 'add') return [new pnn.Binary('add'), [d.input, s.inputShape, d.input2, s.inputShape]];
      if (s.op === 'softmax') return [new pnn.Softmax({ channels: s.cols }), [d.input, s.inputShape]];
      // gelu: the exact (erf) form, as the other implementations compute it.
      return [new pnn.Unary(s.op), [d.input, s.inputShape]];
  }
}

/**
 * variant: 'scalar' | 'simd' | 'simd-threads'; threads: pool size (simd-threads only);
 * wasmBinary: other bytes for the variant's module (bench/js/ab.mjs compares two builds), with
 * `label` naming them. Only one portnn runtime lives at a time: open() the next after close().
 */
export function portnnImpl({ variant, threads = 1, wasmBinary, label }) {
  let info = null;
  return {
    impl: 'portnn',
    variant,
    threads,
    label: label || (variant === 'simd-threads' ? `portnn ${variant} ${threads}T` : `portnn ${variant}`),
    includes: 'op: operator only, data in wasm memory; run(): + copy in and out (reused output)',
    async open() {
      const options = { variant, threads: variant === 'simd-threads' ? threads : 1 };
      if (wasmBinary) options.wasmBinary = wasmBinary;
      info = await pnn.init(options);
      if (info.variant !== variant) {
        throw new Error(`portnn: asked for variant ${variant}, got ${info.variant}`);
      }
      this.threads = info.threads;
      return info;
    },
    async prepare(shape, data) {
      const [op, args] = create(shape, data);
      const output = new Float32Array(shape.outputCount);
      op.run(...args, output);  // reshape, setup, first touch of every buffer
      return {
        kernel: op.kernelName,
        output,                       // NHWC, for the cross-check
        run: () => op.rerun(),
        runApi: () => op.run(...args, output),
        dispose: () => op.dispose(),
      };
    },
    async close() {
      await pnn.terminate();
    },
  };
}
