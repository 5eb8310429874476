// A webpack 5 app with no webpack.config.js: `webpack --mode production` bundles src/index.js
// into dist/main.js and emits the package's files next to it. Runs the package on the main
// thread, then through 'portnn/proxy' (a module Worker, bundled by webpack as a worker chunk), then
// an ONNX model through 'portnn/onnx'.
import * as pnn from 'portnn';
import { loadOnnx } from 'portnn/onnx';
import { createProxy } from 'portnn/proxy';

import { publish, runApp } from '../../shared/app.js';
import { addOnnxChecks } from '../../shared/onnx-app.js';
import { addProxyChecks } from '../../shared/proxy-app.js';

runApp(pnn).then((result) => addProxyChecks(result, pnn, createProxy))
  .then((result) => addOnnxChecks(result, pnn, loadOnnx)).then(publish);
