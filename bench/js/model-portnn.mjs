// portnn's side of the model benchmark (bench/js/model.mjs): MobileNet v2 on the graph runtime
// of the wasm/ package, defined by examples/mobilenet-v2.mjs's defineGraph (relu6 as clamp
// nodes, which the runtime fuses into the convolutions). Loading, variants and threads are the
// suite's (impl-portnn.mjs); only prepare() differs.
//
// The figure is GraphRuntime.run({image}, {logits}): it copies the 224x224x3 image into module
// memory, invokes every node, and copies the 1000 logits into a Float32Array reused across calls
// (the runtime's arena and external buffers are reused too). Creation = new Graph + the
// definitions (weights copied into the graph) + createRuntime (fusion, planning, packing).
import * as pnn from '../../wasm/index.js';
import { defineGraph } from '../../examples/mobilenet-v2.mjs';
import { portnnImpl } from './impl-portnn.mjs';

export function portnnModelImpl({ variant, threads = 1 }) {
  const impl = portnnImpl({ variant, threads });
  impl.includes = 'GraphRuntime.run(): image copied in, whole graph, logits copied out into a reused array';
  impl.prepare = async (shape, data) => {
    const t0 = performance.now();
    const g = new pnn.Graph();
    let rt;
    let ids;
    try {
      ids = defineGraph(g, data.model, shape.size, shape.size);
      rt = g.createRuntime();
    } finally {
      g.dispose();
    }
    const t1 = performance.now();
    const logits = new Float32Array(shape.outputCount);
    const inputs = { [ids.input]: data.image };
    const outputs = { [ids.output]: logits };
    rt.run(inputs, outputs);
    const t2 = performance.now();
    const nodes = rt.profile();
    const memory = rt.memory();
    return {
      kernel: `graph runtime: ${nodes.filter((n) => n.fusedInto < 0).length} operators (${nodes.filter((n) => n.fusedInto >= 0).length} nodes fused)`,
      output: logits,
      run: () => rt.run(inputs, outputs),
      dispose: () => rt.dispose(),
      fields: {
        includes: 'run()', create_ms: t1 - t0, first_ms: t2 - t1,
        runtime_bytes: memory.arenaBytes + memory.packedWeightBytes,
      },
    };
  };
  return impl;
}
