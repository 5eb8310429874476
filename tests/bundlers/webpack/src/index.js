// A webpack 5 app with no webpack.config.js: `webpack --mode production` bundles src/index.js
// into dist/main.js and emits the package's files next to it. Runs the package on the main
// thread, then through 'portnn/proxy' (a module Worker, bundled by webpack as a worker chunk).
import * as pnn from 'portnn';
import { createProxy } from 'portnn/proxy';

import { publish, runApp } from '../../shared/app.js';
import { addProxyChecks } from '../../shared/proxy-app.js';

runApp(pnn).then((result) => addProxyChecks(result, pnn, createProxy)).then(publish);
