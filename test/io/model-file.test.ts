// Model files: bit-exact round trip; damaged, truncated, foreign and forged files refused; atomic writes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mlp, Dropout, Sequential, Linear } from '../../src/nn/index.js';
import { Adam } from '../../src/optim/index.js';
import { serializeModel, deserializeModel, crc32 } from '../../src/io/index.js';
import { saveModel, loadModel, writeFileAtomic } from '../../src/io/atomic-files.js';
import { ParseError } from '../../src/errors.js';
import { tensor } from '../../src/tensor/index.js';

import { bytesOf } from '../helpers/files.js';

const model = () => mlp([4, 8, 3], { seed: 5 });

test('round trip is bit-exact with optimizer state, history and meta', () => {
  const m = new Sequential(model(), new Dropout(0.2), new Linear(3, 2, { dtype: 'float32', seed: 1 }));
  const opt = new Adam(m.parameters());
  m.forward(tensor([[1, 2, 3, 4]])).sum().backward();
  opt.step();
  const bytes = serializeModel(m, { optimizer: opt, history: { epoch: [0], loss: [NaN] }, meta: { classNames: ['a', 'b'] } });
  const f = deserializeModel(bytes, 'mem');
  for (const [n, p] of m.namedParameters()) assert.deepEqual(bytesOf(f.state[n].data), bytesOf(p.data), n);
  assert.deepEqual(f.model.config(), m.config());
  assert.deepEqual(f.meta, { classNames: ['a', 'b'] });
  assert.ok(Number.isNaN(f.history!.loss[0]));
  const opt2 = new Adam(f.model.parameters());
  opt2.loadStateDict(f.optimizer!);
  assert.deepEqual(opt2.stateDict(), opt.stateDict());
});

test('damaged, truncated, foreign and forged files are refused with ParseError naming the source', () => {
  const bytes = serializeModel(model());
  const bad = (b: Uint8Array, re: RegExp) => assert.throws(() => deserializeModel(b, 'm.nabla'), (e: unknown) => e instanceof ParseError && /^m\.nabla: /.test(e.message) && re.test(e.message));
  bad(bytes.subarray(0, 10), /truncated/);
  bad(bytes.subarray(0, bytes.length - 1), /truncated/);
  bad(new TextEncoder().encode('PK\x03\x04 this is a zip file, honestly'), /not a nabla model/);
  const flipped = bytes.slice(); flipped[flipped.length - 3] ^= 0x40; bad(flipped, /weights are damaged/);
  const hdr = bytes.slice(); hdr[20] ^= 1; bad(hdr, /header is damaged/);
  const ver = bytes.slice(); ver[6] = 9; bad(ver, /version 9/);
  bad(new Uint8Array([...bytes, 0, 0, 0, 0, 0, 0, 0, 0]), /unexpected bytes/);
  // A forged header claiming a huge tensor (with a correct header checksum) fails before allocating.
  const dv = new DataView(bytes.buffer, bytes.byteOffset);
  const hlen = dv.getUint32(8, true);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(16, 16 + hlen)));
  header.tensors[0].shape = [1e9, 1e9];
  header.tensors[0].byteLength = 4e18;
  header.dataBytes = 8; // and the file really has 8 data bytes, so only the tensor table lies
  const json = new TextEncoder().encode(JSON.stringify(header));
  const forged = new Uint8Array(((16 + json.length + 7) & ~7) + 8);
  forged.set(bytes.subarray(0, 16)); forged.set(json, 16);
  const fdv = new DataView(forged.buffer);
  fdv.setUint32(8, json.length, true);
  fdv.setUint32(12, crc32(json), true); // a valid checksum, so only the table is wrong
  assert.throws(() => deserializeModel(forged, 'm.nabla'), (e: unknown) => e instanceof ParseError && /larger than the file/.test(e.message));
});

test('saveModel/loadModel through an atomic write; a failed write leaves the old file intact', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nabla-io-'));
  const path = join(dir, 'm.nabla');
  const m = model();
  saveModel(path, m);
  const before = readFileSync(path);
  assert.deepEqual(loadModel(path).model.config(), m.config());
  assert.throws(() => writeFileAtomic(path, new Uint8Array(10), { beforeRename: () => { throw new Error('crash'); } }), /crash/);
  assert.deepEqual(readFileSync(path), before);
  assert.deepEqual(readdirSync(dir), ['m.nabla']);
  writeFileSync(join(dir, 'junk.nabla'), 'hello');
  assert.throws(() => loadModel(join(dir, 'junk.nabla')), (e: unknown) => e instanceof ParseError && e.message.includes('junk.nabla'));
  assert.throws(() => loadModel(join(dir, 'missing.nabla')), /ENOENT/);
});
