// The ONNX importer's refusals: a well-formed model that uses operators (or operator settings)
// outside the plain MLP nabla can rebuild, or an opset / IR version whose definitions nabla does
// not follow. Each says what was found and what nabla supports, in one line.
import { ConfigError } from '../errors.js';
import { describeForms } from './activation-nodes.js';

export class UnsupportedOnnxError extends ConfigError {
  override name = 'UnsupportedOnnxError';
  constructor(readonly ops: readonly string[], detail = '') {
    super(`ONNX import: unsupported operator${ops.length === 1 ? '' : 's'} ${ops.join(', ')}${detail ? ` (${detail})` : ''}; `
      + `nabla imports plain MLPs: Gemm or MatMul(+Add) with ${describeForms()}, Identity, Dropout, Flatten; softmax on the last axis`);
  }
}

export class UnsupportedOnnxVersionError extends ConfigError {
  override name = 'UnsupportedOnnxVersionError';
  constructor(source: string, readonly what: 'opset' | 'IR version', readonly version: number, readonly supported: { min: number; max: number }) {
    super(`${source}: ONNX ${what} ${version} is not supported (nabla imports ${what === 'opset' ? 'ai.onnx opsets' : 'IR versions'} ${supported.min}..${supported.max})`);
  }
}
