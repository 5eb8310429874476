// The worker side of 'portnn/proxy' (src/proxy.js): loads the package in this worker and answers
// each message { id, handle, method, args } with { id, result } or { id, error }. Operators live
// here in a table of handles; results that are Float32Arrays are moved back, not copied.
import * as pnn from '../index.js';
import { CLASSES } from './proxy.js';

const operators = new Map();
let nextHandle = 1;

const methods = {
  init: (options) => pnn.init(options),
  info: () => pnn.info(),
  terminate: async () => {
    operators.clear();
    await pnn.terminate();
  },
  create: (className, ...args) => {
    if (!CLASSES.includes(className)) throw new TypeError(`portnn proxy: unknown operator class '${className}'`);
    const handle = nextHandle++;
    operators.set(handle, new pnn[className](...args));
    return handle;
  },
};
const operatorMethods = new Set(['run', 'outputShape', 'dispose']);

async function answer({ handle, method, args }) {
  if (handle === 0) {
    if (!Object.hasOwn(methods, method)) throw new TypeError(`portnn proxy: unknown call '${method}'`);
    return methods[method](...args);
  }
  const op = operators.get(handle);
  if (!op) throw new Error(`portnn proxy: operator ${handle} was disposed or never created`);
  if (!operatorMethods.has(method)) throw new TypeError(`portnn proxy: unknown method '${method}'`);
  const result = op[method](...args);
  if (method === 'dispose') operators.delete(handle);
  return result;
}

self.onmessage = async (e) => {
  const { id } = e.data;
  try {
    const result = await answer(e.data);
    const transfer = result instanceof Float32Array && result.buffer instanceof ArrayBuffer ? [result.buffer] : [];
    self.postMessage({ id, result }, transfer);
  } catch (err) {
    const error = err instanceof Error
      ? { name: err.name, message: err.message, status: err.status, code: err.code }
      : { name: 'Error', message: String(err) };
    self.postMessage({ id, error });
  }
};
