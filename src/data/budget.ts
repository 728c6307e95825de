// The memory budget: data held in memory may take at most this many bytes. Above it, a loader
// streams the data from its source when the source allows it, or refuses with what to do.
// Browser-safe (the default from the machine's memory is in ./node.js).
import { ConfigError } from '../errors.js';
import { warn } from '../warnings.js';

const UNITS: Record<string, number> = { '': 1, b: 1, k: 1024, kb: 1024, kib: 1024, m: 1024 ** 2, mb: 1024 ** 2, mib: 1024 ** 2, g: 1024 ** 3, gb: 1024 ** 3, gib: 1024 ** 3, t: 1024 ** 4, tb: 1024 ** 4, tib: 1024 ** 4 };

/** '512M', '1.5G', '2GiB', '1000000' (bytes) -> bytes. Units are powers of 1024. */
export function parseMemorySize(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/.exec(text);
  const unit = m ? UNITS[m[2].toLowerCase()] : undefined;
  if (!m || unit === undefined) throw new ConfigError(`memory size ${JSON.stringify(text)}: use a number with an optional unit K, M, G or T (powers of 1024), e.g. 512M or 2G`);
  const bytes = Math.floor(Number(m[1]) * unit);
  if (!(bytes > 0)) throw new ConfigError(`memory size ${JSON.stringify(text)} must be more than 0 bytes`);
  return bytes;
}

/** Bytes as a short human figure: 1.5 GiB, 300 MiB, 12 KiB. */
export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes, u = 0;
  while (v >= 1024 && u < units.length - 1) { v /= 1024; u++; }
  return u === 0 ? `${bytes} bytes` : `${v >= 100 ? v.toFixed(0) : v.toFixed(1)} ${units[u]}`;
}

/**
 * Bytes that n rows of d float32 features and k targets take in memory while training: the data
 * (split and scaled in place) and the per-row arrays of the split and the shuffle.
 */
export function inMemoryBytes(n: number, d: number, k: number): number {
  return n * (4 * (d + k) + 16);
}

/**
 * Whether data that takes `bytes` in memory must be streamed from its source instead of held:
 * true above the budget, and then the 'stream-over-budget' warning says so once (onWarning; the
 * CLI prints it). A loader that cannot stream refuses instead (checkBudget in ./stream-files.ts).
 */
export function needsStreaming(what: string, bytes: number, budget: number): boolean {
  if (bytes <= budget) return false;
  warn('stream-over-budget', `${what} needs ${formatBytes(bytes)} in memory, above the memory budget of ${formatBytes(budget)}: streaming it from disk each epoch (--max-memory raises the budget)`);
  return true;
}
