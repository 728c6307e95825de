// The browser benchmark's page script, bundled by bench/browser/run.ts with esbuild into page.js:
// nabla's browser build (the public entry, WASM kernels compiled by init()) runs the same
// workloads as in Node (bench/workloads/nabla.ts), and with peers, jax-js (its ES modules) and
// TensorFlow.js (its prebuilt browser bundles) run theirs (bench/peers/*-workloads.mjs) in the
// same page, one system after the other. run.ts calls window.nablaBench.run() and reads the result.
import { init, onWarning, type NablaWarning } from '../../src/index.js';
import { runNabla } from '../workloads/nabla.js';
import { GEMMS, MLP, SMALL, type PeerConfig } from '../workloads/spec.js';
import { syntheticImages, type ImageData } from '../workloads/synthetic.js';
// @ts-expect-error: plain .mjs shared with the Node peers, no declarations
import { jaxWorkloads } from '../peers/jax-workloads.mjs';
// @ts-expect-error: plain .mjs shared with the Node peers, no declarations
import { tfjsWorkloads } from '../peers/tfjs-workloads.mjs';
import { oneHotImages } from '../peers/workloads.mjs';

export interface PageRequest {
  config: PeerConfig;
  /** The server has Fashion-MNIST under /data/ (else random pixels). */
  data: boolean;
  /** Run jax-js and TensorFlow.js too (served under /peers/). */
  peers: boolean;
  /** Only the systems with these names (e.g. ['nabla wasm', 'jax-js wasm']); all when absent. */
  only?: string[];
}

export interface PageSystem {
  version?: string;
  figures: Record<string, number>;
  notes: Record<string, string>;
  /** How this system ran here (threads, device), in words. */
  config?: string;
}

export interface PageEnv {
  userAgent: string;
  crossOriginIsolated: boolean;
  hardwareConcurrency: number;
  /** Whether WebGPU has an adapter here, or why not. */
  webgpu: string;
  /** The WebGL 2 renderer (SwiftShader: a software rasteriser on the CPU), or why there is none. */
  webgl: string;
}

export interface PageResult {
  env: PageEnv;
  systems: Record<string, PageSystem>;
  skipped: string[];
}

declare global {
  interface Window {
    nablaBench: { run(req: PageRequest): Promise<PageResult> };
  }
}

// Kept by run.ts in step with PEER_PACKAGES (bench/peers/run.ts): the folders it serves under /peers/.
const JAX_URL = '/peers/@jax-js/jax/dist/index.js';
const TFJS_SCRIPTS = ['/peers/@tensorflow/tfjs/dist/tf.min.js', '/peers/@tensorflow/tfjs-backend-wasm/dist/tf-backend-wasm.min.js'];
const TFJS_WASM_DIR = '/peers/@tensorflow/tfjs-backend-wasm/dist/';

const T0 = performance.now();
let wanted = (_name: string): boolean => true;
const progress = (msg: string): void => console.log(`progress: ${((performance.now() - T0) / 1000).toFixed(0)} s: ${msg}`);
const message = (e: unknown): string => (e instanceof Error ? e.message : String(e)).split('\n')[0];
/** Lets the page paint and the console flush between long synchronous runs. */
const breathe = (): Promise<void> => new Promise((ok) => setTimeout(ok, 0));

/** An IDX file's body (after its magic and dimensions), gunzipped by the browser as it arrives. */
async function idx(url: string): Promise<Uint8Array> {
  const res = await fetch(url);
  if (!res.ok || !res.body) throw new Error(`${url}: HTTP ${res.status}`);
  const bytes = new Uint8Array(await new Response(res.body.pipeThrough(new DecompressionStream('gzip'))).arrayBuffer());
  return bytes.subarray(4 + 4 * bytes[3]);
}

async function loadImages(data: boolean): Promise<ImageData> {
  if (!data) return syntheticImages();
  const [px, labels] = await Promise.all([idx('/data/train-images-idx3-ubyte.gz'), idx('/data/train-labels-idx1-ubyte.gz')]);
  const x = new Float32Array(px.length);
  for (let i = 0; i < px.length; i++) x[i] = px[i] / 255;
  return { x, y: Float32Array.from(labels), n: labels.length, d: 784, dir: '/data/' };
}

