// A tiny static file server for the browser tests: serves a directory (the repository root by
// default) on 127.0.0.1, with or without the cross-origin-isolation headers that
// SharedArrayBuffer, and so the threaded WebAssembly build, needs in a browser.
//
//   node tests/web/server.mjs [--isolated] [--port N] [--root DIR]
//
// --isolated adds Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy:
// require-corp to every response. --port 0 (the default) picks a free port; the URL is printed.
// No dependencies: node:http only. Also importable: startServer({root, port, isolated, cors, mounts});
// mounts maps URL prefixes to other directories ({ '/zoo/': '/work/models' }: the model zoo,
// wherever it was exported, for bench/models/chromium.mjs and tests/web/run-zoo.mjs);
// cors adds Access-Control-Allow-Origin: *, as a CDN serves files to pages of other origins
// (tests/bundlers/; CORS alone, so that a request made without CORS fails there).
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

// Browsers refuse module scripts without a JavaScript MIME type, and
// WebAssembly.instantiateStreaming/compileStreaming require application/wasm.
const MIME_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.cjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

function headersFor(isolated, cors) {
  const h = {
    // Tests must always see the files just built.
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  };
  if (isolated) {
    h['Cross-Origin-Opener-Policy'] = 'same-origin';
    h['Cross-Origin-Embedder-Policy'] = 'require-corp';
    h['Cross-Origin-Resource-Policy'] = 'same-origin';
  }
  if (cors) h['Access-Control-Allow-Origin'] = '*';
  return h;
}

function send(res, status, headers, body) {
  res.writeHead(status, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(body);
}

function handler(root, isolated, cors, mounts) {
  const base = headersFor(isolated, cors);
  return (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      send(res, 405, { ...base, Allow: 'GET, HEAD' }, 'method not allowed\n');
      return;
    }
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(req.url, 'http://127.0.0.1').pathname);
    } catch {
      send(res, 400, base, 'bad request\n');
      return;
    }
    // Resolve inside root (or a mount's directory) only: no '..' escapes, no NUL bytes.
    let dir = root;
    let rest = pathname;
    for (const [prefix, target] of mounts) {
      if (pathname.startsWith(prefix)) {
        dir = target;
        rest = pathname.slice(prefix.length - 1);
        break;
      }
    }
    const file = path.resolve(dir, '.' + path.posix.normalize('/' + rest));
    if (pathname.includes('\0') || (file !== dir && !file.startsWith(dir + path.sep))) {
      send(res, 403, base, 'forbidden\n');
      return;
    }
    let target = file;
    let stat;
    try {
      stat = fs.statSync(target);
      if (stat.isDirectory()) {
        if (!pathname.endsWith('/')) {
          res.writeHead(301, { ...base, Location: pathname + '/' });
          res.end();
          return;
        }
        target = path.join(target, 'index.html');
        stat = fs.statSync(target);
      }
    } catch {
      send(res, 404, base, `not found: ${pathname}\n`);
      return;
    }
    if (!stat.isFile()) {
      send(res, 404, base, `not found: ${pathname}\n`);
      return;
    }
    const type = MIME_TYPES[path.extname(target).toLowerCase()] || 'application/octet-stream';
    res.writeHead(200, { ...base, 'Content-Type': type, 'Content-Length': stat.size });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    fs.createReadStream(target).on('error', () => res.destroy()).pipe(res);
  };
}

// Starts a server; resolves to {server, port, url, close()} once it listens.
export function startServer({ root = REPO_ROOT, port = 0, isolated = false, cors = false, mounts = {} } = {}) {
  const absRoot = path.resolve(root);
  const mountList = Object.entries(mounts).map(([prefix, dir]) => {
    if (!/^\/.+\/$/.test(prefix)) throw new Error(`startServer: mount prefix '${prefix}' must start and end with /`);
    return [prefix, path.resolve(dir)];
  });
  const server = http.createServer(handler(absRoot, isolated, cors, mountList));
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const actual = server.address().port;
      resolve({
        server,
        port: actual,
        url: `http://127.0.0.1:${actual}/`,
        close: () => new Promise((done) => {
          server.closeAllConnections();
          server.close(() => done());
        }),
      });
    });
  });
}

// Command line.
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const opts = { isolated: false, port: 0, root: REPO_ROOT };
  for (let i = 0; i < args.length; ++i) {
    if (args[i] === '--isolated') opts.isolated = true;
    else if (args[i] === '--no-isolated') opts.isolated = false;
    else if (args[i] === '--port') opts.port = Number(args[++i]);
    else if (args[i] === '--root') opts.root = args[++i];
    else {
      console.error('usage: node tests/web/server.mjs [--isolated] [--port N] [--root DIR]');
      process.exit(2);
    }
  }
  const s = await startServer(opts);
  console.log(`serving ${path.resolve(opts.root)} at ${s.url} ` +
              `(COOP/COEP headers ${opts.isolated ? 'on' : 'off'})`);
}
