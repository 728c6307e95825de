// The ONNX importer's refusal: a well-formed model that uses operators (or operator settings)
// outside the plain MLP nabla can rebuild. Lists every offending op so the user sees them at once.
import { ConfigError } from '../errors.js';
import { describeForms } from './activation-nodes.js';

export class UnsupportedOnnxError extends ConfigError {
  override name = 'UnsupportedOnnxError';
  constructor(readonly ops: readonly string[], detail = '') {
    super(`ONNX import: unsupported operator${ops.length === 1 ? '' : 's'} ${ops.join(', ')}${detail ? ` (${detail})` : ''}; `
      + `nabla imports plain MLPs: Gemm or MatMul(+Add) with ${describeForms()}, Identity, Dropout; softmax on the last axis`);
  }
}
