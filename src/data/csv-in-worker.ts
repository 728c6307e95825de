// A streamed CSV table's blocks, parsed in a worker thread (csv-worker.ts) so that reading,
// tokenizing and encoding the next rows overlaps training on this thread. Blocks arrive by
// transfer (no copy) and go back once used, so at most SLOTS blocks exist per pass; the rows, their
// order and every error are those of parsing on this thread. A failed or abandoned pass ends its
// thread; a finished one is kept (unreferenced: it never holds the process open) for the next.
import { Worker, type ResourceLimits } from 'node:worker_threads';
import { ConfigError, ParseError } from '../errors.js';
import { encodedWidth, type CsvSchema } from './csv-schema.js';
import type { RowBlock } from './stream.js';

/** Bytes of encoded rows per block: small enough to keep in cache, large enough to make hand-offs rare. */
const BLOCK_BYTES = 1 << 20;
/** Blocks out at a time per pass: the one training reads, the next ones ready, one being filled. */
const SLOTS = 4;
/** Bytes of the file parsed between checks for a free slot. */
const SLICE = 1 << 18;
/** Idle parser threads kept for the next pass. */
const KEEP = 2;

/** The training thread's messages to the parser. */
export type ToParser = PassRequest | { kind: 'free'; id: number; x: ArrayBuffer; y: ArrayBuffer };
export interface PassRequest { kind: 'pass'; id: number; path: string; schema: CsvSchema; d: number; k: number; blockRows: number; slots: number; slice: number }
/** An error thrown in the parser, as plain data (a ParseError keeps its place in the file). */
export interface WorkerError { name: string; message: string; source?: string; line?: number; column?: number | string; offset?: number }
/** The parser's messages: a block's buffers (transferred), the end of the pass, or its error. */
export type FromParser =
  | { kind: 'block'; id: number; x: ArrayBuffer; y: ArrayBuffer; rows: number; first: number }
  | { kind: 'end'; id: number }
  | { kind: 'error'; id: number; error: WorkerError };

const idle: Worker[] = [];
let passes = 0;

function spawn(resourceLimits?: ResourceLimits): Worker {
  const here = import.meta.url;
  let worker: Worker;
  if (here.endsWith('.ts')) {
    // Run from source under tsx (tests, benchmarks): Node 20 does not carry a loader given with
    // --import into worker threads, so the thread registers tsx itself before loading the parser.
    const entry = new URL('./csv-worker.ts', here).href;
    const tsx = import.meta.resolve('tsx/esm/api');
    worker = new Worker(`import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`, { eval: true, resourceLimits });
  } else {
    worker = new Worker(new URL('./csv-worker.js', here), { resourceLimits });
  }
  worker.on('error', () => undefined); // reported to the pass under way; an idle thread's end is harmless
  return worker;
}

/** The error the parser threw, as the same type; anything else as a ParseError naming the file. */
function rebuild(e: WorkerError, path: string): Error {
  if (e.name === 'ParseError') return new ParseError(e.message, e.source, e.line, e.column, e.offset);
  if (e.name === 'ConfigError') return new ConfigError(e.message);
  return failed(path, e.message);
}

function failed(path: string, why: string): ParseError {
  return new ParseError(`${path}: the CSV parser's worker thread failed (${why})`, path);
}

/**
 * One pass over a CSV file's rows in a worker thread, as blocks (each valid until the next is asked
 * for). `resourceLimits` start a thread of its own with those limits (tests make one fail).
 */
export async function* csvBlocksInWorker(path: string, schema: CsvSchema, resourceLimits?: ResourceLimits): AsyncGenerator<RowBlock> {
  const d = encodedWidth(schema), k = schema.labels.length;
  const blockRows = Math.max(1, Math.min(4096, Math.floor(BLOCK_BYTES / (4 * (d + k)))));
  const id = passes++;
  const worker = resourceLimits ? spawn(resourceLimits) : (idle.pop() ?? spawn());
  type Event = FromParser | { kind: 'failed'; why: string };
  const inbox: Event[] = [];
  let wake: (() => void) | null = null;
  const deliver = (e: Event): void => {
    inbox.push(e);
    const w = wake;
    wake = null;
    w?.();
  };
  const onMessage = (m: FromParser): void => { if (m.id === id) deliver(m); };
  const onError = (e: Error): void => deliver({ kind: 'failed', why: e.message });
  const onExit = (code: number): void => deliver({ kind: 'failed', why: `it exited with code ${code}` });
  worker.on('message', onMessage).on('error', onError).on('exit', onExit);
  let ended = false;
  try {
    worker.postMessage({ kind: 'pass', id, path, schema, d, k, blockRows, slots: SLOTS, slice: SLICE } satisfies ToParser);
    for (;;) {
      if (inbox.length === 0) {
        // Referenced only while this thread waits for it: an abandoned pass never holds the process open.
        worker.ref();
        while (inbox.length === 0) await new Promise<void>((resolve) => { wake = resolve; });
        worker.unref();
            }
      const m = inbox.shift()!;
      if (m.kind === 'block') {
        yield { x: new Float32Array(m.x, 0, m.rows * d), y: new Float32Array(m.y, 0, m.rows * k), rows: m.rows, first: m.first };
        worker.postMessage({ kind: 'free', id, x: m.x, y: m.y } satisfies ToParser, [m.x, m.y]);
      } else if (m.kind === 'end') {
        ended = true;
        return;
      } else if (m.kind === 'error') {
        throw rebuild(m.error, path);
      } else {
        throw failed(path, m.why);
      }
    }
  } finally {
    worker.off('message', onMessage).off('error', onError).off('exit', onExit);
    worker.unref();
    if (ended && !resourceLimits && idle.length < KEEP) idle.push(worker);
    else void worker.terminate();
  }
}
