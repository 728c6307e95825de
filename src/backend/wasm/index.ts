// The WASM SIMD backend's loaders. In Node the kernels can compile synchronously on first use;
// browsers limit synchronous compilation on the main thread, so there `await init()` (select.ts)
// compiles them asynchronously first.
// Large GEMMs are split with one worker thread over a shared-memory build of the same kernels in Node
// (>= 20.16, two or more CPUs, NABLA_WASM_THREADS unset or not 1) and in cross-origin isolated pages.
import { wasmThreadsUnavailable } from './gemm-threads.js';
import {
  instantiateKernels, kernelModule, kernelModuleSync, sharedKernelModule, sharedKernelModuleSync, wasmSimdSupported,
} from './kernel-module.js';
import { WasmBackend } from './wasm-backend.js';
import { nodeProcess } from '../node-process.js';
import { warn } from '../../warnings.js';

let backend: WasmBackend | null = null;

/**
 * Whether the shared-memory build can be used here; where it cannot, a browser page is told why
 * (through onWarning) instead of silently running GEMMs on one core.
 */
function threadsHere(): boolean {
  const why = wasmThreadsUnavailable();
  if (why && !nodeProcess() && why !== 'one CPU') {
    warn('wasm-single-thread', `WASM backend: GEMMs run on one thread because ${why}`);
  }
  return why === null;
}

/** The shared-memory build of the kernels where a worker thread can use it, else undefined. */
function sharedModule(): WebAssembly.Module | undefined {
  if (!threadsHere()) return undefined;
  try {
    return sharedKernelModuleSync();
  } catch {
    return undefined;
  }
}

/** The WASM backend, compiling it synchronously if needed; null without WebAssembly SIMD. */
export function loadWasmBackend(): WasmBackend | null {
  if (backend) return backend;
  if (!wasmSimdSupported()) return null;
  backend = new WasmBackend(instantiateKernels(kernelModuleSync()), sharedModule());
  return backend;
}

/** Compiles the kernels asynchronously (for browsers); resolves to null without WebAssembly SIMD. */
export async function initWasmBackend(): Promise<WasmBackend | null> {
  if (backend) return backend;
  if (!wasmSimdSupported()) return null;
  const plain = await kernelModule();
  let shared: WebAssembly.Module | undefined;
  if (threadsHere()) shared = await sharedKernelModule().catch(() => undefined);
  if (backend) return backend;
  backend = new WasmBackend(instantiateKernels(plain), shared);
  // A page's worker only starts once the main thread returns to its event loop, which a synchronous
  // training loop never does: start it here, where the caller awaits anyway.
  if (shared && !nodeProcess() && !(await backend.startThreads())) {
    warn('wasm-single-thread', 'WASM backend: GEMMs run on one thread because the worker thread did not start');
  }
  return backend;
}
