// Stands in for the Node built-ins (fs, path, os, perf_hooks) that TF.js's ES module bundle
// imports for its Node code paths, which never run in a browser (see index.html's import map).
export default {};
