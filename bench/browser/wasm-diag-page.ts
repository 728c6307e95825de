// The page of bench/browser/wasm-diag-run.ts: nabla's browser build, init({ backend: 'wasm' }) as a
// user calls it, then wasm-diag.ts's measurements (or a stretch of MLP steps to profile).
import { getBackend, init } from '../../src/index.js';
import type { WasmBackend } from '../../src/backend/wasm/wasm-backend.js';
import { diagnose, mlpSteps, type DiagRow } from './wasm-diag.js';

declare global {
  interface Window {
    wasmDiag: { diagnose(quick: boolean): Promise<DiagRow[]>; steps(ms: number, threads: boolean): Promise<number> };
  }
}

async function backend(): Promise<{ be: WasmBackend; initMs: number }> {
  const t0 = performance.now();
  await init({ backend: 'wasm' });
  return { be: getBackend() as WasmBackend, initMs: performance.now() - t0 };
}

window.wasmDiag = {
  async diagnose(quick) {
    const { be, initMs } = await backend();
    return [{ what: `init({ backend: 'wasm' }) ${be.threadsReady ? 'worker up' : 'no worker'}`, ms: initMs }, ...diagnose(be, quick)];
  },
  async steps(ms, threads) {
    const { be } = await backend();
    return mlpSteps(be, ms, threads);
  },
};
document.body.dataset.ready = 'true';
