// The 'portnn/onnx' check of the Vite and webpack apps: loadOnnx() loads the importer module the
// bundler emitted (with protobufjs, the package's dependency, bundled by the tool) and runs a
// one-node model. Its bytes are protobufjs's encoding, with the package's schema, of
//   { ir_version: 8, opset_import: [{ version: 13 }],
//     graph: { node: [{ op_type: 'Relu', input: ['x'], output: ['y'] }],
//              input: [x: float [2, 3]], output: [y: float [2, 3]] } }
// (wasm/test/onnx.test.mjs builds the same model with protobufjs and runs it in Node).
const RELU_MODEL = new Uint8Array([
  8, 8, 58, 56, 10, 12, 10, 1, 120, 18, 1, 121, 34, 4, 82, 101, 108, 117, 90, 19, 10, 1, 120, 18,
  14, 10, 12, 8, 1, 18, 8, 10, 2, 8, 2, 10, 2, 8, 3, 98, 19, 10, 1, 121, 18, 14, 10, 12, 8, 1, 18,
  8, 10, 2, 8, 2, 10, 2, 8, 3, 66, 2, 16, 13,
]);

/** Adds the loadOnnx check to a runApp() report (after its own checks ran). */
export async function addOnnxChecks(result, pnn, loadOnnx) {
  if (result.error) return result;
  try {
    const model = await loadOnnx(RELU_MODEL);
    const { y } = model.run({ x: new Float32Array([-1, 2, -3, 4, -0.5, 6]) });
    model.dispose();
    await pnn.terminate();
    const want = [0, 2, 0, 4, 0, 6];
    const bad = want.filter((v, i) => y[i] !== v).length + Math.abs(y.length - want.length);
    result.cases.push({ name: 'loadOnnx: a Relu model in the importer module', ok: bad === 0,
                        count: want.length, bad, maxErrorOverTol: 0, detail: Array.from(y).join(' ') });
    result.ok = result.ok && bad === 0;
  } catch (e) {
    result.error = e && e.stack ? e.stack : String(e);
    result.ok = false;
  }
  return result;
}
