// The whole imported graph as one module when it has more than Linear and activation layers: nabla's
// own pipeline exports start with preprocessing (missing values filled, columns scaled) and may end
// with the two probability columns [1 - p, p] of a one-output sigmoid. It exists so that
// importOnnx(...).model.forward(x) computes what the graph computes; to save the import, save the
// pipeline, which keeps the preprocessing as data (this module has no config to rebuild it from).
import { ConfigError } from '../errors.js';
import { Module, type ModuleConfig } from '../nn/module.js';
import type { Pipeline } from '../pipeline/pipeline.js';
import { tensor } from '../tensor/creation.js';
import { sub } from '../tensor/ops/elementwise.js';
import { concat } from '../tensor/ops/movement.js';
import type { Tensor } from '../tensor/tensor.js';

export class ImportedGraph extends Module {
  constructor(readonly pipeline: Pipeline, readonly twoColumns: boolean) {
    super();
    this.registerModule('model', pipeline.model);
  }

  forward(x: Tensor): Tensor {
    const features = this.pipeline.schema?.features;
    if (features && x.data.some((v) => Number.isNaN(v))) {
      // A NaN is a missing cell: the column's training mean, as the graph's Where(IsNaN(x), fill, x).
      const d = x.shape[1];
      const data = Float32Array.from(x.data, (v, i) => {
        const f = features[i % d];
        return Number.isNaN(v) && f.kind === 'numeric' && f.fill !== undefined ? f.fill : v;
      });
      x = tensor(data, { shape: [...x.shape] });
    }
    const p = this.pipeline.model.forward(this.pipeline.transform(x));
    return this.twoColumns ? concat([sub(1, p), p], 1) : p;
  }

  config(): ModuleConfig {
    throw new ConfigError('an imported ONNX graph with preprocessing or a two-column probability output cannot be saved as a bare model: save importOnnx(...).pipeline (savePipeline) instead');
  }
}
