// Errors the CLI reports as one line with exit code 2 (bad input, not a bug in nabla).
import { NablaError } from '../index.js';

export class UsageError extends NablaError {
  override name = 'UsageError';
}

/** Exit code 2 and one readable line for any typed nabla error; a stack only with --verbose. */
export function reportAndExit(err: unknown, verbose: boolean): never {
  const e = err instanceof Error ? err : new Error(String(err));
  const expected = e instanceof NablaError || (e as NodeJS.ErrnoException).code !== undefined;
  const line = `nabla: ${e.message.split('\n')[0]}`;
  process.stderr.write(`${line}\n`);
  if (verbose) process.stderr.write(`${e.stack ?? ''}\n`);
  process.exit(expected ? 2 : 1);
}
