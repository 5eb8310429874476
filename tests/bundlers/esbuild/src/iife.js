// The same app bundled in esbuild's default format (iife, a classic script, no import.meta):
// distPath relative to the page instead.
import * as pnn from 'portnn';

import { publish, runApp } from '../../shared/app.js';

runApp(pnn, { distPath: 'out/portnn/' }).then(publish);