async function probeEnv(): Promise<PageEnv> {
  let webgpu = 'navigator.gpu is absent (this browser does not expose WebGPU here)';
  const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
  if (gpu) {
    try {
      const adapter = (await gpu.requestAdapter()) as { info?: { vendor?: string; architecture?: string; description?: string } } | null;
      webgpu = adapter ? `adapter ${[adapter.info?.vendor, adapter.info?.architecture, adapter.info?.description].filter(Boolean).join(' ') || '(no info)'}` : 'requestAdapter() gives no adapter (no GPU and no software adapter)';
    } catch (e) {
      webgpu = `requestAdapter() failed: ${message(e)}`;
    }
  }
  let webgl = 'no WebGL 2 context';
  const gl = document.createElement('canvas').getContext('webgl2');
  if (gl) {
    const ext = gl.getExtension('WEBGL_debug_renderer_info');
    webgl = String(ext ? gl.getParameter(ext.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER));
  }
  return { userAgent: navigator.userAgent, crossOriginIsolated, hardwareConcurrency: navigator.hardwareConcurrency, webgpu, webgl };
}

const software = (renderer: string): boolean => /swiftshader|llvmpipe|software/i.test(renderer);

/**
 * On a software GPU (SwiftShader: Chromium's CPU rasteriser, what headless Chromium has without a
 * GPU) the 1024³ GEMM alone takes minutes on webgl: it is left out there, and the table shows '-'.
 */
function gpuConfig(config: PeerConfig, env: PageEnv, device: string): PeerConfig {
  const renderer = device === 'webgpu' ? env.webgpu : env.webgl;
  return software(renderer) ? { ...config, timing: { ...config.timing, skipBig: true } } : config;
}

function gpuNote(env: PageEnv, device: string): string {
  const on = device === 'webgpu' ? `WebGPU, ${env.webgpu}` : `WebGL 2 on ${env.webgl}`;
  const renderer = device === 'webgpu' ? env.webgpu : env.webgl;
  return software(renderer) ? `${on}: a software GPU on the CPU, so no GPU figure; 1024³ GEMM left out` : on;
}

function loadScript(src: string): Promise<void> {
  return new Promise((ok, fail) => {
    const s = document.createElement('script');
    s.src = src;
    s.onload = () => ok();
    s.onerror = () => fail(new Error(`could not load ${src}`));
    document.head.append(s);
  });
}

// The peers' modules come untyped from the scratch folder: `any` below.
async function runJax(config: PeerConfig, images: unknown, env: PageEnv, out: PageResult): Promise<void> {
  let jax: any;
  try {
    // A URL held in a variable: esbuild leaves the import to the browser (jax-js is served, not bundled).
    jax = await import(JAX_URL as string);
  } catch (e) {
    out.skipped.push(`jax-js: could not load ${JAX_URL} (${message(e)})`);
    return;
  }
  for (const device of ['wasm', 'webgl', 'webgpu'] as const) {
    const name = `jax-js ${device}`;
    if (!wanted(name)) continue;
    let ready: string[];
    try {
      ready = await jax.init(device);
    } catch (e) {
      out.skipped.push(`${name}: init failed (${message(e)})`);
      continue;
    }
    if (!ready.includes(device)) {
      const why = device === 'webgpu' ? env.webgpu : device === 'webgl' ? env.webgl : 'jax.init did not list it';
      out.skipped.push(`${name}: not available here (${why})`);
      continue;
    }
    progress(name);
    try {
      jax.defaultDevice(device);
      const r = await jaxWorkloads(jax, device === 'wasm' ? config : gpuConfig(config, env, device), images);
      const how = device === 'wasm'
        ? (env.crossOriginIsolated ? `a pool of ${env.hardwareConcurrency} wasm workers over shared memory (the page is cross-origin isolated)` : 'one thread (no SharedArrayBuffer: the page is not cross-origin isolated)')
        : gpuNote(env, device);
      out.systems[name] = { ...r, config: how };
    } catch (e) {
      out.skipped.push(`${name}: failed (${message(e)})`);
    }
    await breathe();
  }
}

