// An esbuild app, `esbuild src/main.js --bundle --format=esm --outfile=out/main.js`: esbuild
// emits no assets, so the README's recipe copies the package's dist/ folder next to the bundle
// (out/portnn/) and passes its URL as distPath.
import * as pnn from 'portnn';

import { publish, runApp } from '../../shared/app.js';

runApp(pnn, { distPath: new URL('./portnn/', import.meta.url) }).then(publish);
