// A Rollup app, `rollup -c` with the README's rollup.config.mjs: bundles src/main.js into dist/
// (ES modules; the threads' worker text becomes a chunk) and emits the package's files in
// dist/assets/. No init() options.
import * as pnn from 'portnn';

import { publish, runApp } from '../../shared/app.js';

runApp(pnn).then(publish);
