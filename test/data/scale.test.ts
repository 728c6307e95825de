// Data at scale: parsers that allocate what the data needs, memory budgets, bombs, streaming
// (out-of-core) training that matches in-memory training, and Parquet through DuckDB.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ConfigError, ParseError } from '../../src/errors.js';
import { parseCsv } from '../../src/data/csv.js';
import { Standardizer } from '../../src/data/preprocess.js';
import { readCsvFile, readIdxFiles, scanCsvFile, streamCsvFile, streamIdxFiles } from '../../src/data/stream-files.js';
import { readSql, scanSql, SqlSource, streamSql } from '../../src/data/sql.js';
import { needsStreaming, parseMemorySize } from '../../src/data/budget.js';
import { onWarning, type NablaWarning } from '../../src/warnings.js';
import { mlp } from '../../src/nn/mlp.js';
import { fit } from '../../src/train/fit.js';
import { idxBytes } from '../helpers/files.js';

const ROOT = resolve(import.meta.dirname, '../..');
const TSX = import.meta.resolve('tsx');
const tmp = mkdtempSync(join(tmpdir(), 'nabla-scale-'));
const MiB = 1024 * 1024;
after(() => rmSync(tmp, { recursive: true, force: true }));

function child(args: string[]): Record<string, unknown> {
  const r = spawnSync(process.execPath, ['--import', TSX, join(ROOT, 'test/helpers/memory-child.ts'), ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout.trim().split('\n').pop()!);
}

/** A CSV of `rows` rows: 12 one-digit features and a class label (26 bytes a row). */
function writeBigCsv(path: string, rows: number): void {
  const block: string[] = [];
  for (let i = 0; i < 10_000; i++) {
    const f = Array.from({ length: 12 }, (_, j) => (i * 7 + j * 3) % 10);
    block.push(`${f.join(',')},${f[0] > 4 ? 1 : 0}\n`);
  }
  const chunk = Buffer.from(block.join(''));
  const fd = openSync(path, 'w');
  writeSync(fd, `${Array.from({ length: 12 }, (_, j) => `f${j}`).join(',')},label\n`);
  for (let done = 0; done < rows; done += 10_000) writeSync(fd, chunk);
  closeSync(fd);
}

test('memory: a 62 MB CSV loads within 1.5x its float32 data, and streams in flat memory (child processes, peak RSS)', () => {
  const path = join(tmp, 'big.csv');
  writeBigCsv(path, 2_400_000);
  const mem = child(['memory', path]);
  assert.equal(mem.ok, true, String(mem.message));
  assert.equal(mem.rows, 2_400_000);
  const grew = (mem.after as number) - (mem.before as number);
  const data = mem.dataBytes as number; // 125 MB of float32
  assert.ok(grew <= 1.5 * data + 48 * MiB, `loading grew RSS by ${(grew / MiB).toFixed(0)} MiB for ${(data / MiB).toFixed(0)} MiB of float32`);
  const streamed = child(['stream', path]);
  assert.equal(streamed.ok, true, String(streamed.message));
  assert.ok((streamed.rows as number) > 1_900_000 && (streamed.rows as number) < 1_940_000, `train part of 2.4M rows: ${streamed.rows}`);
  // What the stream holds is the chunks, blocks and shuffle buffer in flight plus what the
  // garbage collector has not yet reclaimed: bounded, and far below the data's size.
  const flat = (streamed.after as number) - (streamed.before as number);
  assert.ok(flat <= 100 * MiB && flat < data / 2, `streaming grew RSS by ${(flat / MiB).toFixed(0)} MiB`);
});

test('IDX bombs: a gzip header declaring 1,000,000 images is refused by the budget, and a lying header is caught as bytes arrive', () => {
  const labels = join(tmp, 'bomb-labels.gz'), images = join(tmp, 'bomb-images.gz');
  writeFileSync(labels, gzipSync(idxBytes([1_000_000], new Uint8Array(1_000_000))));
  // 8 MB of real pixels behind a header that claims 784 MB (3 GB as float32).
  writeFileSync(images, gzipSync(idxBytes([1_000_000, 28, 28], new Uint8Array(8 * MiB))));
  const refused = child(['idx', images, labels]);
  assert.equal(refused.ok, false);
  assert.match(String(refused.message), /1000000x28x28 values as float32\) needs 2\.9 GiB in memory, above the memory budget/);
  assert.ok((refused.after as number) < 200 * MiB, `refusal peaked at ${((refused.after as number) / MiB).toFixed(0)} MiB`);
  // With a budget that admits the claim, the truncation is found without touching 3 GB.
  const lied = child(['idx', images, labels, String(8 * 1024 * MiB)]);
  assert.equal(lied.ok, false);
  assert.match(String(lied.message), /truncated: header says 1000000x28x28 = 784000000 values but only 8388608 bytes follow/);
  assert.ok((lied.after as number) < 300 * MiB, `the lying header peaked at ${((lied.after as number) / MiB).toFixed(0)} MiB`);
});

