// Typed errors (DESIGN decision 7): each names what went wrong and where, so a caller can act on it.

export class NablaError extends Error {
  override name = 'NablaError';
}

/** Shapes that do not fit an op; the message names the op and the shapes. */
export class ShapeError extends NablaError {
  override name = 'ShapeError';
}

/** Mixed or unsupported dtypes. */
export class DTypeError extends NablaError {
  override name = 'DTypeError';
}

/** Misuse of autograd: backward through a freed graph, a non-scalar without a gradOutput, ... */
export class GradError extends NablaError {
  override name = 'GradError';
}

/**
 * Misuse of a function transform (grad, vjp, jvp, jacobian, vmap, ...): names the transform and the
 * argument (its position, or 'output' for what the function returned).
 */
export class TransformError extends NablaError {
  override name = 'TransformError';
  constructor(
    readonly transform: string,
    readonly argument: number | 'output' | 'inAxes',
    message: string,
  ) {
    super(`${transform}: ${message}`);
  }
}

/** A NaN or ±Infinity where the caller asked for finite values. */
export class NonFiniteError extends NablaError {
  override name = 'NonFiniteError';
}

/** A file or byte stream that cannot be read; names the source and the position. */
export class ParseError extends NablaError {
  override name = 'ParseError';
  constructor(
    message: string,
    readonly source?: string,
    readonly line?: number,
    readonly column?: number | string,
    readonly offset?: number,
  ) {
    super(message);
  }
}

/** A model, optimizer state or option that does not fit what it is applied to. */
export class ConfigError extends NablaError {
  override name = 'ConfigError';
}
