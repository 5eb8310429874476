#!/usr/bin/env node
// Serves the repository on 127.0.0.1 with the cross-origin-isolation headers (COOP/COEP) that
// threads need, for the benchmark page: open the printed URL in any browser.
//
//   node bench/js/serve.mjs [--port N]      (default: a free port)
// Needs wasm/dist (scripts/build-wasm.sh), node_modules (npm ci) and the ONNX models
// (/usr/bin/python3 bench/models/make_models.py --out build/bench-models; scripts/bench.sh makes them).
import process from 'node:process';

import { startServer } from '../../tests/web/server.mjs';

let port = 0;
const args = process.argv.slice(2);
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--port') port = Number(args[++i]);
  else {
    console.error('usage: node bench/js/serve.mjs [--port N]');
    process.exit(2);
  }
}
const server = await startServer({ port, isolated: true });
console.log(`benchmark page: ${server.url}bench/web/  (COOP/COEP on; Ctrl-C stops)`);