async function runTfjs(config: PeerConfig, images: unknown, env: PageEnv, out: PageResult): Promise<void> {
  try {
    for (const src of TFJS_SCRIPTS) await loadScript(src);
  } catch (e) {
    out.skipped.push(`TensorFlow.js: ${message(e)}`);
    return;
  }
  const tf = (window as unknown as { tf: any }).tf;
  tf.wasm.setWasmPaths(TFJS_WASM_DIR);
  // Its default is half the cores (one thread on two); jax-js's pool uses them all: give tfjs them all too.
  if (env.crossOriginIsolated) tf.wasm.setThreadsCount(env.hardwareConcurrency);
  // The cpu backend is plain JavaScript (tens of times slower than wasm): left out of the browser run.
  for (const backend of ['wasm', 'webgl', 'webgpu']) {
    const name = `tfjs ${backend}`;
    if (!wanted(name)) continue;
    if (!tf.engine().registryFactory[backend]) {
      out.skipped.push(`${name}: no such backend in the pinned bundles (tf.min.js has cpu and webgl, tf-backend-wasm.min.js wasm; @tensorflow/tfjs-backend-webgpu is not installed${backend === 'webgpu' ? `, and WebGPU here: ${env.webgpu}` : ''})`);
      continue;
    }
    let ok = false;
    try {
      ok = await tf.setBackend(backend);
      await tf.ready();
    } catch (e) {
      out.skipped.push(`${name}: setBackend failed (${message(e)})`);
      continue;
    }
    if (!ok) {
      out.skipped.push(`${name}: setBackend('${backend}') refused${backend === 'webgl' ? ` (WebGL here: ${env.webgl})` : ''}`);
      continue;
    }
    progress(name);
    try {
      const r = await tfjsWorkloads(tf, backend === 'wasm' ? config : gpuConfig(config, env, backend), images);
      const how = backend === 'wasm' ? await tfjsWasmNote(tf) : gpuNote(env, backend);
      out.systems[name] = { version: tf.version?.tfjs, ...r, config: how };
    } catch (e) {
      out.skipped.push(`${name}: failed (${message(e)})`);
    }
    await breathe();
  }
}
/** Which tfjs-backend-wasm build runs (it picks the threaded one only where SharedArrayBuffer works) and on how many threads. */
async function tfjsWasmNote(tf: any): Promise<string> {
  const threaded = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  return `XNNPACK, ${threaded ? 'threaded ' : ''}${simd ? 'SIMD ' : ''}build, ${tf.wasm.getThreadsCount()} thread(s)`;
}

async function run(req: PageRequest): Promise<PageResult> {
  const env = await probeEnv();
  const out: PageResult = { env, systems: {}, skipped: [] };
  const { config } = req;
  if (req.only) wanted = (name) => req.only!.includes(name);
  progress(`loading ${req.data ? 'Fashion-MNIST from /data/' : 'random pixels'}`);
  const images = await loadImages(req.data);

  if (wanted('nabla wasm')) {
    progress('nabla wasm');
    // What nabla says while it runs (e.g. why its GEMMs stay on one thread) goes into the notes.
    const said: NablaWarning[] = [];
    const stop = onWarning((w) => { said.push(w); });
    try {
      await init({ backend: 'wasm' });
      const gemms = GEMMS.filter((g) => !(g.big && config.timing.skipBig));
      await breathe();
      const r = runNabla('wasm', gemms, MLP, SMALL, config.timing, images);
      const where = `called from the page's main thread${env.crossOriginIsolated ? ' (cross-origin isolated: WASM threads allowed)' : ' (not cross-origin isolated: one thread)'}`;
      out.systems['nabla wasm'] = { ...r, config: [where, ...said.map((w) => `nabla: ${w.message}`)].join('; ') };
    } catch (e) {
      out.skipped.push(`nabla wasm: failed (${message(e)})`);
    } finally {
      stop();
    }
  }
  await breathe();

  if (req.peers && (req.only?.some((n) => !n.startsWith('nabla ')) ?? true)) {
    const peerImages = oneHotImages(images.x, Uint8Array.from(images.y), images.d);
    await runJax(config, peerImages, env, out);
    await runTfjs(config, peerImages, env, out);
  }
  return out;
}

window.nablaBench = { run };
document.body.dataset.ready = 'true';
