// Every operator on the SIMD128 build.
import { operatorSuite } from './helpers/suite.mjs';

operatorSuite('simd', 1);
