// The input features TensorFlow Playground offers, computed from a point (x₁, x₂) of the plane.
// The network's input x is the vector of the chosen ones, so picking x₁, x₂ and x₁x₂ is the lecture
// notes' feature map ψ(x) = (x₁, x₂, x₁x₂).
import { tensor, type Tensor } from '../src/index.js';

export const FEATURES = {
  x1: { label: 'x₁', f: (a: number, _b: number) => a },
  x2: { label: 'x₂', f: (_a: number, b: number) => b },
  x1sq: { label: 'x₁²', f: (a: number, _b: number) => a * a },
  x2sq: { label: 'x₂²', f: (_a: number, b: number) => b * b },
  x1x2: { label: 'x₁x₂', f: (a: number, b: number) => a * b },
  sinx1: { label: 'sin x₁', f: (a: number, _b: number) => Math.sin(a) },
  sinx2: { label: 'sin x₂', f: (_a: number, b: number) => Math.sin(b) },
} as const;

export type FeatureName = keyof typeof FEATURES;
export const FEATURE_NAMES = Object.keys(FEATURES) as FeatureName[];

/** Points [n, 2] → the network's inputs [n, features.length]. */
export function featurize(points: Tensor, features: readonly FeatureName[]): Tensor {
  const n = points.shape[0], d = features.length, p = points.data;
  const out = new Float32Array(n * d);
  const fs = features.map((f) => FEATURES[f].f);
  for (let i = 0; i < n; i++) {
    const a = p[2 * i], b = p[2 * i + 1];
    for (let j = 0; j < d; j++) out[i * d + j] = fs[j](a, b);
  }
  return tensor(out, { shape: [n, d] });
}
