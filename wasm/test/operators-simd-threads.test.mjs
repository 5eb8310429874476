// Every operator on the SIMD128 + threads build, with a pool of 2 threads.
import { operatorSuite } from './helpers/suite.mjs';

operatorSuite('simd-threads', 2);
