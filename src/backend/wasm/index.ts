// Registers the WASM SIMD backend. Importing this module is enough in Node (the kernels compile
// synchronously on first use); browsers should `await initWasmBackend()` first, because they limit
// synchronous compilation on the main thread.
// In Node (>= 20.16, two or more CPUs, NABLA_WASM_THREADS unset or not 1) large GEMMs are split with
// one worker thread over a shared-memory build of the same kernels.
import { registerBackend } from '../select.js';
import { wasmThreadsSupported } from './gemm-threads.js';
import {
  instantiateKernels, kernelModule, kernelModuleSync, sharedKernelModuleSync, wasmSimdSupported,
} from './kernel-module.js';
import { WasmBackend } from './wasm-backend.js';

let backend: WasmBackend | null = null;

/** The shared-memory build of the kernels where a worker thread can use it, else undefined. */
function sharedModule(): WebAssembly.Module | undefined {
  if (!wasmThreadsSupported()) return undefined;
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
  backend = new WasmBackend(instantiateKernels(await kernelModule()), sharedModule());
  return backend;
}

registerBackend('wasm', loadWasmBackend);