test('above the memory budget an in-memory load is refused with what to do', async () => {
  const path = join(tmp, 'mid.csv');
  writeBigCsv(path, 100_000);
  await assert.rejects(readCsvFile(path, { maxMemory: 4 * MiB }),
    (e: unknown) => e instanceof ConfigError && /needs 6\.5 MiB in memory, above the memory budget of 4\.0 MiB; stream it \(--stream\), or raise --max-memory/.test(e.message));
});

test('above the memory budget a streamable source is streamed, said once through onWarning (library) and printed by the CLI', () => {
  const seen: NablaWarning[] = [];
  const off = onWarning((w) => seen.push(w));
  try {
    assert.equal(needsStreaming('big.csv', 5 * MiB, 4 * MiB), true);
    assert.equal(needsStreaming('small.csv', 4 * MiB, 4 * MiB), false);
  } finally {
    off();
  }
  assert.deepEqual(seen.map((w) => w.code), ['stream-over-budget']);
  assert.match(seen[0].message, /^big\.csv needs 5\.0 MiB in memory, above the memory budget of 4\.0 MiB: streaming it/);
  const path = join(tmp, 'budget.csv');
  writeFileSync(path, 'a,b,label\n' + Array.from({ length: 200 }, (_, i) => `${i % 7},${i % 5},${i % 2}`).join('\n') + '\n');
  const r = spawnSync(process.execPath, ['--import', TSX, join(ROOT, 'src/cli/main.ts'), 'train', '--data', path, '--max-memory', '2K',
    '--epochs', '1', '--quiet', '--json', '--out', join(tmp, 'b.nabla')], { cwd: tmp, encoding: 'utf8', timeout: 120_000 });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /^nabla: .*budget\.csv needs [\d.]+ KiB in memory, above the memory budget of 2\.0 KiB: streaming it from disk each epoch/m);
  assert.equal(JSON.parse(r.stdout.trim().split('\n').pop()!).streamed, true);
});

test('IDX: a plain file whose header disagrees with its size is refused before reading; real files load', async () => {
  const bad = join(tmp, 'bad-images'), lab = join(tmp, 'labels');
  writeFileSync(bad, idxBytes([1_000_000, 28, 28], new Uint8Array(100)));
  writeFileSync(lab, idxBytes([2], [3, 1]));
  await assert.rejects(readIdxFiles(bad, lab), (e: unknown) => e instanceof ParseError && /truncated: header says 1000000x28x28 = 784000000 values but only 100 bytes follow/.test(e.message));
  const ok = join(tmp, 'images.gz');
  writeFileSync(ok, gzipSync(idxBytes([2, 2, 2], [0, 255, 51, 102, 255, 0, 0, 0])));
  const ds = await readIdxFiles(ok, lab);
  assert.deepEqual(Array.from(ds.x.data.subarray(0, 4)), [0, 1, 0.2, 0.4].map(Math.fround));
  assert.deepEqual(Array.from(ds.y.data), [3, 1]);
});

