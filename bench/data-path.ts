// npm run bench -- --data-path: is the data path what limits training? Trains the 784-256-128-10
// MLP (batch 128, Adam, the same backend and threads throughout) on Fashion-MNIST's train split
// three ways: in memory, streamed from a CSV file, streamed from a Parquet file (through DuckDB),
// and times the CSV parser's passes on their own. Prints a table and one JSON line (the last).
// Not a test: timings are figures to read, not assertions.
import { closeSync, existsSync, mkdirSync, openSync, renameSync, statSync, writeSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { backendName } from '../src/backend/select.js';
import { encodeCsvFile, readFashionMnist, scanCsvFile, streamCsvFile } from '../src/data/stream-files.js';
import { findFashionMnist } from '../src/data/read-files.js';
import { MinMaxScaler } from '../src/data/preprocess.js';
import { readSql, scanSql, SqlSource, streamSql } from '../src/data/sql.js';
import type { BatchStream } from '../src/data/stream.js';
import { mlp } from '../src/nn/mlp.js';
import { fit } from '../src/train/fit.js';
import type { FitData } from '../src/train/evaluate.js';

const BATCH = 128;

function median(v: number[]): number {
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function log(msg: string): void {
  process.stderr.write(`bench: ${msg}\n`);
}

/** The train split as CSV: 784 pixel columns (0..255) and the label, written once and cached. */
function writeCsv(path: string, x: Float32Array, y: Float32Array, n: number, d: number): void {
  const fd = openSync(`${path}.tmp`, 'w');
  writeSync(fd, `${Array.from({ length: d }, (_, j) => `p${j}`).join(',')},label\n`);
  let buf = '';
  for (let i = 0; i < n; i++) {
    let line = '';
    for (let j = 0; j < d; j++) line += `${Math.round(x[i * d + j] * 255)},`;
    buf += `${line}${y[i]}\n`;
    if (buf.length > 1 << 22) { writeSync(fd, buf); buf = ''; }
  }
  writeSync(fd, buf);
  closeSync(fd);
  renameSync(`${path}.tmp`, path); // a half-written file is never taken for the cached one
}

async function epochSeconds(data: FitData | BatchStream, seed: number): Promise<number> {
  const model = mlp([784, 256, 128, 10], { activation: 'relu', seed });
  const t0 = performance.now();
  await fit(model, Object.assign(data, { task: 'classification' as const }), { epochs: 1, batchSize: BATCH, optimizer: 'adam', lr: 1e-3, loss: 'crossEntropy', seed });
  return (performance.now() - t0) / 1000;
}

/** The native backend's GEMM threads (NABLA_NATIVE_THREADS sets them), or null when it is not loaded. */
async function gemmThreads(): Promise<number | null> {
  if (backendName() !== 'native') return null;
  const { loadNativeAddon } = await import('../src/backend/native/index.js');
  return loadNativeAddon().addon?.threads() ?? null;
}

export async function runDataPath(reps: number): Promise<void> {
  // The faster backends register on import; the same one (and its threads) serves all three ways.
  for (const load of [() => import('../src/backend/wasm/index.js'), () => import('../src/backend/native/index.js')]) {
    try { await load(); } catch { /* the table names the backend that ran */ }
  }
  let dir: string;
  try {
    dir = findFashionMnist();
  } catch (e) {
    process.stderr.write(`bench --data-path needs Fashion-MNIST: ${(e as Error).message}\n`);
    process.exit(2);
  }
  const cache = join(process.env.NABLA_BENCH_CACHE ?? join(tmpdir(), 'nabla-bench-data'));
  mkdirSync(cache, { recursive: true });
  const csv = join(cache, 'fashion-mnist-train.csv'), parquet = join(cache, 'fashion-mnist-train.parquet');
  const ds = await readFashionMnist('train', { dir });
  const n = ds.x.shape[0], d = ds.x.shape[1];
  if (!existsSync(csv)) {
    log(`writing ${csv} (once)`);
    writeCsv(csv, ds.x.data as Float32Array, ds.y.data as Float32Array, n, d);
  }
  if (!existsSync(parquet)) {
    log(`writing ${parquet} with DuckDB (once)`);
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const conn = await (await DuckDBInstance.create(':memory:')).connect();
    await conn.run(`COPY (SELECT * FROM read_csv('${csv}', header = true)) TO '${parquet}.tmp' (FORMAT parquet)`);
    renameSync(`${parquet}.tmp`, parquet);
  }
  const csvBytes = statSync(csv).size;
  // Pixels 0..255 -> [0, 1], as the in-memory IDX loader does.
  const unit = new MinMaxScaler();
  unit.min = new Array<number>(d).fill(0);
  unit.max = new Array<number>(d).fill(255);

  log(`CSV parser: ${(csvBytes / 1e6).toFixed(0)} MB, ${reps} reps`);
  const scanS: number[] = [], encodeS: number[] = [];
  let scanned = await scanCsvFile(csv);
  for (let r = 0; r < reps; r++) {
    let t0 = performance.now();
    scanned = await scanCsvFile(csv);
    scanS.push((performance.now() - t0) / 1000);
    t0 = performance.now();
    await encodeCsvFile(csv, scanned.schema, scanned.rows);
    encodeS.push((performance.now() - t0) / 1000);
  }
  const table = streamCsvFile(csv, scanned.schema, scanned.rows);
  const source = await SqlSource.open({ data: parquet });
  const sq = await scanSql(source);
  const pq = streamSql(source, sq.schema, sq.rows);
  const pqMemory = await readSql(source, sq.schema, sq.rows); // checks the Parquet path end to end
  if (pqMemory.dataset.x.shape[0] !== n) throw new Error(`parquet has ${pqMemory.dataset.x.shape[0]} rows, expected ${n}`);

  const ways: [string, () => FitData | BatchStream][] = [
    ['in memory', () => ({ x: ds.x, y: ds.y })],
    ['CSV stream', () => table.batches({ batchSize: BATCH, scaler: unit, seed: 0 })],
    ['Parquet stream', () => pq.batches({ batchSize: BATCH, scaler: unit, seed: 0 })],
  ];
  const sps: Record<string, number[]> = {};
  // One untimed epoch of each way first: the JIT, the backend's kernels, the CSV parser's thread,
  // the shuffle buffer's pages (paid once per table, not per epoch).
  for (const [, data] of ways) await epochSeconds(data(), 0);
  for (let r = 0; r < reps; r++) {
    for (const [name, data] of ways) {
      const s = await epochSeconds(data(), r);
      (sps[name] ??= []).push(n / s);
      log(`${name}: ${(n / s).toFixed(0)} samples/s`);
    }
  }
  source.close();
  const mem = median(sps['in memory']);
  const rows = ways.map(([name]) => {
    const v = median(sps[name]);
    return [name, Math.round(v).toLocaleString('en-US'), `${((100 * v) / mem).toFixed(0)}%`];
  });
  const load = loadavg()[0];
  const threads = await gemmThreads();
  console.log(`data path: Fashion-MNIST train (${n} x ${d}), 784-256-128-10 MLP, batch ${BATCH}, Adam, backend ${backendName()}`
    + `${threads ? ` (${threads} GEMM thread${threads > 1 ? 's' : ''})` : ''} for all three; the CSV stream parses in one worker thread`);
  console.log(`${cpus().length} cores, ${cpus()[0]?.model ?? 'unknown CPU'}, load ${load.toFixed(2)}, Node ${process.versions.node}; medians of ${reps}`);
  // Loading a CSV in memory takes both passes: the combined rate is the one a user sees.
  const bothS = median(scanS.map((s, i) => s + encodeS[i]));
  console.log(`CSV parse: ${(csvBytes / 1e6 / bothS).toFixed(0)} MB/s for both passes (scan pass ${(csvBytes / 1e6 / median(scanS)).toFixed(0)} MB/s, encode pass ${(csvBytes / 1e6 / median(encodeS)).toFixed(0)} MB/s; ${(csvBytes / 1e6).toFixed(0)} MB file)`);
  const w = rows.map((r, i) => Math.max(...rows.map((q) => q[i].length), ['way', 'samples/s', 'of in-memory'][i].length));
  const line = (c: string[]) => c.map((s, i) => (i ? s.padStart(w[i]) : s.padEnd(w[i]))).join('  ');
  console.log(line(['way', 'samples/s', 'of in-memory']));
  for (const r of rows) console.log(line(r));
  console.log(JSON.stringify({
    dataPath: {
      rows: n, batch: BATCH, backend: backendName(), gemmThreads: threads, csvMB: csvBytes / 1e6,
      parseMBps: csvBytes / 1e6 / bothS, scanMBps: csvBytes / 1e6 / median(scanS), encodeMBps: csvBytes / 1e6 / median(encodeS),
      samplesPerSec: Object.fromEntries(ways.map(([name]) => [name, median(sps[name])])),
    },
    env: { node: process.versions.node, cpu: cpus()[0]?.model ?? null, cores: cpus().length, load1: load },
  }));
}
