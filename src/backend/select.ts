// Which backend runs the kernels. Faster backends register a loader; the first call picks the
// best one that loads (native > wasm > js) unless NABLA_BACKEND or setBackend() says otherwise.
import type { Backend, BackendName } from './backend.js';
import { JsBackend } from './js-backend.js';
import { ConfigError } from '../errors.js';

type Loader = () => Backend | null;

const loaders = new Map<BackendName, Loader>([['js', () => new JsBackend()]]);
const loaded = new Map<BackendName, Backend | null>();
/** Why a backend's loader threw, for the error setBackend gives. */
const loadErrors = new Map<BackendName, string>();
let current: Backend | null = null;
const PREFERENCE: BackendName[] = ['native', 'wasm', 'js'];

/** Called by a backend module to make itself available; the loader returns null if it cannot run here. */
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

/** The name of the backend in use. */
export function backendName(): string {
  return getBackend().name;
}
