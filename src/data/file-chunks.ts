// A file's bytes in chunks, read ahead and gunzipped on the way: what every streaming parser
// reads from. Node-only; the only imports are Node's and the error types, so that a parser's
// worker thread loads little.
import { closeSync, createReadStream, fstatSync, openSync, readSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { ConfigError, ParseError } from '../errors.js';

/** Bytes per read. */
export const CHUNK = 1 << 20;

export function openError(path: string, e: unknown): ParseError {
  const code = (e as NodeJS.ErrnoException).code ?? String(e);
  return new ParseError(`${path}: cannot read (${code})`, path);
}

/** The first bytes of a file (to sniff gzip and headers) and its size on disk. */
export function sniff(path: string, bytes: number): { head: Uint8Array; size: number } {
  let fd: number;
  try { fd = openSync(path, 'r'); } catch (e) { throw openError(path, e); }
  try {
    const head = new Uint8Array(bytes);
    const got = readSync(fd, head, 0, bytes, 0);
    return { head: head.subarray(0, got), size: fstatSync(fd).size };
  } finally { closeSync(fd); }
}

export function isGzipFile(path: string): boolean {
  const { head } = sniff(path, 2);
  return head.length === 2 && head[0] === 0x1f && head[1] === 0x8b;
}

/**
 * A file's bytes in chunks of about 1 MiB, decompressed on the way when the file is gzip. A plain
 * file is read into two reused buffers, the next chunk's read already under way (in libuv's
 * threads) while the caller parses this one; a chunk is valid only until the next one is asked
 * for (the parsers copy what they keep), and a pass over any size of file makes no garbage.
 */
export async function* fileChunks(path: string): AsyncGenerator<Uint8Array> {
  const gz = isGzipFile(path);
  if (!gz) {
    let fh: FileHandle;
    try { fh = await open(path, 'r'); } catch (e) { throw openError(path, e); }
    const bufs = [new Uint8Array(CHUNK), new Uint8Array(CHUNK)];
    let pos = 0, turn = 0;
    const readInto = (buf: Uint8Array) => {
      const p = fh.read(buf, 0, CHUNK, pos).then(({ bytesRead }) => { pos += bytesRead; return bytesRead; });
      p.catch(() => undefined); // awaited below; a pass abandoned early must not leave it unhandled
      return p;
    };
    let pending: Promise<number> | null = null;
    try {
      // Reads are chained (the next starts when this one has finished), so `pos` is always right.
      let bytesRead = await readInto(bufs[0]);
      while (bytesRead > 0) {
        const buf = bufs[turn];
        turn ^= 1;
        pending = readInto(bufs[turn]);
        yield buf.subarray(0, bytesRead);
        bytesRead = await pending;
        pending = null;
      }
    } catch (e) {
      throw e instanceof ParseError || e instanceof ConfigError ? e : new ParseError(`${path}: read failed (${(e as Error).message})`, path);
    } finally {
      if (pending) await pending.catch(() => undefined);
      await fh.close();
    }
    return;
  }
  const raw = createReadStream(path, { highWaterMark: CHUNK });
  const stream = raw.pipe(createGunzip({ chunkSize: CHUNK }));
  raw.on('error', (e) => stream.destroy(e));
  try {
    for await (const chunk of stream) yield chunk as Uint8Array;
  } catch (e) {
    if (e instanceof ParseError || e instanceof ConfigError) throw e;
    throw new ParseError(`${path}: gzip data is corrupt (${(e as Error).message})`, path);
  } finally {
    raw.destroy();
    stream.destroy();
  }
}
