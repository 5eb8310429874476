// protobufjs/light as an ES module for pages without a bundler (zoo.html's import map points
// 'protobufjs/light.js' here): the package is CommonJS; its browser build, loaded by a classic
// script before any module runs, sets globalThis.protobuf.
if (!globalThis.protobuf) throw new Error('protobufjs/dist/light/protobuf.min.js was not loaded before protobuf-light.mjs');
export default globalThis.protobuf;
