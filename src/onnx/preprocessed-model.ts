// The whole imported graph as one module when it starts with preprocessing nodes (nabla's own
// pipeline exports): missing values filled, columns scaled, then the layers. It exists so that
// importOnnx(...).model.forward(x) computes what the graph computes; to save the import, save the
// pipeline, which keeps the preprocessing as data (this module has no config to rebuild it from).
import { ConfigError } from '../errors.js';
import { Module, type ModuleConfig } from '../nn/module.js';
import type { Pipeline } from '../pipeline/pipeline.js';
import { tensor } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';

export class PreprocessedModel extends Module {
  constructor(readonly pipeline: Pipeline) {
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
    return this.pipeline.model.forward(this.pipeline.transform(x));
  }

  config(): ModuleConfig {
    throw new ConfigError('an imported ONNX graph with preprocessing nodes cannot be saved as a bare model: save importOnnx(...).pipeline (savePipeline) instead');
  }
}
