// The backend's own region of WASM linear memory. Every kernel call lays its inputs, outputs and
// workspace out from the heap base, so memory is reused across calls: it only grows to the largest
// single call seen (bounded by MAX_SCRATCH_BYTES; larger calls fall back to the JS backend).
const PAGE = 65536;
const ALIGN = 64; // cache-line aligned regions keep the SIMD loads aligned too

/** Calls needing more scratch than this run on the JS backend instead of growing memory further. */
export const MAX_SCRATCH_BYTES = 1 << 30;

export class Scratch {
  private f32view: Float32Array;

  constructor(private readonly memory: WebAssembly.Memory, private readonly base: number) {
    this.f32view = new Float32Array(memory.buffer);
  }

  /**
   * Byte offsets for regions of the given sizes (in bytes), growing memory if needed;
   * null when the total exceeds MAX_SCRATCH_BYTES.
   */
  layout(sizes: readonly number[]): number[] | null {
    const offsets: number[] = [];
    let at = Math.ceil(this.base / ALIGN) * ALIGN;
    for (const s of sizes) {
      offsets.push(at);
      at += Math.ceil(s / ALIGN) * ALIGN;
    }
    if (at - this.base > MAX_SCRATCH_BYTES) return null;
    const have = this.memory.buffer.byteLength;
    if (at > have) this.memory.grow(Math.ceil((at - have) / PAGE));
    return offsets;
  }

  /** A Float32Array over all of linear memory (recreated after growth detaches the old buffer). */
  get f32(): Float32Array {
    if (this.f32view.buffer !== this.memory.buffer) this.f32view = new Float32Array(this.memory.buffer);
    return this.f32view;
  }
}
