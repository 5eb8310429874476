// Every operator on the scalar (MVP WebAssembly) build.
import { operatorSuite } from './helpers/suite.mjs';

operatorSuite('scalar', 1);
