// Type declarations of 'portnn/proxy' (src/proxy.js): the package run in a module Worker.

import type { Info, InitOptions } from './index.js';

export type OperatorClassName =
  | 'Convolution2D' | 'FullyConnected' | 'BatchMatMul' | 'MaxPooling2D' | 'AveragePooling2D'
  | 'GlobalAveragePooling' | 'Unary' | 'Binary' | 'Softmax' | 'Deconvolution2D' | 'Resize2D';

export interface ProxyOptions extends InitOptions {
  /** Move input arrays to the worker instead of copying them (they are detached here). */
  transfer?: boolean;
  /** Where src/proxy-worker.js is served, for tools that do not bundle workers (esbuild). */
  workerUrl?: string | URL;
}

/** An operator that lives in the proxy's worker: the class's methods, returning promises. */
export interface ProxyOperator {
  readonly className: OperatorClassName;
  /** The class's run() arguments (without `output`); resolves to a new Float32Array. */
  run(...args: unknown[]): Promise<Float32Array>;
  outputShape(...args: unknown[]): Promise<number[]>;
  dispose(): Promise<void>;
}

export interface PortnnProxy {
  info(): Promise<Info>;
  /** new <className>(...args) in the worker; rejects with the class's error. */
  create(className: OperatorClassName, ...args: unknown[]): Promise<ProxyOperator>;
  /** Terminates the runtime and the worker; pending calls reject. */
  terminate(): Promise<void>;
}

/** Starts a module Worker and runs init(options) in it. Browsers and Web Workers only. */
export function createProxy(options?: ProxyOptions): Promise<PortnnProxy>;
