// Run in a child process by the memory tests: load or stream a data file and report the peak
// resident memory (maxRSS) before and after, so the parent can bound what loading cost.
import { readCsvFile, readIdxFiles, scanCsvFile, streamCsvFile } from '../../src/data/stream-files.js';

const [mode, path, second, budget] = process.argv.slice(2);
const maxMemory = budget ? Number(budget) : undefined;
const rss = () => process.resourceUsage().maxRSS * 1024;
const before = rss();
const out: Record<string, unknown> = { before };
try {
  if (mode === 'memory') {
    const { dataset } = await readCsvFile(path, { maxMemory });
    out.rows = dataset.x.shape[0];
    out.dataBytes = dataset.x.data.byteLength + dataset.y.data.byteLength;
  } else if (mode === 'stream') {
    const { schema, rows } = await scanCsvFile(path);
    const table = streamCsvFile(path, schema, rows);
    let seen = 0;
    for await (const b of table.batches({ batchSize: 128, validation: 0.2 })) seen += b.x.shape[0];
    out.rows = seen;
  } else if (mode === 'idx') {
    const ds = await readIdxFiles(path, second, { maxMemory });
    out.rows = ds.x.shape[0];
  }
  out.ok = true;
} catch (e) {
  out.ok = false;
  out.error = (e as Error).name;
  out.message = (e as Error).message;
}
out.after = rss();
process.stdout.write(`${JSON.stringify(out)}\n`);
