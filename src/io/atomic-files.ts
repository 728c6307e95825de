// Model files on disk (Node): writes that leave either the old file or the complete new one, never a
// partial file (writeFileAtomic), and saveModel / loadModel on top of them.
import { closeSync, fsyncSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { ParseError } from '../errors.js';
import type { Module } from '../nn/module.js';
import { deserializeModel, serializeModel, type ModelFile, type SaveOptions } from './model-file.js';

export interface AtomicWriteOptions {
  /** Test hook: runs after the temp file is complete, before the rename. */
  beforeRename?: (tempPath: string) => void;
}

/**
 * Write bytes so that `path` is either its old content or the complete new content, never a
 * partial file: temp file in the same directory (same filesystem), fsync, then rename over.
 */
export function writeFileAtomic(path: string, bytes: Uint8Array, opts: AtomicWriteOptions = {}): void {
  const dir = dirname(path);
  // Every attempt, not only a successful one, clears the temp files of writers that were killed
  // mid-write: a run killed during its own first write then leaves one orphan, never a pile.
  removeOrphans(dir, basename(path));
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}.tmp`);
  let fd: number | null = openSync(tmp, 'wx');
  try {
    let off = 0;
    while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
    fsyncSync(fd);
    closeSync(fd);
    fd = null;
    opts.beforeRename?.(tmp);
    renameSync(tmp, path);
  } catch (e) {
    if (fd !== null) closeSync(fd);
    rmSync(tmp, { force: true });
    throw e;
  }
  // Make the rename itself durable where the platform allows syncing a directory.
  try { const d = openSync(dir, 'r'); try { fsyncSync(d); } finally { closeSync(d); } } catch { /* not supported (e.g. Windows) */ }
}

function isAlive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch (e) { return (e as NodeJS.ErrnoException).code === 'EPERM'; }
}

/** Temp files left by writers of the same target that were killed mid-write (their pid is gone). */
function removeOrphans(dir: string, base: string): void {
  const prefix = `.${base}.`;
  let names: string[];
  try { names = readdirSync(dir); } catch { return; }
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith('.tmp')) continue;
    const pid = Number(name.slice(prefix.length).split('.')[0]);
    if (Number.isInteger(pid) && pid !== process.pid && !isAlive(pid)) rmSync(join(dir, name), { force: true });
  }
}

/** Save a model (and optionally optimizer state, history, meta) to one file, atomically. */
export function saveModel(path: string, model: Module, opts: SaveOptions = {}): void {
  writeFileAtomic(path, serializeModel(model, opts));
}

/** Load a model file; errors name the path. */
export function loadModel(path: string): ModelFile {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new ParseError(`${path}: cannot read the model file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, path);
  }
  return deserializeModel(bytes, path);
}

/** A ModelCheckpoint writer that writes each checkpoint atomically. */
export const atomicCheckpointWriter = (path: string, bytes: Uint8Array): void => writeFileAtomic(path, bytes);
