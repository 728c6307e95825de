// IDX files (MNIST, Fashion-MNIST) from already-decompressed bytes. Browser-safe.
// Layout: 2 zero bytes, a type byte (0x08 = unsigned byte), a dimension count, then that many
// big-endian uint32 sizes, then the values row-major. Every size is checked against the bytes we
// actually have before anything is allocated, so a forged header cannot ask for gigabytes.
import { ParseError } from '../errors.js';
import { tensor } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import { makeDataset, type Dataset } from './dataset.js';

export interface IdxArray {
  dims: number[];
  /** The values, a view into the input bytes (no copy). */
  data: Uint8Array;
}

/** Fashion-MNIST's class names, in label order. */
export const FASHION_MNIST_CLASSES = [
  'T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot',
];

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Parse a ubyte IDX file with `ndim` dimensions (3 for images, 1 for labels). */
export function parseIdx(bytes: Uint8Array, source = '<idx>', ndim?: number): IdxArray {
  const fail = (what: string, offset?: number): never => {
    throw new ParseError(`${source}: ${what}${offset === undefined ? '' : ` (byte ${offset})`}`, source, undefined, undefined, offset);
  };
  if (isGzip(bytes)) {
    fail('gzip-compressed; decompress it first (Node: loadIdxFiles reads .gz; browsers: DecompressionStream("gzip"))', 0);
  }
  if (bytes.length < 4) fail(`truncated: ${bytes.length} bytes, an IDX header needs at least 4`);
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    fail(`not an IDX file: magic starts ${hex(bytes[0])} ${hex(bytes[1])}, expected 0x00 0x00`, 0);
  }
  const type = bytes[2], rank = bytes[3];
  if (type !== 0x08) fail(`IDX value type ${hex(type)} is not supported (only 0x08, unsigned byte)`, 2);
  if (ndim !== undefined && rank !== ndim) {
    const magic = `0x000008${rank.toString(16).padStart(2, '0')}`;
    const want = `0x000008${ndim.toString(16).padStart(2, '0')}`;
    fail(`magic ${magic} has ${rank} dimensions, expected ${want} (${ndim === 3 ? 'images' : ndim === 1 ? 'labels' : `${ndim}-d`})`, 0);
  }
  if (rank === 0) fail('IDX header declares 0 dimensions', 3);
  const dataStart = 4 + 4 * rank;
  if (bytes.length < dataStart) fail(`truncated header: ${rank} dimensions need ${dataStart} bytes, file has ${bytes.length}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims: number[] = [];
  let count = 1;
  for (let i = 0; i < rank; i++) {
    const dim = view.getUint32(4 + 4 * i, false);
    dims.push(dim);
    count *= dim; // exact while count stays below 2^53, and any larger count fails the check below
  }
  const have = bytes.length - dataStart;
  if (count > have) {
    fail(`truncated: header says ${dims.join('x')} = ${count} values but only ${have} bytes follow`, bytes.length);
  }
  if (count < have) fail(`${have - count} unexpected bytes after the ${dims.join('x')} values`, dataStart + count);
  return { dims, data: bytes.subarray(dataStart, dataStart + count) };
}

/** Images as [n, rows*cols] float32 scaled to [0, 1] (pixel / 255). */
export function parseIdxImages(bytes: Uint8Array, source = '<idx images>'): Tensor {
  const { dims, data } = parseIdx(bytes, source, 3);
  const [n, rows, cols] = dims;
  const x = new Float32Array(data.length);
  for (let i = 0; i < data.length; i++) x[i] = data[i] / 255;
  return tensor(x, { shape: [n, rows * cols] });
}

/** Labels as [n] float32 class indices. */
export function parseIdxLabels(bytes: Uint8Array, source = '<idx labels>'): Tensor {
  const { data } = parseIdx(bytes, source, 1);
  return tensor(Float32Array.from(data), { shape: [data.length] });
}

export interface IdxDatasetOptions {
  imagesSource?: string;
  labelsSource?: string;
  /** Class names (default: '0'..'9' widened to the largest label). */
  classNames?: string[];
  name?: string;
}

/** An image file and a label file as one classification Dataset. */
export function parseIdxDataset(images: Uint8Array, labels: Uint8Array, opts: IdxDatasetOptions = {}): Dataset {
  const x = parseIdxImages(images, opts.imagesSource);
  const y = parseIdxLabels(labels, opts.labelsSource);
  const n = x.shape[0];
  if (y.shape[0] !== n) {
    throw new ParseError(`${opts.labelsSource ?? '<idx labels>'}: ${y.shape[0]} labels for ${n} images in ${opts.imagesSource ?? '<idx images>'}`,
      opts.labelsSource);
  }
  let max = 0;
  for (const v of y.data) if (v > max) max = v;
  const classNames = opts.classNames ?? Array.from({ length: max + 1 }, (_, i) => String(i));
  if (max >= classNames.length) {
    throw new ParseError(`${opts.labelsSource ?? '<idx labels>'}: label ${max} but only ${classNames.length} class names`, opts.labelsSource);
  }
  const d = x.shape[1];
  const side = Math.round(Math.sqrt(d));
  const featureNames = side * side === d
    ? Array.from({ length: d }, (_, i) => `r${Math.floor(i / side)}c${i % side}`)
    : Array.from({ length: d }, (_, i) => `p${i}`);
  return makeDataset({
    x: x.data as Float32Array, y: y.data as Float32Array, n, d, task: 'classification', classNames, featureNames, name: opts.name,
  });
}

function hex(b: number): string {
  return `0x${b.toString(16).padStart(2, '0')}`;
}
