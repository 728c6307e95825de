// What the page exposes on window.nabla for the browser test (and for curious users in the
// console): read-only state plus a few actions; the test drives the page through its buttons.
import type { BackwardState } from './backprop-view.js';

export interface PlaygroundState {
  ready: boolean;
  running: boolean;
  dataset: string;
  epoch: number;
  /** Train loss after the last epoch (NaN before any). */
  loss: number;
  testLoss: number;
  /** Train loss per epoch, epoch 0 = before training. */
  lossHistory: number[];
  /** FNV-1a of the decision-boundary canvas's pixels. */
  boundaryChecksum: string;
  /** Times the views were redrawn (a test can wait for the next one). */
  frames: number;
  backward: BackwardState;
  error: string;
}

export interface PlaygroundHooks {
  state(): PlaygroundState;
  /** Resolves once the backprop graph for the current example is drawn. */
  traced(): Promise<void>;
}

declare global {
  interface Window {
    nabla?: PlaygroundHooks;
  }
}

export function exposeHooks(h: PlaygroundHooks): void {
  window.nabla = h;
}
