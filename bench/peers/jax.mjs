// jax-js on its wasm device in Node (the workloads: jax-workloads.mjs).
import { config, emit, loadImages, peerVersion, requirePeer } from './common.mjs';
import { jaxWorkloads } from './jax-workloads.mjs';

const jax = requirePeer('@jax-js/jax');
await jax.init('wasm');
jax.defaultDevice('wasm');
const result = await jaxWorkloads(jax, config, loadImages());
emit({ 'jax-js wasm': { version: peerVersion('@jax-js/jax'), ...result } });
