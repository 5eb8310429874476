// MobileNet v2 (examples/mobilenet-v2.mjs, the same weights as the native example) on the JS
// graph API of every variant, against the double-precision references of helpers/reference.mjs
// (float tensors between layers): max |portnn - reference| / max |reference| <= 1e-4, as the
// native test (tests/mobilenet-v2-test.cc) measures it.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { Graph, init, terminate } from '../index.js';
import { MODEL_INPUT, build, defineGraph, image } from '../../examples/mobilenet-v2.mjs';
import * as ref from './helpers/reference.mjs';

function reference(model, input, h, w) {
  const t = [];
  const p = model.params;
  for (const l of model.layers) {
    const x = l.input === MODEL_INPUT ? { h, w, c: 3, data: input } : t[l.input];
    if (l.kind === 'conv') {
      const pad = l.kernel >> 1;
      const gic = l.cin / l.groups;
      const r = ref.convolution2d(
        { kh: l.kernel, kw: l.kernel, sh: l.stride, sw: l.stride, dh: 1, dw: 1, pt: pad, pr: pad,
          pb: pad, pl: pad, groups: l.groups, gic, goc: l.cout / l.groups, same: false },
        1, x.h, x.w, x.data, p.subarray(l.weights), p.subarray(l.bias, l.bias + l.cout),
        l.relu6 ? 0 : -Infinity, l.relu6 ? 6 : Infinity);
      t.push({ h: r.shape[1], w: r.shape[2], c: l.cout, data: Float32Array.from(r.value) });
    } else if (l.kind === 'add') {
      const b = t[l.input2];
      t.push({ ...x, data: x.data.map((v, i) => v + b.data[i]) });
    } else if (l.kind === 'gap') {
      const r = ref.globalAveragePooling(1, x.h * x.w, x.c, x.data, -Infinity, Infinity);
      t.push({ h: 1, w: 1, c: x.c, data: Float32Array.from(r.value) });
    } else {
      const r = ref.fullyConnected(1, l.cin, l.cout, x.data, p.subarray(l.weights),
                                   p.subarray(l.bias, l.bias + l.cout), false, -Infinity, Infinity);
      t.push({ h: 1, w: 1, c: l.cout, data: Float32Array.from(r.value) });
    }
  }
  return t[t.length - 1].data;
}

function disagreement(got, want) {
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < want.length; i++) {
    diff = Math.max(diff, Math.abs(got[i] - want[i]));
    scale = Math.max(scale, Math.abs(want[i]));
  }
  return diff / scale;
}

const model = build(42, 100);
const input = image(64, 64, 7);
const expected = reference(model, input, 64, 64);

for (const [variant, threads] of [['scalar', 1], ['simd', 1], ['simd-threads', 2]]) {
  describe(`MobileNet v2 on the graph runtime, ${variant} (${threads} thread(s))`, () => {
    before(async () => { await init({ variant, threads }); });
    after(() => terminate());

    it('agrees with the reference at 64x64, every relu6 fused', () => {
      const g = new Graph();
      const { input: x, output: y } = defineGraph(g, model, 64, 64);
      const rt = g.createRuntime();
      g.dispose();
      try {
        const d = disagreement(rt.run({ [x]: input })[y], expected);
        assert.ok(d <= 1e-4, `disagreement ${d}`);
        const fused = rt.profile().filter((n) => n.fusedInto >= 0).length;
        assert.equal(fused, model.layers.filter((l) => l.relu6).length);
      } finally {
        rt.dispose();
      }
    });
  });
}
