// A Vite app (no vite.config.js): `vite build` and the dev server, both with zero configuration.
import * as pnn from 'portnn';

import { publish, runApp } from '../shared/app.js';

runApp(pnn).then(publish);
