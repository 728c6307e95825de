// Every parser meets mutated real files (test/data covers random bytes and random CSV-ish text):
// the only allowed outcome besides a result is a typed NablaError. The model-file fuzz also forges
// headers with correct CRC-32s so the mutations reach the JSON validation, not just the checksum.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { applyCsvSchema, parseCsv, parseIdx, parseIdxDataset } from '../../src/data/index.js';
import { crc32, deserializeModel, serializeModel } from '../../src/io/index.js';
import { mlp } from '../../src/nn/index.js';
import { ParseError } from '../../src/errors.js';
import { Adam } from '../../src/optim/index.js';
import { mutated, onlyTypedErrors, report, tally } from './fuzz-helpers.js';
import { forgeModel, idxBytes, splitModel } from '../helpers/files.js';

const RUNS = 5000;

test('CSV fuzz: mutated iris.csv (parse, and apply the stored schema) gives a dataset or a typed error', () => {
  const iris = new Uint8Array(readFileSync('data/iris.csv')).subarray(0, 1500);
  const { schema } = parseCsv(iris, { source: 'iris.csv' });
  fc.assert(fc.property(mutated(iris), (b) => {
    tally('csv');
    onlyTypedErrors(() => parseCsv(b, { source: 'm.csv' }));
    onlyTypedErrors(() => applyCsvSchema(b, schema, { source: 'm.csv' }));
  }), { numRuns: RUNS, seed: 10 });
  report('csv');
});


test('IDX fuzz: mutated image/label pairs give a dataset or a typed error, never more data than bytes', () => {
  const images = idxBytes([6, 4, 4], Uint8Array.from({ length: 96 }, (_, i) => (i * 37) & 255));
  const labels = idxBytes([6], Uint8Array.of(0, 1, 2, 1, 0, 2));
  fc.assert(fc.property(mutated(images), mutated(labels), (im, lb) => {
    tally('idx');
    onlyTypedErrors(() => assert.ok(parseIdx(im).data.length <= im.length));
    onlyTypedErrors(() => parseIdxDataset(im, lb));
  }), { numRuns: RUNS, seed: 11 });
  report('idx');
});


/** Replace the value at a random path of a JSON tree. */
function setAt(tree: unknown, path: number[], value: unknown): unknown {
  if (path.length === 0 || tree === null || typeof tree !== 'object') return value;
  const keys = Object.keys(tree);
  if (keys.length === 0) return value;
  const k = keys[path[0] % keys.length];
  const copy: Record<string, unknown> = Array.isArray(tree) ? [...tree] as unknown as Record<string, unknown> : { ...tree };
  copy[k] = setAt((tree as Record<string, unknown>)[k], path.slice(1), value);
  return copy;
}

const model = mlp([3, 4, 2], { activation: 'tanh', dropout: 0.1, seed: 1 });
const opt = new Adam(model.parameters(), { lr: 0.01 });
const file = serializeModel(model, { optimizer: opt, history: { loss: [1, 0.5] }, meta: { classes: ['a', 'b'] } });

test('model file fuzz: random bytes, mutated files and forged headers (valid CRCs) give a model or a typed error', () => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), (b) => { tally('model'); onlyTypedErrors(() => deserializeModel(b)); }), { numRuns: RUNS, seed: 12 });
  fc.assert(fc.property(mutated(file), (b) => { tally('model'); onlyTypedErrors(() => deserializeModel(b)); }), { numRuns: RUNS, seed: 13 });
  const { header, data } = splitModel(file);
  // Small replacement values only: the forged-architecture allocation has its own test below.
  const leaf = fc.oneof(fc.integer({ min: -2, max: 64 }), fc.constantFrom(null, true, 'Linear', 'ReLU', 'float64', 'nope', 1e300, -0.5), fc.array(fc.integer({ min: 0, max: 8 }), { maxLength: 3 }), fc.constant({}));
  fc.assert(fc.property(fc.array(fc.nat(), { maxLength: 6 }), leaf, fc.integer({ min: -16, max: 16 }), (path, value, resize) => {
    tally('model');
    const d = resize >= 0 ? Uint8Array.from([...data, ...new Uint8Array(resize)]) : data.subarray(0, data.length + resize);
    onlyTypedErrors(() => deserializeModel(forgeModel(setAt(header, path, value) as Record<string, unknown>, d)));
  }), { numRuns: RUNS, seed: 14 });
  report('model');
});

test('model file: a forged architecture cannot make nabla allocate more than the file holds', () => {
  const { header, data } = splitModel(serializeModel(mlp([2, 3], { seed: 1 })));
  const arch = header.architecture as { layers: { inFeatures: number; outFeatures: number }[] };
  arch.layers[0].inFeatures = arch.layers[0].outFeatures = 12000; // 576 MB of weights from a ~400-byte file
  const before = process.memoryUsage().rss;
  assert.throws(() => deserializeModel(forgeModel(header, data)), (e: Error) => e instanceof ParseError && /Linear\(12000, 12000\)/.test(e.message));
  assert.ok(process.memoryUsage().rss - before < 64e6, 'allocated the forged architecture before checking it against the file');
});