test('IDX streamed in blocks gives the rows and labels of the in-memory loader; a gzip body shorter than its header is caught in the pass', async () => {
  const dir = mkdtempSync(join(tmp, 'idx-stream-'));
  const n = 5000, pixels = Uint8Array.from({ length: n * 28 * 28 }, (_, i) => (i * 37 + (i >> 9)) % 256);
  const labels = Uint8Array.from({ length: n }, (_, i) => (i * 7) % 10);
  const images = join(dir, 'train-images-idx3-ubyte.gz'), lab = join(dir, 'train-labels-idx1-ubyte');
  writeFileSync(images, gzipSync(idxBytes([n, 28, 28], pixels)));
  writeFileSync(lab, idxBytes([n], labels));
  const whole = await readIdxFiles(images, lab);
  const table = await streamIdxFiles(images, lab);
  assert.deepEqual([table.info.n, table.info.d, table.info.classNames], [n, 784, whole.classNames]);
  let at = 0;
  for await (const b of table.blocks()) {
    assert.equal(b.first, at);
    assert.deepEqual(b.x, whole.x.data.subarray(at * 784, (at + b.rows) * 784));
    assert.deepEqual(b.y, whole.y.data.subarray(at, at + b.rows));
    at += b.rows;
  }
  assert.equal(at, n);
  // 1,000,000 images declared, 10,000 there: the header is all a stream reads before training.
  const bomb = join(dir, 'bomb-images.gz'), bombLabels = join(dir, 'bomb-labels');
  writeFileSync(bomb, gzipSync(idxBytes([1_000_000, 28, 28], new Uint8Array(10_000 * 784))));
  writeFileSync(bombLabels, idxBytes([1_000_000], new Uint8Array(1_000_000)));
  const lying = await streamIdxFiles(bomb, bombLabels);
  let rows = 0;
  await assert.rejects(async () => { for await (const b of lying.blocks()) rows += b.rows; },
    (e: unknown) => e instanceof ParseError && /truncated: header says 1000000x28x28 = 784000000 values but only 7840000 bytes follow/.test(e.message));
  assert.ok(rows <= 10_000, `only the rows that are there: ${rows}`);
  // The CLI streams a folder above the budget, and says so once.
  const r = spawnSync(process.execPath, ['--import', TSX, join(ROOT, 'src/cli/main.ts'), 'train', '--data', dir, '--max-memory', '1M',
    '--epochs', '1', '--layers', '8', '--quiet', '--json', '--out', join(tmp, 'idx.nabla')], { cwd: tmp, encoding: 'utf8', timeout: 120_000 });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /^nabla: .*train-images-idx3-ubyte\.gz needs [\d.]+ MiB in memory, above the memory budget of 1\.0 MiB: streaming it/m);
  assert.equal(JSON.parse(r.stdout.trim().split('\n').pop()!).streamed, true);
});

test('a gzip CSV bomb (a .csv that is really gzip) is streamed within the budget, or refused with what to do', async () => {
  const path = join(tmp, 'bomb.csv');
  const row = '0,0,0,0,0,0,0,0,0,0,0,0,1\n';
  writeFileSync(path, gzipSync(Buffer.from(`a,b,c,d,e,f,g,h,i,j,k,l,label\n${row.repeat(600_000)}${'1,1,1,1,1,1,1,1,1,1,1,1,0\n'.repeat(10)}`)));
  await assert.rejects(readCsvFile(path, { maxMemory: 8 * MiB }), (e: unknown) => e instanceof ConfigError && /stream it \(--stream\)/.test(e.message));
  const { schema, rows } = await scanCsvFile(path);
  assert.equal(rows, 600_010);
  const table = streamCsvFile(path, schema, rows);
  let n = 0;
  for await (const b of table.batches({ batchSize: 4096, shuffle: false })) n += b.x.shape[0];
  assert.equal(n, 600_010);
});

