// TensorFlow.js on its cpu and wasm (XNNPACK) backends in Node (the workloads: tfjs-workloads.mjs).
import { config, emit, loadImages, peerVersion, requirePeer } from './common.mjs';
import { tfjsWorkloads } from './tfjs-workloads.mjs';

// tfjs prints a hint about tfjs-node to the console on import; keep stdout for the result line.
const log = console.log;
console.log = (...args) => console.error(...args);
const tf = requirePeer('@tensorflow/tfjs');
requirePeer('@tensorflow/tfjs-backend-wasm');
console.log = log;

const images = loadImages();
const systems = {};
for (const backend of ['cpu', 'wasm']) {
  if (!(await tf.setBackend(backend))) continue;
  await tf.ready();
  systems[`tfjs ${backend}`] = { version: peerVersion('@tensorflow/tfjs'), ...(await tfjsWorkloads(tf, config, images)) };
}
emit(systems);
