// Runs test/trust/leak-child.ts in a child process and returns its measurements; shared by the
// leak test and the full-size Fashion-MNIST run of `npm run accuracy`.
import { spawn } from 'node:child_process';

export interface LeakResult { samples: number[]; backend: string; steps: number; seconds: number; rssWarm: number; rssEnd: number; rssMax: number; liveWarm: number; liveEnd: number; wasmWarm: number; wasmEnd: number }

/** Small-MLP mode: `steps` training steps after `warm`. Fashion-MNIST mode: `epochs` of fit() on the test split in `dataDir`. */
export function runLeakChild(backend: string, run: { steps: number; warm: number } | { epochs: number; warm: number; dataDir: string }): Promise<LeakResult> {
  return new Promise((resolve, reject) => {
    // A fixed young generation and one malloc arena: otherwise V8 growing its semi-spaces and glibc
    // keeping freed pages show up as ±10-20 MB RSS steps that are not leaks (measured: they go back down).
    const flags = ['--expose-gc', '--min-semi-space-size=16', '--max-semi-space-size=16', '--import', 'tsx'];
    const child = spawn(process.execPath, [...flags, 'test/trust/leak-child.ts', backend, ...('dataDir' in run ? [String(run.epochs), String(run.warm), 'fashion-mnist', run.dataDir] : [String(run.steps), String(run.warm)])], {
      stdio: ['ignore', 'pipe', 'pipe'], // Large arrays (weight gradients) go to mmap and back on free, so RSS follows live memory.
      env: { ...process.env, MALLOC_ARENA_MAX: '1', MALLOC_MMAP_THRESHOLD_: '65536', MALLOC_TRIM_THRESHOLD_: '131072' },
    });
    let out = '', err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const line = out.trim().split('\n').pop() ?? '';
      if (code !== 0 || !line.startsWith('{')) reject(new Error(`leak child (${backend}) exited ${code}: ${err.slice(-2000)}`));
      else resolve(JSON.parse(line) as LeakResult);
    });
  });
}

