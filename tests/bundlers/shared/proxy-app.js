// The 'portnn/proxy' check every proxy fixture runs: the same convolution on the main thread
// (pnn, as imported) and in the proxy's worker must agree bit for bit, the main thread must keep
// running (timer ticks) while the worker computes, and errors must come back with their class.
// Returns { info, cases } to merge into a runApp() report (addProxyChecks).
export async function runProxyChecks(pnn, createProxy) {
  const [h, w, c, oc] = [96, 96, 32, 32];
  const params = {
    kernelHeight: 3, kernelWidth: 3, paddingTop: 1, paddingRight: 1, paddingBottom: 1,
    paddingLeft: 1, groupInputChannels: c, groupOutputChannels: oc,
  };
  const x = Float32Array.from({ length: h * w * c }, (_, i) => ((i * 7919) % 997) / 997 - 0.5);
  const k = Float32Array.from({ length: oc * 9 * c }, (_, i) => ((i * 104729) % 991) / 991 - 0.5);
  await pnn.init();
  const direct = new pnn.Convolution2D(params, k);
  const want = direct.run(x, [1, h, w, c]);
  direct.dispose();
  await pnn.terminate();

  const proxy = await createProxy();
  try {
    const info = await proxy.info();
    const conv = await proxy.create('Convolution2D', params, k);
    let ticks = 0;
    const timer = setInterval(() => { ticks++; }, 1);
    const t0 = performance.now();
    const runs = [];
    for (let i = 0; i < 4; i++) runs.push(conv.run(x, [1, h, w, c]));
    const got = (await Promise.all(runs))[3];
    const ms = performance.now() - t0;
    clearInterval(timer);
    await conv.dispose();
    const same = got.length === want.length && got.every((v, i) => Object.is(v, want[i]));
    // Two rejections cross the worker boundary: a JS-level type check (RangeError) and a C
    // status with its reason (PortnnError keeps name, status and message).
    const rejection = async (p) => { try { await p; return null; } catch (e) { return e; } };
    const typeError = await rejection(proxy.create('Convolution2D', { ...params, kernelHeight: 1.5 }, k));
    const statusError = await rejection(
      proxy.create('Convolution2D', { ...params, kernelHeight: 0 }, new Float32Array(0)));
    const describe = (e) => (e ? `${e.name}: ${e.message}` : 'no error');
    const errorText = `${describe(typeError)} | ${describe(statusError)}`;
    const errorOk = typeError instanceof RangeError &&
      /^Convolution2D: kernelHeight must be an integer/.test(typeError.message) &&
      statusError instanceof Error && statusError.name === 'PortnnError' &&
      statusError.status === 'invalid parameter' && /kernel_height is 0/.test(statusError.message);
    const result = (name, ok, detail) => ({ name, ok, count: 1, bad: ok ? 0 : 1, maxErrorOverTol: 0, detail });
    return {
      info,
      cases: [
        result('proxy Convolution2D: bit-identical to the main thread', same, `${got.length} values`),
        result('proxy: the main thread ran meanwhile', ticks > 0, `${ticks} timer ticks in ${ms.toFixed(0)} ms`),
        result('proxy: errors keep their class and message', errorOk, errorText),
      ],
    };
  } finally {
    await proxy.terminate();
  }
}

/** Adds the proxy checks to a runApp() report (after its own checks ran). */
export async function addProxyChecks(result, pnn, createProxy) {
  if (result.error) return result;
  try {
    const { info, cases } = await runProxyChecks(pnn, createProxy);
    result.proxyInfo = info;
    result.cases.push(...cases);
    result.ok = result.ok && cases.every((c) => c.ok);
  } catch (e) {
    result.error = e && e.stack ? e.stack : String(e);
    result.ok = false;
  }
  return result;
}
