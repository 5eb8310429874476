// Runs a standalone (WASI) build of the portnn example chain under Node's node:wasi and exits
// with the program's own exit status, so a failed check inside the program fails the caller.
//
// Usage: node tests/wasi/run.mjs <program.wasm> [--env NAME=VALUE]... [--dir GUEST=HOST]...
//                                [-- program args...]
//
// The program runs sandboxed, with only stdout/stderr, its arguments, the environment variables
// passed here (PORTNN_ISA among them, when set) and the directories given with --dir: HOST is
// preopened as GUEST (an absolute name such as /models), the only files the program can reach.
import fs from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { WASI } from 'node:wasi';

function usage(message) {
  console.error(`wasi-run: ${message}`);
  console.error('usage: node tests/wasi/run.mjs <program.wasm> [--env NAME=VALUE]... [--dir /GUEST=HOST]... [-- args...]');
  process.exit(2);
}

const argv = process.argv.slice(2);
let wasmPath = null;
const env = {};
const preopens = {};
const programArgs = [];
for (let i = 0; i < argv.length; ++i) {
  const a = argv[i];
  if (a === '--') {
    programArgs.push(...argv.slice(i + 1));
    break;
  } else if (a === '--env') {
    const kv = argv[++i];
    const eq = kv ? kv.indexOf('=') : -1;
    if (eq <= 0) usage(`--env needs NAME=VALUE, got ${kv}`);
    env[kv.slice(0, eq)] = kv.slice(eq + 1);
  } else if (a === '--dir') {
    const kv = argv[++i];
    const eq = kv ? kv.indexOf('=') : -1;
    if (eq <= 0 || !kv.startsWith('/')) usage(`--dir needs /GUEST=HOST, got ${kv}`);
    const host = kv.slice(eq + 1);
    if (!fs.existsSync(host) || !fs.statSync(host).isDirectory()) usage(`--dir ${kv}: not a directory`);
    preopens[kv.slice(0, eq)] = host;
  } else if (wasmPath === null) {
    wasmPath = a;
  } else {
    usage(`unexpected argument ${a}`);
  }
}
if (wasmPath === null) usage('no program given');
// PORTNN_ISA set for this runner reaches the program unless --env set it explicitly.
if (process.env.PORTNN_ISA !== undefined && env.PORTNN_ISA === undefined) {
  env.PORTNN_ISA = process.env.PORTNN_ISA;
}

const bytes = fs.readFileSync(wasmPath);
const module = await WebAssembly.compile(bytes);

// A standalone build must need nothing but WASI: an import from anywhere else means the
// program still depends on Emscripten's JS glue and would not run under another WASI host.
const foreign = WebAssembly.Module.imports(module).filter(
  (imp) => imp.module !== 'wasi_snapshot_preview1');
if (foreign.length > 0) {
  console.error(`wasi-run: ${wasmPath} imports from outside WASI: ` +
                foreign.map((imp) => `${imp.module}.${imp.name}`).join(', '));
  process.exit(1);
}

const wasi = new WASI({
  version: 'preview1',
  args: [path.basename(wasmPath, '.wasm'), ...programArgs],
  env,
  preopens,
  returnOnExit: true,
});
const instance = await WebAssembly.instantiate(module, wasi.getImportObject());

let status;
try {
  status = wasi.start(instance);
} catch (err) {
  // A trap (unreachable, out-of-bounds access, stack overflow) lands here.
  console.error(`wasi-run: ${wasmPath} trapped: ${err && err.stack ? err.stack : err}`);
  process.exit(1);
}
if (status !== 0) console.error(`wasi-run: ${wasmPath} exited with status ${status}`);
process.exit(status === 0 ? 0 : 1);
