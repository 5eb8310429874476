#!/usr/bin/env node
// Kernel work: two builds of one portnn variant, A and B, on the same shapes in alternating
// rounds (A B A B ...), per-shape medians over the rounds and the B/A ratio. On a shared, noisy
// machine a change is only trusted from such side-by-side runs.
//
//   node bench/js/ab.mjs DIR_A DIR_B [--variant simd] [--threads N] [--filter REGEX] [--rounds 3]
//                        [--target node|chromium]
//
// DIR_A, DIR_B: Emscripten build trees of the variant (as scripts/build-wasm.sh makes them, e.g.
// one configured on a copy of the tree before a change). A module's glue and .wasm belong
// together (export names are minified), so each round copies both into wasm/dist and runs
// bench/js/node.mjs (or chromium.mjs) in a child process; wasm/dist is left holding DIR_B's build.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';

import * as env from './env.mjs';
import { geomean } from './table.mjs';

const FILES = { scalar: 'portnn', simd: 'portnn-simd', 'simd-threads': 'portnn-simd-threads',
                'relaxed-simd': 'portnn-relaxed-simd' };
const args = process.argv.slice(2);
const dirs = [];
const opts = { variant: 'simd', threads: 2, filter: '', rounds: 3, target: 'node' };
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (a === '--variant') opts.variant = args[++i];
  else if (a === '--threads') opts.threads = Number(args[++i]);
  else if (a === '--filter') opts.filter = args[++i];
  else if (a === '--rounds') opts.rounds = Number(args[++i]);
  else if (a === '--target') opts.target = args[++i];
  else if (a.startsWith('--')) { console.error(`ab.mjs: unknown flag ${a}`); process.exit(2); }
  else dirs.push(a);
}
if (dirs.length !== 2 || !FILES[opts.variant]) {
  console.error('usage: node bench/js/ab.mjs DIR_A DIR_B [--variant simd|scalar|simd-threads|relaxed-simd] [--threads N] [--filter REGEX] [--rounds R]');
  process.exit(2);
}
const root = path.resolve(new URL(env.REPO_ROOT).pathname);
const dist = path.join(root, 'wasm', 'dist');
const name = FILES[opts.variant];
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'portnn-ab-'));

function install(dir) {
  for (const ext of ['.mjs', '.wasm', '.worker.js']) {
    const src = path.join(dir, name + ext);
    if (fs.existsSync(src)) fs.copyFileSync(src, path.join(dist, name + ext));
    else if (ext !== '.worker.js') throw new Error(`${src} missing`);
  }
}

const times = [new Map(), new Map()];  // "threads|shape" -> [median_us per round]
for (let round = 0; round < opts.rounds; round++) {
  for (const which of [0, 1]) {
    install(dirs[which]);
    const json = path.join(tmp, `r${round}-${which}.json`);
    const script = opts.target === 'chromium' ? 'bench/js/chromium.mjs' : 'bench/js/node.mjs';
    const r = spawnSync(process.execPath, [path.join(root, script), '--variants', opts.variant,
      '--no-peers', '--threads', String(opts.threads), '--json', json, ...(opts.filter ? ['--filter', opts.filter] : [])],
    { cwd: root, encoding: 'utf8' });
    if (r.status !== 0) console.error(r.stdout.split('\n').slice(-20).join('\n'), r.stderr);
    for (const rec of fs.existsSync(json) ? JSON.parse(fs.readFileSync(json, 'utf8')) : []) {
      const key = `${rec.threads}|${rec.shape}`;
      if (!times[which].has(key)) times[which].set(key, []);
      times[which].get(key).push(rec.median_us);
    }
    console.log(`round ${round + 1}/${opts.rounds}: ${which ? 'B' : 'A'} done`);
  }
}
fs.rmSync(tmp, { recursive: true, force: true });
const med = (v) => { const s = [...v].sort((x, y) => x - y); return s[Math.floor((s.length - 1) / 2)]; };
const ratios = [];
console.log(`\n${'threads|shape'.padEnd(26)} ${'A us'.padStart(10)} ${'B us'.padStart(10)}    B/A   (A: ${dirs[0]}, B: ${dirs[1]})`);
for (const [key, a] of times[0]) {
  const b = times[1].get(key);
  if (!b) continue;
  const r = med(b) / med(a);
  ratios.push(r);
  console.log(`${key.padEnd(26)} ${med(a).toFixed(1).padStart(10)} ${med(b).toFixed(1).padStart(10)}  ${r.toFixed(3)}`);
}
const g = geomean(ratios);
console.log(`geometric mean B/A over ${ratios.length} shape(s): ${g === null ? '-' : g.toFixed(3)}`);
