// Which implementations run, grouped as bench/js/runner.mjs runs them. Shared by Node and the
// page so that both run the same configurations from the same options:
//   variants      portnn variants: any of 'simd', 'scalar', 'simd-threads' (default these three),
//                 'relaxed-simd' (browsers: with peers, a group of its own next to TF.js simd,
//                 one portnn runtime being open at a time; its TF.js records say pairedWith;
//                 without peers, an exclusive group with simd: A B A B shape by shape)
//   threads       pool size of the threaded runs (default 2); simd-threads runs with 1 thread and
//                 with `threads` threads, each once, for the speed-up
//   peers         run TF.js and ONNX Runtime next to portnn simd (default true)
//   peerThreads   also run the peers' threaded builds with `threads` threads, next to portnn
//                 simd-threads (browsers only: TF.js runs one thread in Node). This needs a page
//                 of its own (TF.js picks its binary once per page), so it is a separate plan:
//                 planPeerThreads().
import { portnnImpl } from './impl-portnn.mjs';
import { tfjsImpl } from './impl-tfjs.mjs';
import { ortImpl } from './impl-ort.mjs';

export const PORTNN_VARIANTS = Object.freeze(['simd', 'scalar', 'simd-threads', 'relaxed-simd']);
const DEFAULT_VARIANTS = ['simd', 'scalar', 'simd-threads'];

// `impl` measured as the partner of portnn `variant`: its records carry pairedWith, so that the
// tables compare them with that variant only (bench/js/table.mjs).
function pairedWith(impl, variant) {
  return {
    ...impl,
    label: `${impl.label} (next to portnn ${variant})`,
    async prepare(shape, data) {
      const inst = await impl.prepare(shape, data);
      inst.fields = { ...(inst.fields || {}), pairedWith: variant };
      return inst;
    },
  };
}

export function parseVariants(text) {
  const list = (text || DEFAULT_VARIANTS.join(',')).split(',').map((v) => v.trim()).filter(Boolean);
  for (const v of list) {
    if (!PORTNN_VARIANTS.includes(v)) throw new Error(`unknown portnn variant '${v}' (expected ${PORTNN_VARIANTS.join(', ')})`);
  }
  return list;
}

/** Groups of implementations (see runner.mjs) for one run. */
export function plan({ variants = DEFAULT_VARIANTS, threads = 2, peers = true, modelsDir, env }) {
  const groups = [];
  const relaxedAB = !peers && variants.includes('simd') && variants.includes('relaxed-simd');
  for (const variant of variants) {
    if (variant === 'relaxed-simd' && relaxedAB) continue;  // in simd's group below
    if (variant === 'simd' && relaxedAB) {
      const group = [portnnImpl({ variant }), portnnImpl({ variant: 'relaxed-simd' })];
      group.exclusive = true;
      groups.push(group);
    } else if (variant === 'simd-threads') {
      // 1 thread and `threads` threads, shape by shape (an exclusive group: one runtime at a
      // time), so that the speed-up compares runs seconds apart.
      const group = [portnnImpl({ variant, threads: 1 })];
      if (threads > 1) group.push(portnnImpl({ variant, threads }));
      group.exclusive = true;
      groups.push(group);
    } else if (variant === 'simd' && peers) {
      // The acceptance comparison: one thread each, on the same shape back to back.
      groups.push([portnnImpl({ variant }), tfjsImpl({ variant: 'simd', env }),
                   ortImpl({ threads: 1, modelsDir, env })]);
    } else if (variant === 'relaxed-simd' && peers) {
      groups.push([portnnImpl({ variant }), pairedWith(tfjsImpl({ variant: 'simd', env }), variant)]);
    } else {
      groups.push([portnnImpl({ variant })]);
    }
  }
  return groups;
}

/** portnn simd-threads next to TF.js threaded-simd and ONNX Runtime, `threads` threads each. */
export function planPeerThreads({ threads = 2, modelsDir, env }) {
  return [[portnnImpl({ variant: 'simd-threads', threads }),
           tfjsImpl({ variant: 'threaded-simd', threads, env }),
           ortImpl({ threads, modelsDir, env })]];
}
