// TensorFlow.js with its WebAssembly backend (@tensorflow/tfjs-backend-wasm, XNNPACK inside) on
// the benchmark shapes, through the fused ops so that its XNNPACK operators run:
// tf.fused.matMul, tf.fused.conv2d, tf.fused.depthwiseConv2d (bias fused), tf.maxPool,
// tf.avgPool, tf.mean (global average pooling, as Keras' GlobalAveragePooling2D does), tf.relu,
// tf.sigmoid, tf.tanh, tf.add, tf.softmax. TF.js has no hard-swish and no GELU op: those run as
// the ops a TF.js model would use (hard-swish x * relu6(x + 3) / 6: 3 kernels; GELU
// 0.5 x (1 + erf(x / sqrt 2)): 5 kernels), which the tables say.
//
// Its wasm kernels run synchronously inside the op call, so the figure is the op call alone: the
// input tensors were uploaded before, the result stays in module memory, and the result (and any
// intermediate) is disposed after the clock stopped (reading a large result back into a fresh JS
// array costs this VM milliseconds of page faults that have nothing to do with the kernel).

const TFJS_WASM_DIST = 'node_modules/@tensorflow/tfjs-backend-wasm/dist/';

/**
 * variant: 'simd' | 'threaded-simd' | 'scalar'. In Node TF.js always runs one thread.
 * One TF.js backend per process/page: open() once.
 */
