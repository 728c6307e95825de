// What the page exposes on window.nabla for the browser test (and for curious users in the
// console): read-only state; the test drives the page through its controls.
import type { BackwardState } from './backprop-view.js';
import type { Settings } from './settings.js';

export interface PlaygroundState {
  ready: boolean;
  running: boolean;
  /** The compute backend in use ('wasm' in a browser with WebAssembly SIMD). */
  backend: string;
  settings: Settings;
  dataset: string;
  epoch: number;
  /** Train loss after the last epoch (NaN before any). */
  loss: number;
  testLoss: number;
  /** Train loss per epoch, epoch 0 = before training. */
  lossHistory: number[];
  /** Times the views were redrawn (a test can wait for the next one). */
  frames: number;
  backward: BackwardState;
  error: string;
}

/** The traced example and the network's parameters, so that a test can rerun explain on them. */
export interface TracedExample {
  x: number[];
  target: number | number[];
  /** Each Linear's weight [in, out] (row-major) and bias. */
  layers: { weight: number[]; shape: number[]; bias: number[] }[];
  activation: string;
  loss: 'ce' | 'half-mse';
  /** The derivation text the page built its lines from. */
  text: string;
}

export interface PlaygroundHooks {
  state(): PlaygroundState;
  /** FNV-1a of the decision-boundary canvas's pixels (apart from state(): it reads every pixel). */
  boundaryChecksum(): string;
  example(): TracedExample | null;
}

declare global {
  interface Window {
    nabla?: PlaygroundHooks;
  }
}

export function exposeHooks(h: PlaygroundHooks): void {
  window.nabla = h;
}