test('numbers that overflow float32 are a ParseError naming the file, line and column', () => {
  const check = (text: string, line: number, col: number, name: string, opts = {}) => assert.throws(() => parseCsv(text, { source: 'big.csv', ...opts }),
    (e: unknown) => e instanceof ParseError && e.line === line && e.column === name
      && e.message.startsWith(`big.csv:${line}:${col}: column "${name}": `) && /overflows float32/.test(e.message));
  check('a,b,label\n1,2,x\n3,1e39,y\n', 3, 3, 'b');
  check('a,b,label\n1,2,x\n3, "-4e38",y\n', 3, 4, 'b');
  check('a,y\n1,0.5\n2,3.5e38\n', 3, 3, 'y');
  // The largest float32 itself is fine, and so are tiny numbers that round to 0.
  assert.equal(parseCsv('a,y\n3.4028234e38,0.5\n1e-50,1.5\n').dataset.x.data[0], Math.fround(3.4028234e38));
});

test('the streaming tokenizer gives the same rows whatever the chunk boundaries', async () => {
  const text = 'a,b,c,label\n1,"x, y",2.5,p\r\n  -3 ,"q""q",1e3,q\n\n4,"multi\nline",.5,p\n5,z,6,q';
  const whole = parseCsv(text, { source: 's.csv' });
  const path = join(tmp, 'chunks.csv');
  writeFileSync(path, text);
  for (const size of [1, 2, 3, 7]) {
    const { CsvTokenizer } = await import('../../src/data/csv-tokenizer.js');
    const lines: number[] = [];
    const tok = new CsvTokenizer({ source: 's.csv' }, (r) => lines.push(r.line));
    const bytes = Buffer.from(text);
    for (let i = 0; i < bytes.length; i += size) tok.push(bytes.subarray(i, i + size));
    tok.finish();
    assert.deepEqual(lines, [1, 2, 3, 5, 7], `chunks of ${size}`);
  }
  const file = await readCsvFile(path);
  assert.deepEqual(Array.from(file.dataset.x.data), Array.from(whole.dataset.x.data));
  assert.deepEqual(file.schema, whole.schema);
});

/** A small classification CSV: 4 numeric features, 3 classes. */
function smallCsv(path: string, rows = 600): void {
  const lines = ['u,v,w,z,label'];
  for (let i = 0; i < rows; i++) {
    const u = Math.sin(i) * 3, v = Math.cos(i * 0.7) * 10 + 5, w = (i % 17) - 8, z = ((i * 31) % 101) / 7;
    lines.push(`${u.toFixed(4)},${v.toFixed(3)},${w},${z.toFixed(5)},${u + w / 4 > 0 ? (v > 5 ? 'a' : 'b') : 'c'}`);
  }
  writeFileSync(path, `${lines.join('\n')}\n`);
}

const paramsOf = (m: ReturnType<typeof mlp>) => m.parameters().map((p) => Array.from(p.data));

test('stream and in-memory training reach identical weights with the shuffle off (same scaler too)', async () => {
  const path = join(tmp, 'small.csv');
  smallCsv(path);
  const { dataset } = await readCsvFile(path);
  const scaler = new Standardizer().fit(dataset.x);
  scaler.transformRowsInPlace(dataset.x.data as Float32Array, dataset.x.shape[0]);
  const opts = { epochs: 3, batchSize: 32, shuffle: false, seed: 1, optimizer: 'adam', lr: 0.01, loss: 'crossEntropy' };
  const a = mlp([4, 8, 3], { seed: 5 });
  await fit(a, { x: dataset.x, y: dataset.y, task: 'classification' }, opts);

  const { schema, rows } = await scanCsvFile(path);
  const table = streamCsvFile(path, schema, rows);
  const streamed = await table.fitScaler(new Standardizer());
  assert.deepEqual(streamed.mean, scaler.mean);
  assert.deepEqual(streamed.std, scaler.std);
  const b = mlp([4, 8, 3], { seed: 5 });
  await fit(b, table.batches({ batchSize: 32, shuffle: false, scaler: streamed }), opts);
  assert.deepEqual(paramsOf(b), paramsOf(a));
});

