// Training progress: a bar per epoch on a terminal (cli-progress), plain lines when piped.
import cliProgress from 'cli-progress';

export interface EpochLine {
  epoch: number;
  epochs: number;
  loss: number;
  accuracy?: number;
  valLoss?: number;
  valAccuracy?: number;
  samplesPerSecond: number;
}

export interface Progress {
  batch(epoch: number, done: number, total: number, loss: number, samplesPerSecond: number): void;
  epochEnd(line: EpochLine): void;
  stop(): void;
}

function fmtLine(l: EpochLine): string {
  const parts = [`epoch ${String(l.epoch).padStart(String(l.epochs).length)}/${l.epochs}`, `loss ${l.loss.toFixed(4)}`];
  if (l.accuracy !== undefined) parts.push(`acc ${(100 * l.accuracy).toFixed(2)}%`);
  if (l.valLoss !== undefined) parts.push(`val_loss ${l.valLoss.toFixed(4)}`);
  if (l.valAccuracy !== undefined) parts.push(`val_acc ${(100 * l.valAccuracy).toFixed(2)}%`);
  parts.push(`${Math.round(l.samplesPerSecond).toLocaleString('en-US')} samples/s`);
  return parts.join('  ');
}

/** A progress reporter writing to `stream` (stderr keeps stdout clean for --json). */
export function createProgress(stream: NodeJS.WriteStream, quiet: boolean): Progress {
  if (quiet) return { batch() {}, epochEnd() {}, stop() {} };
  if (!stream.isTTY) {
    return { batch() {}, epochEnd: (l) => stream.write(`${fmtLine(l)}\n`), stop() {} };
  }
  let bar: cliProgress.SingleBar | null = null;
  let currentEpoch = -1;
  return {
    batch(epoch, done, total, loss, sps) {
      if (epoch !== currentEpoch) {
        bar?.stop();
        bar = new cliProgress.SingleBar({
          stream,
          format: `epoch ${epoch} [{bar}] {percentage}% | loss {loss} | {sps} samples/s`,
          hideCursor: true,
          clearOnComplete: true,
        }, cliProgress.Presets.shades_classic);
        bar.start(total, 0, { loss: '-', sps: '-' });
        currentEpoch = epoch;
      }
      bar!.update(done, { loss: loss.toFixed(4), sps: Math.round(sps).toLocaleString('en-US') });
    },
    epochEnd(l) {
      bar?.stop();
      bar = null;
      currentEpoch = -1;
      stream.write(`${fmtLine(l)}\n`);
    },
    stop() { bar?.stop(); },
  };
}
