// Measure what the kernels really do: run a function with the backend wrapped so that every
// gemm call adds its 2·m·n·k floating-point operations to a counter. Counts, unlike timings,
// are the same on a busy machine, so lessons decide on them.
import { getBackend, setBackend } from '../backend/select.js';
import type { Backend } from '../backend/backend.js';

export function countGemmFlops<T>(fn: () => T): { result: T; flops: number } {
  const inner = getBackend();
  let flops = 0;
  const counting = new Proxy(inner, {
    get(target, prop, receiver) {
      if (prop === 'gemm') {
        return (...args: Parameters<Backend['gemm']>) => {
          flops += 2 * args[2] * args[3] * args[4];
          return target.gemm(...args);
        };
      }
      // A fused GEMM (a layer's product with its epilogue) is counted here once; the gemm it may
      // call inside runs on the unwrapped backend, so it is not counted twice.
      if (prop === 'gemmFused' && target.gemmFused) {
        const fused = target.gemmFused.bind(target);
        return (...args: Parameters<NonNullable<Backend['gemmFused']>>) => {
          flops += 2 * args[2] * args[3] * args[4];
          return fused(...args);
        };
      }
      const v = Reflect.get(target, prop, receiver) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
  setBackend(counting);
  try {
    return { result: fn(), flops };
  } finally {
    setBackend(inner);
  }
}
