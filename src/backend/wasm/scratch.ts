// The backend's own region of WASM linear memory. Every kernel call lays its inputs, outputs and
// workspace out from the heap base, so memory is reused across calls: it only grows to the largest
// single call seen (bounded by MAX_SCRATCH_BYTES; larger calls fall back to the JS backend).
/** Bytes in a WebAssembly memory page (the unit memory.grow takes). */
export const PAGE = 65536;
const ALIGN = 64; // cache-line aligned regions keep the SIMD loads aligned too

/** x rounded up to a multiple of `to` (default: the 64-byte region alignment). */
export const alignUp = (x: number, to = ALIGN): number => Math.ceil(x / to) * to;

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
    let at = alignUp(this.base);
    for (const s of sizes) {
      offsets.push(at);
      at += alignUp(s);
    }
    return this.reserve(at) ? offsets : null;
  }

  /**
   * `count` regions of `bytes` each, their byte offsets written to `out` (reused by the caller, so
   * the hot elementwise calls allocate nothing); false when that exceeds MAX_SCRATCH_BYTES.
   */
  layoutEqual(count: number, bytes: number, out: number[]): boolean {
    const step = alignUp(bytes);
    let at = alignUp(this.base);
    for (let i = 0; i < count; i++, at += step) out[i] = at;
    return this.reserve(at);
  }

  /** Grows memory to hold everything below byte `end`; false when the scratch would be too large. */
  private reserve(end: number): boolean {
    if (end - this.base > MAX_SCRATCH_BYTES) return false;
    const have = this.memory.buffer.byteLength;
    if (end > have) this.memory.grow(Math.ceil((end - have) / PAGE));
    return true;
  }

  /** A Float32Array over all of linear memory (recreated after growth detaches the old buffer). */
  get f32(): Float32Array {
    if (this.f32view.buffer !== this.memory.buffer) this.f32view = new Float32Array(this.memory.buffer);
    return this.f32view;
  }
}
