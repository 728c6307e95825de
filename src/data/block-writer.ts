// Encoded rows collected into fixed-size blocks (the sources' side of RowBlock): the streaming
// loaders write rows in place and hand out whole blocks. Browser-safe, no imports at run time.
import type { RowBlock } from './stream.js';

/**
 * Collects encoded rows into fixed-size blocks (the sources' side of RowBlock). Blocks are
 * recycled: those handed out by take() are reused once take() is called again, so a consumer
 * must be done with a block before it asks its source for the next one (the loops here are).
 */
export class BlockWriter {
  private x: Float32Array;
  private y: Float32Array;
  private rows = 0;
  private first = 0;
  private readonly done: RowBlock[] = [];
  private readonly free: [Float32Array, Float32Array][] = [];
  private lent: RowBlock[] = [];

  /**
   * With `recycle` off, take() keeps no claim on the blocks it hands out (they may be transferred to
   * another thread), and buffers come back through reuse().
   */
  constructor(readonly d: number, readonly k: number, readonly blockRows = 4096, private readonly recycle = true) {
    this.x = new Float32Array(blockRows * d);
    this.y = new Float32Array(blockRows * k);
  }

  /** A block's whole buffers (blockRows rows), handed back to be filled again. */
  reuse(x: Float32Array, y: Float32Array): void {
    this.free.push([x, y]);
  }

  /** Where the next row goes: write x at xs[xOffset..] and y at ys[yOffset..], then commit(). */
  get xOffset(): number { return this.rows * this.d; }
  get yOffset(): number { return this.rows * this.k; }
  get xs(): Float32Array { return this.x; }
  get ys(): Float32Array { return this.y; }

  commit(): void {
    if (++this.rows === this.blockRows) this.close();
  }

  /** How many of `rows` rows fit in the current block (at least 1): write them, then commitRows. */
  room(rows: number): number {
    return Math.min(rows, this.blockRows - this.rows);
  }

  /** Commit n rows written at xOffset / yOffset (n <= room(n)). */
  commitRows(n: number): void {
    this.rows += n;
    if (this.rows === this.blockRows) this.close();
  }

  private close(): void {
    if (this.rows === 0) return;
    this.done.push({ x: this.x.subarray(0, this.rows * this.d), y: this.y.subarray(0, this.rows * this.k), rows: this.rows, first: this.first });
    this.first += this.rows;
    this.rows = 0;
    const next = this.free.pop();
    this.x = next ? next[0] : new Float32Array(this.blockRows * this.d);
    this.y = next ? next[1] : new Float32Array(this.blockRows * this.k);
  }

  /** Full blocks so far (and, at the end, the last partial one); the previous ones are recycled. */
  take(end = false): RowBlock[] {
    if (this.recycle) for (const b of this.lent) {
      if (b.rows === this.blockRows) this.free.push([new Float32Array(b.x.buffer, b.x.byteOffset, this.blockRows * this.d), new Float32Array(b.y.buffer, b.y.byteOffset, this.blockRows * this.k)]);
    }
    if (end) this.close();
    this.lent = this.done.splice(0, this.done.length);
    return this.lent;
  }
}