test('streamed training: the same seed gives the same weights, the split is by row, every row comes once per epoch', async () => {
  const path = join(tmp, 'small.csv');
  smallCsv(path);
  const { schema, rows } = await scanCsvFile(path);
  const table = streamCsvFile(path, schema, rows);
  const run = async (seed: number) => {
    const m = mlp([4, 8, 3], { seed: 2 });
    const batches = table.batches({ batchSize: 16, seed, validation: 0.25, shuffleBuffer: 64 });
    const val = table.batches({ batchSize: 16, seed, validation: 0.25, part: 'validation' });
    const h = await fit(m, batches, { epochs: 2, optimizer: 'adam', lr: 0.01, loss: 'crossEntropy', metrics: ['accuracy'], validationData: val });
    return { w: paramsOf(m), h, nTrain: batches.numRows!, nVal: val.numRows! };
  };
  const one = await run(7), two = await run(7), other = await run(8);
  assert.deepEqual(one.w, two.w);
  assert.deepEqual(one.h.val_loss, two.h.val_loss);
  assert.notDeepEqual(one.w, other.w);
  assert.equal(one.nTrain + one.nVal, rows);
  assert.ok(one.nVal > 100 && one.nVal < 200, `about a quarter held out: ${one.nVal}`);
  // One epoch's training rows: each exactly once, and never a validation row.
  const batches = table.batches({ batchSize: 50, seed: 7, validation: 0.25, shuffleBuffer: 64 });
  const seen: string[] = [];
  for await (const { x } of batches) for (let r = 0; r < x.shape[0]; r++) seen.push(Array.from(x.data.subarray(r * 4, r * 4 + 4)).join());
  const val: string[] = [];
  for await (const { x } of table.batches({ batchSize: 50, seed: 7, validation: 0.25, part: 'validation' })) for (let r = 0; r < x.shape[0]; r++) val.push(Array.from(x.data.subarray(r * 4, r * 4 + 4)).join());
  const all: string[] = [];
  for await (const { x } of table.batches({ batchSize: 600, shuffle: false })) for (let r = 0; r < x.shape[0]; r++) all.push(Array.from(x.data.subarray(r * 4, r * 4 + 4)).join());
  assert.deepEqual([...seen, ...val].sort(), [...all].sort());
  assert.notDeepEqual(seen, all.filter((s) => !val.includes(s)), 'the shuffle buffer reorders rows');
});

test('Parquet written by DuckDB round-trips: BIGINT labels, categories, in memory and streamed; the CLI trains on it', async () => {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  const file = join(tmp, 'sales.parquet');
  await conn.run(`COPY (SELECT i::DOUBLE / 4 AS price, (i % 5)::INTEGER AS qty, 'r' || (i % 3)::VARCHAR AS region, (i % 3)::BIGINT AS label
    FROM range(5000) t(i)) TO '${file}' (FORMAT parquet)`);
  const source = await SqlSource.open({ data: join(tmp, '*.parquet'), sql: 'SELECT price, qty, region, label FROM data WHERE qty < 4' });
  const { schema, rows } = await scanSql(source);
  assert.equal(rows, 4000);
  assert.deepEqual(schema.classNames, ['0', '1', '2']);
  assert.deepEqual(schema.features.map((f) => f.kind), ['numeric', 'numeric', 'categorical']);
  const { dataset } = await readSql(source, schema, rows);
  // Row r of the result is DuckDB's i-th row with qty < 4, in file order.
  const kept = Array.from({ length: 5000 }, (_, i) => i).filter((i) => i % 5 < 4);
  const d = dataset.x.shape[1];
  for (const r of [0, 1, 2, 3999]) {
    const i = kept[r];
    assert.deepEqual(Array.from(dataset.x.data.subarray(r * d, r * d + 2)), [i / 4, i % 5].map(Math.fround));
    assert.equal(dataset.y.data[r], i % 3);
    assert.deepEqual(Array.from(dataset.x.data.subarray(r * d + 2, r * d + 5)), [0, 1, 2].map((l) => (l === i % 3 ? 1 : 0)));
  }
  let streamed = 0;
  for await (const b of streamSql(source, schema, rows).blocks()) {
    assert.deepEqual(Array.from(b.x), Array.from(dataset.x.data.subarray(b.first * d, (b.first + b.rows) * d)));
    streamed += b.rows;
  }
  assert.equal(streamed, rows);
  source.close();
  const out = join(tmp, 'p.nabla');
  const r = spawnSync(process.execPath, ['--import', TSX, join(ROOT, 'src/cli/main.ts'), 'train', '--data', join(tmp, '*.parquet'), '--sql', 'SELECT * FROM data WHERE qty > 0',
    '--stream', '--epochs', '2', '--quiet', '--json', '--out', out], { cwd: tmp, encoding: 'utf8', timeout: 120_000 });
  assert.equal(r.status, 0, r.stderr);
  const summary = JSON.parse(r.stdout.trim().split('\n').pop()!);
  assert.equal(summary.streamed, true);
  assert.ok(summary.rows > 3000 && summary.rows < 3400, `about 80% of 4,000 rows: ${summary.rows}`);
});

