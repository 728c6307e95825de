// The CSV parser's worker thread (started by csv-in-worker.ts): reads, tokenizes and encodes a
// file's rows into blocks while the training thread trains, and hands each block's buffers over by
// transfer, without a copy. At most `slots` blocks are out at a time (the training thread sends
// each one back when it is done with it, to be filled again), so a pass holds a bounded number of
// blocks whatever the file's size, and makes no garbage. One pass at a time; the thread is reused.
import { parentPort } from 'node:worker_threads';
import { BlockWriter } from './block-writer.js';
import { encodeCsvBlocks } from './csv-blocks.js';
import type { FromParser, ToParser, PassRequest, WorkerError } from './csv-in-worker.js';

const port = parentPort!;

/** The pass under way: its writer, and the blocks out at the training thread. */
let current: { id: number; writer: BlockWriter; out: number; wake: (() => void) | null } | null = null;

port.on('message', (m: ToParser) => {
  if (m.kind === 'pass') { void run(m); return; }
  // A block's buffers come back; those of a pass that has ended are dropped.
  const p = current;
  if (!p || m.id !== p.id) return;
  p.writer.reuse(new Float32Array(m.x), new Float32Array(m.y));
  p.out--;
  const wake = p.wake;
  p.wake = null;
  wake?.();
});

function post(m: FromParser, transfer: ArrayBuffer[] = []): void {
  port.postMessage(m, transfer);
}

function describe(e: unknown): WorkerError {
  const err = e as { name?: unknown; message?: unknown; source?: unknown; line?: unknown; column?: unknown; offset?: unknown };
  const opt = <T>(v: unknown, type: string): T | undefined => (typeof v === type ? (v as T) : undefined);
  return {
    name: opt<string>(err?.name, 'string') ?? 'Error',
    message: opt<string>(err?.message, 'string') ?? String(e),
    source: opt<string>(err?.source, 'string'),
    line: opt<number>(err?.line, 'number'),
    column: typeof err?.column === 'number' || typeof err?.column === 'string' ? err.column : undefined,
    offset: opt<number>(err?.offset, 'number'),
  };
}

async function run(m: PassRequest): Promise<void> {
  const writer = new BlockWriter(m.d, m.k, m.blockRows, false);
  const p = { id: m.id, writer, out: 0, wake: null as (() => void) | null };
  current = p;
  try {
    for await (const blocks of encodeCsvBlocks(m.path, m.schema, writer, m.slice)) {
      for (const b of blocks) {
        const x = b.x.buffer as ArrayBuffer, y = b.y.buffer as ArrayBuffer;
        post({ kind: 'block', id: m.id, x, y, rows: b.rows, first: b.first }, [x, y]);
        p.out++;
      }
      // Bounded: read on only when the training thread has sent blocks back.
      while (p.out >= m.slots) await new Promise<void>((resolve) => { p.wake = resolve; });
    }
    post({ kind: 'end', id: m.id });
  } catch (e) {
    post({ kind: 'error', id: m.id, error: describe(e) });
  } finally {
    if (current === p) current = null;
  }
}
