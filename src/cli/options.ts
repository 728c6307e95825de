// Parsing of flags: a bad value is a one-line usage error naming the flag.
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UsageError } from './usage-error.js';

/** A file or folder the user named, or a one-line usage error saying which flag pointed nowhere. */
export function requirePath(path: string, flag: string): string {
  if (!existsSync(path)) throw new UsageError(`${flag} ${path}: no such file or folder`);
  return path;
}

/**
 * A file the command will write: checked before any work (training can take minutes), so that an
 * empty name, a missing or read-only folder, or a folder where the file should be fails at once.
 */
export function requireWritableFile(path: string, flag: string): string {
  if (path.trim() === '') throw new UsageError(`${flag} "${path}": an empty file name; name the file to write`);
  const dir = dirname(resolve(path));
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`${flag} ${path}: folder ${dir} does not exist`);
  if (existsSync(path) && statSync(path).isDirectory()) throw new UsageError(`${flag} ${path}: is a folder, not a file`);
  try { accessSync(dir, constants.W_OK); } catch { throw new UsageError(`${flag} ${path}: folder ${dir} is not writable`); }
  return path;
}

export function floatOption(v: string, flag: string, min = -Infinity, max = Infinity): number {
  const x = Number(v);
  if (v.trim() === '' || !Number.isFinite(x) || x < min || x > max) {
    throw new UsageError(`${flag} ${v}: expected a number${min > -Infinity ? ` >= ${min}` : ''}${max < Infinity ? ` and <= ${max}` : ''}`);
  }
  return x;
}

export function intOption(v: string, flag: string, min = -Infinity): number {
  const x = floatOption(v, flag, min);
  if (!Number.isInteger(x)) throw new UsageError(`${flag} ${v}: expected a whole number`);
  return x;
}

/** "64,32" -> [64, 32]; "" or "none" -> [] (no hidden layer: a linear model). */
export function listOption(v: string, flag: string): number[] {
  if (v.trim() === '' || v === 'none') return [];
  return v.split(',').map((s) => intOption(s.trim(), flag, 1));
}