test('Parquet with only numeric features (read a column at a time) gives the CSV parser\'s exact values; NULL and NaN imputed or refused as in a CSV', async () => {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  const dir = mkdtempSync(join(tmp, 'num-'));
  const file = join(dir, 'num.parquet'), csv = join(dir, 'num.csv');
  // 5,000 rows (several DuckDB chunks, blocks that straddle them); BIGINT, DOUBLE (values that round
  // in float32, negatives, large integers), FLOAT; a NULL and a NaN in some rows.
  await conn.run(`CREATE TABLE t AS SELECT (i * 7919)::BIGINT * 1000003 AS big, CASE WHEN i % 997 = 5 THEN NULL ELSE i / 3.0 - 800 END AS third,
    CASE WHEN i = 4321 THEN 'NaN'::DOUBLE ELSE (i % 13)::FLOAT / 7 END AS f, (i % 4)::BIGINT AS label FROM range(5000) r(i)`);
  await conn.run(`COPY t TO '${file}' (FORMAT parquet)`);
  await conn.run(`COPY (SELECT big, third, f, label FROM t) TO '${csv}' (HEADER, DELIMITER ',')`);
  const source = await SqlSource.open({ data: file });
  const opts = { missing: 'impute' as const };
  const { schema, rows } = await scanSql(source, opts);
  const fromCsv = await readCsvFile(csv, opts);
  assert.deepEqual(schema, { ...fromCsv.schema, delimiter: ',' });
  const { dataset } = await readSql(source, schema, rows);
  assert.deepEqual(dataset.x.data, fromCsv.dataset.x.data);
  assert.deepEqual(dataset.y.data, fromCsv.dataset.y.data);
  let at = 0;
  for await (const b of streamSql(source, schema, rows).blocks()) {
    assert.deepEqual(b.x, fromCsv.dataset.x.data.subarray(at * 3, (at + b.rows) * 3));
    assert.deepEqual(b.y, fromCsv.dataset.y.data.subarray(at, at + b.rows));
    at += b.rows;
  }
  assert.equal(at, 5000);
  // Refused by default, naming the column and the row.
  const refused = await scanSql(source);
  await assert.rejects(readSql(source, refused.schema, refused.rows),
    (e: unknown) => e instanceof ParseError && /:6: column "third": missing value/.test(e.message));
  source.close();
  // Numbers stored as text in a VARCHAR column are numeric features too (parsed per row).
  const text = join(dir, 'text.parquet');
  await conn.run(`COPY (SELECT (i % 7)::VARCHAR || '.5' AS s, i::DOUBLE AS v, (i % 2)::BIGINT AS label FROM range(3000) r(i)) TO '${text}' (FORMAT parquet)`);
  const ts = await SqlSource.open({ data: text });
  const scanned = await scanSql(ts);
  assert.deepEqual(scanned.schema.features.map((f) => f.kind), ['numeric', 'numeric']);
  const read = (await readSql(ts, scanned.schema, scanned.rows)).dataset.x.data;
  assert.deepEqual(Array.from(read.subarray(2 * 2999, 2 * 3000)), [(2999 % 7) + 0.5, 2999]);
  ts.close();
});

