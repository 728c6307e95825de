// Warnings: something the caller should know that is not an error (a faster backend could not
// load, a server reachable from other machines). The library never prints; it calls the handlers
// registered with onWarning, and the CLI's handler writes them to stderr. With no handler a
// warning goes nowhere, so a library user's stderr stays theirs.

export interface NablaWarning {
  /** A stable identifier: 'backend-fallback', 'playground-exposed', 'browser-not-opened', 'stream-over-budget'. */
  code: string;
  message: string;
}

export type WarningHandler = (warning: NablaWarning) => void;

const handlers = new Set<WarningHandler>();

/** Calls `handler` for every warning from now on; returns a function that removes it. */
export function onWarning(handler: WarningHandler): () => void {
  handlers.add(handler);
  return () => { handlers.delete(handler); };
}

/** Raises a warning (library code calls this instead of writing to stderr). */
export function warn(code: string, message: string): void {
  for (const h of handlers) h({ code, message });
}
