// Measures init() the way the package's budget is stated: the median of N cold inits, each in a
// fresh Node process (nothing cached in the process: the module is imported, the .wasm read and
// compiled, workers started). Prints, per configuration, the median and the range of
//   init     the time of `await init(options)` alone, and
//   import+init  the same plus importing the package.
// Usage: node tools/init-time.mjs [runs=10]
import { execFileSync } from 'node:child_process';

const runs = Number(process.argv[2] || 10);
const index = new URL('../index.js', import.meta.url).href;
const configs = [
  ['init()  (auto: simd, 1 thread)', {}],
  ["init({ variant: 'scalar' })", { variant: 'scalar' }],
  ['init({ threads: 2 })  (auto: simd-threads)', { threads: 2 }],
];

const child = (options) => `
  const t0 = performance.now();
  const portnn = await import(${JSON.stringify(index)});
  const t1 = performance.now();
  const i = await portnn.init(${JSON.stringify(options)});
  const t2 = performance.now();
  await portnn.terminate();
  console.log(JSON.stringify({ init: t2 - t1, total: t2 - t0, variant: i.variant, threads: i.threads }));`;

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

for (const [name, options] of configs) {
  const samples = [];
  for (let r = 0; r < runs; r++) {
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', child(options)]);
    samples.push(JSON.parse(out));
  }
  const init = samples.map((s) => s.init);
  const total = samples.map((s) => s.total);
  const f = (x) => x.toFixed(1);
  console.log(`${name.padEnd(44)} -> ${samples[0].variant}/${samples[0].threads}: ` +
              `init median ${f(median(init))} ms [${f(Math.min(...init))}, ${f(Math.max(...init))}], ` +
              `import+init median ${f(median(total))} ms (${runs} fresh processes)`);
}
