// What every fixture page runs, whatever built it: imports nothing itself (the fixture passes
// the package it imported, so that each bundler resolves 'portnn' its own way), calls a plain
// init() as a web app would, runs a convolution, a fully connected layer and a softmax against a
// double-precision reference, and publishes the report as globalThis.__portnnResult (read by
// tests/bundlers/run.mjs): { done, ok, info, crossOriginIsolated, cases, warnings, error }.

function random(seed) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  };
}

function fill(n, seed) {
  const next = random(seed);
  return Float32Array.from({ length: n }, next);
}

// y[n][oy][ox][oc] = bias[oc] + sum x[n][oy+ky-1][ox+kx-1][ic] * k[oc][ky][kx][ic] (3x3, pad 1)
function conv3x3(x, k, bias, h, w, ic, oc) {
  const y = new Float64Array(h * w * oc);
  for (let oy = 0; oy < h; oy++) {
    for (let ox = 0; ox < w; ox++) {
      for (let o = 0; o < oc; o++) {
        let acc = bias[o];
        for (let ky = 0; ky < 3; ky++) {
          const iy = oy + ky - 1;
          if (iy < 0 || iy >= h) continue;
          for (let kx = 0; kx < 3; kx++) {
            const ix = ox + kx - 1;
            if (ix < 0 || ix >= w) continue;
            for (let c = 0; c < ic; c++) {
              acc += x[(iy * w + ix) * ic + c] * k[((o * 3 + ky) * 3 + kx) * ic + c];
            }
          }
        }
        y[(oy * w + ox) * oc + o] = acc;
      }
    }
  }
  return y;
}

function fullyConnected(x, k, bias, rows, ic, oc) {
  const y = new Float64Array(rows * oc);
  for (let r = 0; r < rows; r++) {
    for (let o = 0; o < oc; o++) {
      let acc = bias[o];
      for (let c = 0; c < ic; c++) acc += x[r * ic + c] * k[o * ic + c];
      y[r * oc + o] = acc;
    }
  }
  return y;
}

function softmax(x, rows, c) {
  const y = new Float64Array(rows * c);
  for (let r = 0; r < rows; r++) {
    let max = -Infinity;
    for (let i = 0; i < c; i++) max = Math.max(max, x[r * c + i]);
    let sum = 0;
    for (let i = 0; i < c; i++) sum += Math.exp(x[r * c + i] - max);
    for (let i = 0; i < c; i++) y[r * c + i] = Math.exp(x[r * c + i] - max) / sum;
  }
  return y;
}

function compare(name, got, want, tolerance) {
  let worst = 0;
  let bad = 0;
  for (let i = 0; i < want.length; i++) {
    const err = Math.abs(got[i] - want[i]) / (tolerance * (1 + Math.abs(want[i])));
    if (!(err <= 1)) bad++;
    worst = Math.max(worst, err);
  }
  const ok = got.length === want.length && bad === 0;
  return { name, ok, count: want.length, bad, maxErrorOverTol: worst };
}

function cases(pnn) {
  const out = [];
  {
    const [h, w, ic, oc] = [17, 13, 8, 24];
    const x = fill(h * w * ic, 1);
    const k = fill(oc * 9 * ic, 2);
    const b = fill(oc, 3);
    const op = new pnn.Convolution2D({
      kernelHeight: 3, kernelWidth: 3, paddingTop: 1, paddingRight: 1, paddingBottom: 1,
      paddingLeft: 1, groupInputChannels: ic, groupOutputChannels: oc,
    }, k, b);
    out.push(compare('Convolution2D 3x3', op.run(x, [1, h, w, ic]), conv3x3(x, k, b, h, w, ic, oc), 1e-4));
    op.dispose();
  }
  {
    const [rows, ic, oc] = [33, 70, 19];
    const x = fill(rows * ic, 4);
    const k = fill(oc * ic, 5);
    const b = fill(oc, 6);
    const op = new pnn.FullyConnected({ inputChannels: ic, outputChannels: oc }, k, b);
    out.push(compare('FullyConnected', op.run(x, [rows, ic]), fullyConnected(x, k, b, rows, ic, oc), 1e-4));
    op.dispose();
  }
  {
    const [rows, c] = [9, 37];
    const x = fill(rows * c, 7).map((v) => v * 20);
    const op = new pnn.Softmax({ channels: c });
    out.push(compare('Softmax', op.run(x, [rows, c]), softmax(x, rows, c), 1e-5));
    op.dispose();
  }
  return out;
}

/**
 * init() options from the page's query string, for the driver's diagnostic pages:
 * ?variant=...&threads=N&glue=<location of portnn-simd.mjs>.
 */
export function queryOptions() {
  const query = new URLSearchParams(globalThis.location ? location.search : '');
  const options = {};
  if (query.has('variant')) options.variant = query.get('variant');
  if (query.has('threads')) options.threads = Number(query.get('threads'));
  if (query.has('glue')) options.wasmPaths = { 'portnn-simd.mjs': query.get('glue') };
  return options;
}

/** Runs the checks with `pnn` (the imported package) and `options` for init(). */
export async function runApp(pnn, options = {}) {
  const result = {
    done: false, ok: false, info: null, cases: [], warnings: [], error: null,
    crossOriginIsolated: globalThis.crossOriginIsolated === true,
    hardwareConcurrency: globalThis.navigator ? navigator.hardwareConcurrency : 0,
  };
  const consoleWarn = console.warn;
  console.warn = (...args) => {
    result.warnings.push(args.map(String).join(' '));
    consoleWarn.apply(console, args);
  };
  try {
    result.info = await pnn.init(options);
    result.cases = cases(pnn);
    await pnn.terminate();
    result.ok = result.cases.every((c) => c.ok);
  } catch (e) {
    result.error = e && e.stack ? e.stack : String(e);
  } finally {
    console.warn = consoleWarn;
  }
  result.done = true;
  return result;
}

/** Publishes a report where the test driver reads it, and on the page. */
export function publish(result) {
  globalThis.__portnnResult = result;
  if (typeof document !== 'undefined') {
    const p = document.createElement('pre');
    p.textContent = JSON.stringify(result, null, 2);
    document.body.appendChild(p);
  }
}
