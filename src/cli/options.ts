// Parsing of numeric flags: a bad value is a one-line usage error naming the flag.
import { existsSync } from 'node:fs';
import { UsageError } from './usage-error.js';

/** A file or folder the user named, or a one-line usage error saying which flag pointed nowhere. */
export function requirePath(path: string, flag: string): string {
  if (!existsSync(path)) throw new UsageError(`${flag} ${path}: no such file or folder`);
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
