// Prepended to the Emscripten ES module (--extern-pre-js). Emscripten 3.1.6's Node code path
// uses require(), __dirname and __filename, which an ES module does not have; this defines them,
// as later Emscripten versions do themselves. Browsers skip it. The module names are variables
// so that bundlers targeting the web do not try to resolve Node built-ins.
var require, __dirname, __filename;
if (typeof process == 'object' && typeof process.versions == 'object' &&
    typeof process.versions.node == 'string') {
  const nodeModule = 'node:module', nodeUrl = 'node:url', nodePath = 'node:path';
  require = (await import(nodeModule)).createRequire(import.meta.url);
  __filename = (await import(nodeUrl)).fileURLToPath(import.meta.url);
  __dirname = (await import(nodePath)).dirname(__filename);
}
