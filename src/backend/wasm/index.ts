// Registers the WASM SIMD backend. Importing this module is enough in Node (the kernels compile
// synchronously on first use); browsers should `await initWasmBackend()` first, because they limit
// synchronous compilation on the main thread.
import { registerBackend } from '../registry.js';
import { instantiateKernels, kernelModule, kernelModuleSync, wasmSimdSupported } from './module.js';
import { WasmBackend } from './wasm-backend.js';

export { WasmBackend } from './wasm-backend.js';

let backend: WasmBackend | null = null;

/** The WASM backend, compiling it synchronously if needed; null without WebAssembly SIMD. */
export function loadWasmBackend(): WasmBackend | null {
  if (backend) return backend;
  if (!wasmSimdSupported()) return null;
  backend = new WasmBackend(instantiateKernels(kernelModuleSync()));
  return backend;
}

/** Compiles the kernels asynchronously (for browsers); resolves to null without WebAssembly SIMD. */
export async function initWasmBackend(): Promise<WasmBackend | null> {
  if (backend) return backend;
  if (!wasmSimdSupported()) return null;
  backend = new WasmBackend(instantiateKernels(await kernelModule()));
  return backend;
}

registerBackend('wasm', loadWasmBackend);