test('Parquet integers reach float32 as the CSV parser rounds them: in one cast within 2^53, through DOUBLE beyond', async () => {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const conn = await (await DuckDBInstance.create(':memory:')).connect();
  const dir = mkdtempSync(join(tmp, 'ints-'));
  const file = join(dir, 'ints.parquet'), csv = join(dir, 'ints.csv');
  // 2^60 + 2^36 + 1 rounds up to 2^60 + 2^37 as float32 directly, but to 2^60 through its double
  // (2^60 + 2^36, a tie that rounds to even), which is what parsing its text gives.
  await conn.run(`CREATE TABLE t AS SELECT (i * 3)::INTEGER AS small, (i * 1000003)::BIGINT AS wide,
    CASE WHEN i = 7 THEN 1152921573326323713 ELSE i END::BIGINT AS huge, (i % 2)::BIGINT AS label FROM range(3000) r(i)`);
  await conn.run(`COPY t TO '${file}' (FORMAT parquet)`);
  await conn.run(`COPY t TO '${csv}' (HEADER, DELIMITER ',')`);
  const source = await SqlSource.open({ data: file, threads: 1 });
  const { schema, rows } = await scanSql(source);
  const fromCsv = await readCsvFile(csv);
  const { dataset } = await readSql(source, schema, rows);
  assert.deepEqual(dataset.x.data, fromCsv.dataset.x.data);
  assert.equal(dataset.x.data[7 * 3 + 2], 2 ** 60);
  let at = 0;
  for await (const b of streamSql(source, schema, rows).blocks()) {
    assert.deepEqual(b.x, fromCsv.dataset.x.data.subarray(at * 3, (at + b.rows) * 3));
    at += b.rows;
  }
  source.close();
  await assert.rejects(SqlSource.open({ data: file, threads: 0 }), (e: unknown) => e instanceof ConfigError && /threads must be a positive integer/.test(e.message));
});

test('CLI: an overflowing number and a bad --max-memory end with exit 2 and one line', () => {
  const path = join(tmp, 'over.csv');
  writeFileSync(path, 'a,b,label\n1,2,x\n3,4,y\n5,-9e40,x\n');
  const run = (args: string[]) => spawnSync(process.execPath, ['--import', TSX, join(ROOT, 'src/cli/main.ts'), 'train', ...args, '--quiet', '--out', join(tmp, 'o.nabla')], { cwd: tmp, encoding: 'utf8', timeout: 120_000 });
  const over = run(['--data', path]);
  assert.equal(over.status, 2);
  assert.equal(over.stderr.trim(), `nabla: ${path}:4:3: column "b": -9e40 overflows float32 (the largest magnitude is 3.4028235e38); rescale the column`);
  const bad = run(['--data', path, '--max-memory', 'lots']);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--max-memory lots: use a number with an optional unit/);
  assert.equal(parseMemorySize('1.5G'), 1.5 * 1024 ** 3);
});

test('the in-place split gives trainTestSplit\'s rows in its order, as views of one buffer', async () => {
  const { loadEmbedded } = await import('../../src/data/read-files.js');
  const { trainTestSplit, trainTestSplitInPlace } = await import('../../src/data/preprocess.js');
  const copied = trainTestSplit(loadEmbedded('digits'), { testSize: 0.2, seed: 3, stratify: true });
  const ds = loadEmbedded('digits');
  const inPlace = trainTestSplitInPlace(ds, { testSize: 0.2, seed: 3, stratify: true });
  for (const part of ['train', 'test'] as const) {
    assert.deepEqual(Array.from(inPlace[part].x.data), Array.from(copied[part].x.data));
    assert.deepEqual(Array.from(inPlace[part].y.data), Array.from(copied[part].y.data));
  }
  assert.equal(inPlace.train.x.data.buffer, ds.x.data.buffer);
  assert.equal(inPlace.test.x.data.buffer, ds.x.data.buffer);
});
