// ModelCheckpoint: the callback that writes a resumable checkpoint (model, optimizer, history and
// the run's training state) as a model file. Browser-safe: the writer is injected, e.g.
// writeFileAtomic from 'nabla/node', so that a crash mid-write never leaves a partial file.
import type { Callback, EpochLogs, FitContext } from '../train/callbacks.js';
import { serializeModel } from './model-file.js';

export interface ModelCheckpointOptions {
  /** Where to write; '{epoch}' is replaced by the epoch number (1-based). */
  path: string;
  /** Write every this many epochs (default 1); the last epoch is always written. */
  every?: number;
  /** Writes the bytes (e.g. writeFileAtomic from 'nabla/node'). */
  write: (path: string, bytes: Uint8Array) => void | Promise<void>;
  /** Stored in the file's meta. */
  meta?: Record<string, unknown>;
}

/**
 * Keras' ModelCheckpoint: after each epoch (every `every`, and always the last), serialise the
 * state for an exact resume: fit(model, data, { resume: loadModel(path) }). Place it after the
 * callbacks whose state it should capture (fit's scheduler and earlyStopping shorthands run first).
 */
export class ModelCheckpoint implements Callback {
  constructor(readonly opts: ModelCheckpointOptions) {}

  async onEpochEnd(epoch: number, _logs: EpochLogs, ctx: FitContext): Promise<void> {
    const last = epoch + 1 === ctx.epochs || ctx.stopTraining;
    if (!last && (epoch + 1) % (this.opts.every ?? 1) !== 0) return;
    const bytes = serializeModel(ctx.model, { optimizer: ctx.optimizer, history: ctx.history, training: ctx.trainingState(), meta: this.opts.meta });
    await this.opts.write(this.opts.path.replace('{epoch}', String(epoch + 1)), bytes);
  }
}
