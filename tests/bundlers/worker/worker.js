// A module Worker that imports the installed package by path and posts its report.
import * as pnn from '../node_modules/portnn/index.js';

import { runApp } from '../shared/app.js';

runApp(pnn).then((result) => postMessage(result));