export function tfjsImpl({ variant = 'simd', threads = 1, env }) {
  let tf = null;
  return {
    impl: 'tfjs-wasm',
    variant,
    threads: variant === 'threaded-simd' ? threads : 1,
    label: variant === 'threaded-simd' ? `tfjs-wasm ${variant} ${threads}T` : `tfjs-wasm ${variant}`,
    includes: 'op call only (tensors in wasm memory, result not read back)',
    async open() {
      tf = await import('@tensorflow/tfjs-core');
      const backend = await import('@tensorflow/tfjs-backend-wasm');
      // Flags are read when the backend initializes: they pick the binary.
      tf.env().set('WASM_HAS_SIMD_SUPPORT', variant !== 'scalar');
      tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', variant === 'threaded-simd');
      if (variant === 'threaded-simd') backend.setThreadsCount(threads);
      let prefix = await env.localPath(TFJS_WASM_DIST);
      if (!prefix.endsWith('/')) prefix += '/';
      backend.setWasmPaths(prefix);
      if (!(await tf.setBackend('wasm'))) throw new Error('tfjs: the wasm backend failed to initialize');
      await tf.ready();
      const flags = tf.env().getFlags();
      const simd = flags.WASM_HAS_SIMD_SUPPORT === true;
      const mt = flags.WASM_HAS_MULTITHREAD_SUPPORT === true;
      const actual = mt && simd ? 'threaded-simd' : simd ? 'simd' : 'scalar';
      if (actual !== variant) throw new Error(`tfjs: asked for ${variant}, the engine allows ${actual}`);
      if (mt) this.threads = backend.getThreadsCount();
      return { version: tf.version_core, variant: actual, threads: this.threads };
    },
    async prepare(shape, data) {
      const s = shape;
      const t = [];  // tensors to dispose with the instance
      const keep = (x) => { t.push(x); return x; };
      let op;
      let kernel;
      if (s.section === 'gemm') {
        // A Dense layer's kernel is [k][n] (TF.js's XNNPACK path takes B untransposed; with
        // transposeB it runs a naive loop).
        const kn = new Float32Array(s.k * s.n);
        for (let j = 0; j < s.n; j++) {
          for (let i = 0; i < s.k; i++) kn[i * s.n + j] = data.weights[j * s.k + i];
        }
        const a = keep(tf.tensor2d(data.input, [s.m, s.k]));
        const b = keep(tf.tensor2d(kn, [s.k, s.n]));
        const bias = keep(tf.tensor1d(data.bias));
        op = () => tf.fused.matMul({ a, b, bias });
        kernel = 'fused.matMul';
      } else if (s.section === 'conv') {
        const x = keep(tf.tensor4d(data.input, [1, s.h, s.w, s.cin]));
        const bias = keep(tf.tensor1d(data.bias));
        const gic = s.cin / s.groups;
        // portnn [cout][kh][kw][gic] -> TF.js [kh][kw][cin][cout] (depthwise: [kh][kw][cin][1]).
        const hwio = new Float32Array(data.weights.length);
        const k = s.k;
        for (let o = 0; o < s.cout; o++) {
          for (let y = 0; y < k; y++) {
            for (let xx = 0; xx < k; xx++) {
              for (let i = 0; i < gic; i++) {
                const src = ((o * k + y) * k + xx) * gic + i;
                hwio[s.depthwise ? (y * k + xx) * s.cin + o : ((y * k + xx) * s.cin + i) * s.cout + o] = data.weights[src];
              }
            }
          }
        }
        const pad = s.p === 0 ? 'valid' : s.p;
        if (s.depthwise) {
          const filter = keep(tf.tensor4d(hwio, [k, k, s.cin, 1]));
          op = () => tf.fused.depthwiseConv2d({ x, filter, strides: s.s, pad, bias });
          kernel = 'fused.depthwiseConv2d';
        } else if (s.groups === 1) {
          const filter = keep(tf.tensor4d(hwio, [k, k, s.cin, s.cout]));
          op = () => tf.fused.conv2d({ x, filter, strides: s.s, pad, bias });
          kernel = 'fused.conv2d';
        } else {
          throw new Error('tfjs: grouped (not depthwise) convolution is not supported by TF.js');
        }
      } else if (s.section === 'pool') {
        const x = keep(tf.tensor4d(data.input, [1, s.h, s.w, s.cin]));
        if (s.op === 'global_avg') {
          op = () => tf.mean(x, [1, 2]);
          kernel = 'mean';
        } else {
          const pad = s.p === 0 ? 'valid' : s.p;
          op = s.op === 'max' ? () => tf.maxPool(x, s.k, s.s, pad) : () => tf.avgPool(x, s.k, s.s, pad);
          kernel = s.op === 'max' ? 'maxPool' : 'avgPool';
        }
      } else {
        const x = keep(tf.tensor(data.input, s.inputShape));
        switch (s.op) {
          case 'relu': op = () => tf.relu(x); kernel = 'relu'; break;
          case 'sigmoid': op = () => tf.sigmoid(x); kernel = 'sigmoid'; break;
          case 'tanh': op = () => tf.tanh(x); kernel = 'tanh'; break;
          case 'softmax': op = () => tf.softmax(x); kernel = 'softmax'; break;
          case 'add': {
            const y = keep(tf.tensor(data.input2, s.inputShape));
            op = () => tf.add(x, y);
            kernel = 'add';
            break;
          }
          case 'hardswish': {
            const three = keep(tf.scalar(3));
            const sixth = keep(tf.scalar(1 / 6));
            op = () => tf.mul(x, tf.mul(tf.relu6(tf.add(x, three)), sixth));
            kernel = 'composite: add, relu6, mul, mul';
            break;
          }
          case 'gelu': {
            const half = keep(tf.scalar(0.5));
            const one = keep(tf.scalar(1));
            const rsqrt2 = keep(tf.scalar(Math.SQRT1_2));
            op = () => tf.mul(tf.mul(x, half), tf.add(tf.erf(tf.mul(x, rsqrt2)), one));
            kernel = 'composite: mul, erf, add, mul, mul';
            break;
          }
          default: throw new Error(`tfjs: no op for ${s.op}`);
        }
      }
      const engine = tf.engine();
      // One untimed call (operator creation and weight packing happen on the first call), and
      // the result for the cross-check, read once.
      engine.startScope();
      const first = op();
      const output = first.dataSync().slice();
      engine.endScope();
      return {
        kernel,
        output,
        // The scope collects the result and any intermediate; it ends outside the timed region.
        begin: () => engine.startScope(),
        run: op,
        end: () => engine.endScope(),
        dispose: () => { for (const x of t) x.dispose(); },
      };
    },
    async close() {
      // The backend stays registered; nothing else runs in this process or page afterwards.
    },
  };
}
