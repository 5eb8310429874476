// Module heap accounting for leak checks.
import { requireRuntime } from '../../src/runtime.js';

/** Waits until the module heap in use stops changing (the threaded build's workers allocate asynchronously). */
export async function settle() {
  const rt = () => requireRuntime('heap check');
  for (let last = -1; last !== rt().heapInUse();) {
    last = rt().heapInUse();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
