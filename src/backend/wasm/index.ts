// Registers the WASM SIMD backend. Importing this module is enough in Node (the kernels compile
// synchronously on first use); browsers should `await initWasmBackend()` first, because they limit
// synchronous compilation on the main thread.
// In Node (>= 20.16, two or more CPUs, NABLA_WASM_THREADS unset or not 1) the backend runs the
// shared-memory build of the kernels, and large GEMMs are split with one worker thread.
import { registerBackend } from '../registry.js';
import { wasmThreadsSupported } from './gemm-threads.js';
import {
  instantiateKernels, instantiateSharedKernels, kernelModule, kernelModuleSync, newSharedKernelMemory,
  sharedKernelModuleSync, wasmSimdSupported,
} from './module.js';
import { WasmBackend } from './wasm-backend.js';

export { WasmBackend, DEFAULT_THREAD_MIN_MNK } from './wasm-backend.js';
export { wasmThreadsSupported } from './gemm-threads.js';

let backend: WasmBackend | null = null;

/** The threaded backend over shared memory, or null where threads are off or fail to set up. */
function threadedBackend(): WasmBackend | null {
  if (!wasmThreadsSupported()) return null;
  try {
    const mod = sharedKernelModuleSync();
    return new WasmBackend(instantiateSharedKernels(mod, newSharedKernelMemory()), mod);
  } catch {
    return null;
  }
}

/** The WASM backend, compiling it synchronously if needed; null without WebAssembly SIMD. */
export function loadWasmBackend(): WasmBackend | null {
  if (backend) return backend;
  if (!wasmSimdSupported()) return null;
  backend = threadedBackend() ?? new WasmBackend(instantiateKernels(kernelModuleSync()));
  return backend;
}

/** Compiles the kernels asynchronously (for browsers); resolves to null without WebAssembly SIMD. */
export async function initWasmBackend(): Promise<WasmBackend | null> {
  if (backend) return backend;
  if (!wasmSimdSupported()) return null;
  backend = threadedBackend() ?? new WasmBackend(instantiateKernels(await kernelModule()));
  return backend;
}

registerBackend('wasm', loadWasmBackend);
