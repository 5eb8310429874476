// A webpack 5 app with no webpack.config.js: `webpack --mode production` bundles src/index.js
// into dist/main.js and emits the package's files next to it.
import * as pnn from 'portnn';

import { publish, runApp } from '../../shared/app.js';

runApp(pnn).then(publish);
