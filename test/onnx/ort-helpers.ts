// Runs ONNX bytes in ONNX Runtime Web (its WASM build works in Node) on one float32 batch.
import * as ort from 'onnxruntime-web';

ort.env.wasm.numThreads = 1;
ort.env.logLevel = 'error';

export async function runOnnx(bytes: Uint8Array, x: Float32Array, shape: [number, number]): Promise<{ data: Float32Array; dims: readonly number[] }> {
  const session = await ort.InferenceSession.create(bytes);
  try {
    const feeds = { [session.inputNames[0]]: new ort.Tensor('float32', x, shape) };
    const out = await session.run(feeds);
    const y = out[session.outputNames[0]];
    return { data: y.data as Float32Array, dims: y.dims };
  } finally {
    await session.release();
  }
}
