// A pipeline's answer for a batch of rows: classes with their probabilities, or values, and the
// CSV `nabla predict` writes from them (prediction,p_<class>,... or predicted_<target>,...).
import type { Task } from '../data/dataset.js';
import type { Tensor } from '../tensor/tensor.js';

export interface PredictionsInit {
  task: Task;
  /** The model's raw outputs [n, k]. */
  outputs: Tensor;
  /** Classification: probabilities [n, classes] in class-index order. */
  probabilities?: Tensor;
  /** Classification: the most probable class index per row. */
  classes?: Int32Array;
  /** Classification: the name of that class per row. */
  labels?: string[];
  classNames?: string[];
  /** Regression: the predicted values [n, targets]. */
  values?: Tensor;
  /** Regression: the target column names. */
  targets?: string[];
}

function csvCell(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export class Predictions {
  readonly task: Task;
  readonly outputs: Tensor;
  readonly probabilities?: Tensor;
  readonly classes?: Int32Array;
  readonly labels?: string[];
  readonly classNames?: string[];
  readonly values?: Tensor;
  readonly targets?: string[];

  constructor(init: PredictionsInit) {
    this.task = init.task;
    this.outputs = init.outputs;
    for (const k of ['probabilities', 'classes', 'labels', 'classNames', 'values', 'targets'] as const) {
      if (init[k] !== undefined) (this as Record<string, unknown>)[k] = init[k];
    }
  }

  /** Number of rows. */
  get length(): number { return this.outputs.shape[0]; }

  /** The CSV header: prediction,p_<class>,... or predicted_<target>,... */
  get columns(): string[] {
    return this.task === 'classification'
      ? ['prediction', ...this.classNames!.map((c) => `p_${c}`)]
      : this.targets!.map((t) => `predicted_${t}`);
  }

  /** The predictions as CSV text: probabilities to 6 significant digits, values to 7. */
  toCsv(): string {
    const n = this.length;
    const rows = [this.columns.map(csvCell).join(',')];
    if (this.task === 'classification') {
      const p = this.probabilities!, k = p.shape[1];
      for (let i = 0; i < n; i++) {
        rows.push([csvCell(this.labels![i]), ...Array.from(p.data.subarray(i * k, (i + 1) * k), (v) => v.toPrecision(6))].join(','));
      }
    } else {
      const v = this.values!, k = v.shape[1];
      for (let i = 0; i < n; i++) rows.push(Array.from(v.data.subarray(i * k, (i + 1) * k), (x) => x.toPrecision(7)).join(','));
    }
    return `${rows.join('\n')}\n`;
  }
}
