// Which backend runs the kernels. Choosing is a call: `await init({ backend })` (or setBackend).
// Without one, the first use picks the best backend that loads (native > wasm > js), unless
// NABLA_BACKEND names one. The loaders are known here, so no import order or side effect matters;
// registerBackend adds or replaces one (a custom backend, or a test's).
import type { Backend, BackendName } from './backend.js';
import { JsBackend } from './js-backend.js';
import { loadNativeBackend } from './native/index.js';
import { initWasmBackend, loadWasmBackend } from './wasm/index.js';
import { ConfigError } from '../errors.js';

type Loader = () => Backend | null;

const loaders = new Map<BackendName, Loader>([
  ['native', loadNativeBackend],
  ['wasm', loadWasmBackend],
  ['js', () => new JsBackend()],
]);
const loaded = new Map<BackendName, Backend | null>();
/** Why a backend's loader threw, for the error setBackend gives. */
const loadErrors = new Map<BackendName, string>();
let current: Backend | null = null;
const PREFERENCE: BackendName[] = ['native', 'wasm', 'js'];

/** Makes a backend available under a name (replacing the built-in loader); the loader returns null if it cannot run here. */
export function registerBackend(name: BackendName, loader: Loader): void {
  loaders.set(name, loader);
  loaded.delete(name);
  loadErrors.delete(name);
}

function load(name: BackendName): Backend | null {
  if (!loaded.has(name)) {
    const loader = loaders.get(name);
    let b: Backend | null = null;
    try {
      b = loader ? loader() : null;
    } catch (e) {
      loadErrors.set(name, `its loader threw: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
    }
    loaded.set(name, b);
  }
  return loaded.get(name) ?? null;
}

/** Names of the backends that load on this machine. */
export function availableBackends(): BackendName[] {
  return PREFERENCE.filter((n) => load(n) !== null);
}

function envChoice(): string | undefined {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  return env?.NABLA_BACKEND || undefined;
}

/** The backend in use (chosen on first call). */
export function getBackend(): Backend {
  if (current) return current;
  const wanted = envChoice();
  if (wanted) {
    if (!loaders.has(wanted as BackendName)) {
      throw new ConfigError(`NABLA_BACKEND=${wanted}: unknown backend; use one of ${[...loaders.keys()].join(', ')}`);
    }
    try {
      return setBackend(wanted as BackendName);
    } catch (e) {
      throw e instanceof ConfigError ? new ConfigError(`NABLA_BACKEND=${wanted}: ${e.message}`) : e;
    }
  }
  for (const n of PREFERENCE) {
    const b = load(n);
    if (b) { current = b; return b; }
  }
  throw new ConfigError('no backend could be loaded');
}

/** Switch backends by name ('js' | 'wasm' | 'native') or to a Backend object. */
export function setBackend(choice: BackendName | Backend): Backend {
  if (typeof choice !== 'string') { current = choice; return choice; }
  if (!loaders.has(choice)) throw new ConfigError(`unknown backend '${choice}': use one of ${[...loaders.keys()].join(', ')}`);
  const b = load(choice);
  if (!b) {
    const why = loadErrors.get(choice);
    throw new ConfigError(`backend '${choice}' is not available on this machine (${why ? `${why}; ` : ''}available: ${availableBackends().join(', ')})`);
  }
  current = b;
  return b;
}

export interface InitOptions {
  /**
   * 'auto' (default): NABLA_BACKEND if set, else the best that loads (native > wasm > js);
   * a name: that backend or a ConfigError saying why not; or a Backend object to use.
   */
  backend?: BackendName | 'auto' | Backend;
}

/**
 * Chooses and initialises the backend, the same way in Node and in a browser: the WASM kernels
 * are compiled asynchronously (a page's main thread may not compile them synchronously). Resolves
 * to the backend in use; backendName() reports it afterwards.
 */
export async function init(opts: InitOptions = {}): Promise<Backend> {
  const choice = opts.backend ?? 'auto';
  if (typeof choice !== 'string') return setBackend(choice);
  const name = choice === 'auto' ? envChoice() : choice;
  if (name === undefined) {
    // Auto: compile WASM ahead only when native will not be used.
    if (load('native')) return setBackend('native');
    await compileWasm();
    current = null;
    return getBackend();
  }
  if (name === 'wasm') await compileWasm();
  try {
    return setBackend(name as BackendName);
  } catch (e) {
    throw e instanceof ConfigError && choice === 'auto' ? new ConfigError(`NABLA_BACKEND=${name}: ${e.message}`) : e;
  }
}

/** Compiles the built-in WASM kernels asynchronously, remembering why they could not load. */
async function compileWasm(): Promise<void> {
  if (loaders.get('wasm') !== loadWasmBackend || loaded.get('wasm')) return;
  try {
    if (await initWasmBackend()) loaded.delete('wasm'); // the next load() finds the compiled module
  } catch (e) {
    loadErrors.set('wasm', `compiling its kernels failed: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
    loaded.set('wasm', null);
  }
}

/** The name of the backend in use. */
export function backendName(): string {
  return getBackend().name;
}
