// The native backend's loader: prebuilds/<platform>-<arch>/nabla.node (node-gyp-build's layout),
// built from native/ by scripts/build-native.mjs and shipped in the package for linux-x64. One
// binary holds the AVX-512, AVX2 and portable kernels; the addon picks the best the CPU runs when
// it loads. Node only: in a browser, on a platform without a prebuilt addon, or when the addon is
// stale or fails to load, the loader returns null and the selection falls back to WASM or JS, after
// one warning saying why (see warnings.ts; the CLI prints it).
//
// No static import of a Node module here, so browser bundles can include this file: the addon is
// loaded through process.getBuiltinModule('node:module') (Node ≥ 20.16).
import { nodeProcess, nodeWithBuiltins } from '../node-process.js';
import { warn } from '../../warnings.js';
import { NATIVE_ABI_VERSION, type NativeAddon } from './addon.js';
import { NativeBackend } from './native-backend.js';
import { defaultCacheDir, machineKey, tuneNative } from './tune.js';

export { NativeBackend } from './native-backend.js';

/** The platforms whose addon the published package carries. */
const SHIPPED = ['linux-x64'];

/** The addon for this platform, relative to this file (src/ and dist/backend/native/ both sit three levels below the package root). */
const addonPath = (platform: string) => `../../../prebuilds/${platform}/nabla.node`;

type LoadResult = { addon: NativeAddon; reason?: undefined } | { addon: null; reason: string };
let cached: LoadResult | undefined;
let warned = false;

function tryLoad(): LoadResult {
  const proc = nodeWithBuiltins();
  if (!proc) {
    const node = nodeProcess()?.versions.node;
    return { addon: null, reason: node ? `Node ${node} lacks process.getBuiltinModule (needs >= 20.16)` : 'not running in Node' };
  }
  const { createRequire } = proc.getBuiltinModule('node:module');
  const require = createRequire(import.meta.url);
  const override = proc.env.NABLA_NATIVE_ADDON;
  // An override is a file path: a relative one is taken from the working directory (require alone
  // would resolve it from this module's folder, or look it up as a package name).
  const platform = `${proc.platform}-${proc.arch}`;
  const path = override ? proc.getBuiltinModule('node:path').resolve(proc.cwd(), override) : addonPath(platform);
  let addon: NativeAddon;
  try {
    addon = require(path) as NativeAddon;
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'MODULE_NOT_FOUND') {
      if (override) return { addon: null, reason: `NABLA_NATIVE_ADDON=${override}: ${path} not found` };
      return {
        addon: null,
        reason: SHIPPED.includes(platform)
          ? `prebuilds/${platform}/nabla.node is missing: a broken install, or in a clone \`npm run build\` builds it`
          : `no prebuilt addon for ${platform}: the package ships ${SHIPPED.join(', ')}, and in a clone \`npm run build\` compiles one`,
      };
    }
    const shown = override ? path : `prebuilds/${platform}/nabla.node`;
    return { addon: null, reason: `loading ${shown} failed: ${err.message.split('\n')[0]}` };
  }
  if (addon.abiVersion !== NATIVE_ABI_VERSION) {
    return { addon: null, reason: `stale build (addon ABI ${addon.abiVersion}, expected ${NATIVE_ABI_VERSION}); rebuild with \`npm run build\`` };
  }
  // NABLA_NATIVE_ISA pins an instruction set (tests, or a CPU whose detection misleads).
  const isa = proc.env.NABLA_NATIVE_ISA;
  if (isa && !addon.setIsa(isa)) return { addon: null, reason: `NABLA_NATIVE_ISA=${isa} is not supported here` };
  // NABLA_NATIVE_THREADS sets the GEMM threads (default: up to 2 on machines that have them,
  // then as many as the autotune measures to pay).
  const pinned = Number(proc.env.NABLA_NATIVE_THREADS);
  const pinThreads = proc.env.NABLA_NATIVE_THREADS !== undefined && Number.isInteger(pinned) && pinned >= 1 ? pinned : undefined;
  addon.setThreads(pinThreads ?? Math.min(2, addon.hardwareThreads || 1));
  // Register tile, cache blocking and threads for this CPU, measured once and cached on disk
  // (tune.ts). NABLA_NATIVE_TUNE=0 keeps the built-in defaults, =refresh measures again.
  const tune = proc.env.NABLA_NATIVE_TUNE;
  if (tune !== '0') {
    try {
      tuneNative(addon, machineKey(addon), {
        cacheDir: defaultCacheDir(proc.env), pinIsa: Boolean(isa), pinThreads, refresh: tune === 'refresh',
      });
    } catch (e) {
      warn('backend-fallback', `native GEMM autotune failed (${(e as Error).message}); using the built-in kernel choice`);
    }
  }
  return { addon };
}

/** The raw addon, or null with the reason it could not be loaded. Loads once. */
export function loadNativeAddon(): LoadResult {
  cached ??= tryLoad();
  return cached;
}

/** The native backend, or null (after one warning) if the addon cannot be used here. */
export function loadNativeBackend(): NativeBackend | null {
  const r = loadNativeAddon();
  if (r.addon) return new NativeBackend(r.addon);
  // Silent in browsers, where native was never an option.
  const proc = nodeProcess();
  if (!warned && proc) {
    warned = true;
    warn('backend-fallback', `native backend unavailable (${r.reason}); using wasm or js`);
  }
  return null;
}
