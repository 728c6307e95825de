// Builds the optional native backend (native/*.cc → prebuilds/<platform>-<arch>/nabla.node, the
// folder layout of node-gyp-build) with the machine's C++ compiler, no node-gyp and no network.
// scripts/build.mjs runs this after tsc; if it fails, nabla still works on the WASM or JS backend.
// The published package ships the linux-x64 build, so users never compile (npm 11 runs no install
// scripts of dependencies anyway); src/backend/native/index.ts loads it.
//
// Each kernels_<isa>.cc is compiled with its own instruction-set flags (not -march=native), and the
// addon picks the best one the CPU supports at load time, so the binary also runs on older CPUs.
//
// Environment: CXX (compiler, default g++ then c++ then clang++), NABLA_NODE_INCLUDE (directory
// holding node_api.h), NABLA_NATIVE_CXXFLAGS (extra flags).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'prebuilds', `${process.platform}-${process.arch}`, 'nabla.node');
const objDir = join(root, 'build', 'native-obj');

function fail(msg) {
  console.error(`nabla build-native: ${msg}`);
  process.exit(1);
}

if (process.platform === 'win32') fail('the native backend is built on Linux and macOS only');

function findCompiler() {
  const candidates = process.env.CXX ? [process.env.CXX] : ['g++', 'c++', 'clang++'];
  for (const cxx of candidates) {
    const r = spawnSync(cxx, ['--version'], { stdio: 'ignore' });
    if (r.status === 0) return cxx;
  }
  return fail(`no C++ compiler found (tried ${candidates.join(', ')}; set CXX)`);
}

function findNodeInclude() {
  const candidates = [
    process.env.NABLA_NODE_INCLUDE,
    join(dirname(process.execPath), '..', 'include', 'node'),
    '/usr/include/node',
    '/usr/local/include/node',
  ].filter(Boolean);
  for (const dir of candidates) if (existsSync(join(dir, 'node_api.h'))) return dir;
  return fail(`node_api.h not found (looked in ${candidates.join(', ')}; set NABLA_NODE_INCLUDE)`);
}

const cxx = findCompiler();
const include = findNodeInclude();
const common = ['-std=c++17', '-O3', '-fPIC', '-fvisibility=hidden', '-fno-math-errno', '-pthread',
  '-Wall', '-Wno-unknown-pragmas', `-I${include}`, ...(process.env.NABLA_NATIVE_CXXFLAGS?.split(/\s+/).filter(Boolean) ?? [])];

// [source, extra flags]; the x86 instruction-set builds are only compiled on x86-64.
const units = [
  ['nabla_addon.cc', []],
  ['kernels_generic.cc', []],
];
if (process.arch === 'x64') {
  units.push(['kernels_avx2.cc', ['-mavx2', '-mfma']]);
  units.push(['kernels_avx512.cc', ['-mavx512f', '-mavx512bw', '-mavx512dq', '-mavx512vl', '-mfma']]);
}

function compile([src, flags]) {
  const obj = join(objDir, src.replace(/\.cc$/, '.o'));
  const args = [...common, ...flags, '-c', join(root, 'native', src), '-o', obj];
  return new Promise((res, rej) => {
    const p = spawn(cxx, args, { stdio: 'inherit' });
    p.on('error', rej);
    p.on('close', (code) => (code === 0 ? res(obj) : rej(new Error(`${cxx} ${src} exited with ${code}`))));
  });
}

mkdirSync(objDir, { recursive: true });
mkdirSync(dirname(out), { recursive: true });
const started = Date.now();
let objs;
try {
  objs = await Promise.all(units.map(compile));
} catch (e) {
  fail(e.message);
}
const link = [...common, '-shared', ...objs, '-o', out];
if (process.platform === 'darwin') link.push('-undefined', 'dynamic_lookup');
const r = spawnSync(cxx, link, { stdio: 'inherit' });
if (r.status !== 0) fail('linking failed');
console.log(`nabla build-native: built ${out.slice(root.length + 1)} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
