// Node's `process` for the backend modules that browser bundles also include: they reach Node's
// built-in modules through process.getBuiltinModule (Node >= 20.16) instead of a static import.

/** Node's process object, or undefined outside Node (a browser, or a bundler's process shim). */
export function nodeProcess(): NodeJS.Process | undefined {
  const p = (globalThis as { process?: NodeJS.Process }).process;
  return p?.versions?.node ? p : undefined;
}

/** Node's process object where it has process.getBuiltinModule (Node >= 20.16), else undefined. */
export function nodeWithBuiltins(): NodeJS.Process | undefined {
  const p = nodeProcess();
  return typeof p?.getBuiltinModule === 'function' ? p : undefined;
}
