// Compiles the embedded kernel module. No `fs`: the bytes are a generated base64 string, so the same
// code runs from source, from dist/ and in a browser bundle.
import {
  KERNELS_SHARED_MAX_PAGES, KERNELS_SHARED_WASM_BASE64, KERNELS_WASM_BASE64,
} from './kernels-binary.generated.js';

/** The exports of src/backend/wasm/assembly/kernels.as, as the host calls them. */
export interface KernelExports {
  readonly memory: WebAssembly.Memory;
  heapBase(): number;
  [kernel: string]: unknown;
}

function decodeBase64(s: string): Uint8Array<ArrayBuffer> {
  const g = globalThis as { Buffer?: { from(s: string, enc: string): Uint8Array }; atob?: (s: string) => string };
  if (g.Buffer) return new Uint8Array(g.Buffer.from(s, 'base64')); // copies into its own ArrayBuffer
  const bin = g.atob!(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

// The smallest module using a v128 instruction (f32x4.add); validates only where SIMD is supported.
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 7, 1, 96, 2, 123, 123, 1, 123, 3, 2, 1, 0,
  10, 11, 1, 9, 0, 32, 0, 32, 1, 0xfd, 0xe4, 0x01, 11,
]);

/** Whether this engine has WebAssembly with 128-bit SIMD. */
export function wasmSimdSupported(): boolean {
  return typeof WebAssembly === 'object' && WebAssembly.validate(SIMD_PROBE);
}

let compiled: WebAssembly.Module | null = null;

/** Synchronous compile (fine in Node; browsers limit sync compiles of large modules on the main thread). */
export function kernelModuleSync(): WebAssembly.Module {
  compiled ??= new WebAssembly.Module(decodeBase64(KERNELS_WASM_BASE64));
  return compiled;
}

/** Asynchronous compile for browsers; later sync calls reuse the result. */
export async function kernelModule(): Promise<WebAssembly.Module> {
  compiled ??= await WebAssembly.compile(decodeBase64(KERNELS_WASM_BASE64));
  return compiled;
}

export function instantiateKernels(mod: WebAssembly.Module): KernelExports {
  return new WebAssembly.Instance(mod, {}).exports as unknown as KernelExports;
}

let compiledShared: WebAssembly.Module | null = null;

/**
 * The same kernels built over an imported shared memory (for the threaded GEMM in Node), compiled
 * synchronously; instantiate it in each thread with `instantiateSharedKernels`.
 */
export function sharedKernelModuleSync(): WebAssembly.Module {
  compiledShared ??= new WebAssembly.Module(decodeBase64(KERNELS_SHARED_WASM_BASE64));
  return compiledShared;
}

/** Asynchronous compile of the shared-memory build (browsers); later sync calls reuse the result. */
export async function sharedKernelModule(): Promise<WebAssembly.Module> {
  compiledShared ??= await WebAssembly.compile(decodeBase64(KERNELS_SHARED_WASM_BASE64));
  return compiledShared;
}

/** A fresh shared memory of the size the shared kernel build declares (grown on demand). */
export function newSharedKernelMemory(): WebAssembly.Memory {
  return new WebAssembly.Memory({ initial: 1, maximum: KERNELS_SHARED_MAX_PAGES, shared: true });
}

export function instantiateSharedKernels(mod: WebAssembly.Module, memory: WebAssembly.Memory): KernelExports {
  return new WebAssembly.Instance(mod, { env: { memory } }).exports as unknown as KernelExports;
}
