// The lessons of the lecture notes that live in the plane, as presets of the controls with the
// notes' claim beside them. `nabla lesson NAME` measures the same claims from the command line.
import { DEFAULTS, type Settings } from './settings.js';

export interface Lesson {
  name: Exclude<Settings['lesson'], ''>;
  title: string;
  claim: string;
  settings: Partial<Settings>;
}

export const LESSONS: Lesson[] = [
  {
    name: 'xor-linear', title: 'XOR: a linear model',
    claim: 'No line separates XOR: with no hidden layer the boundary stays a straight line and about half the points stay wrong, however long you train.',
    settings: { dataset: 'xor', features: ['x1', 'x2'], hidden: [], activation: 'tanh', lr: 0.03, regularization: 'none', regRate: 0 },
  },
  {
    name: 'xor-mlp', title: 'XOR: one hidden layer',
    claim: 'A hidden layer of a few units bends the boundary: the MLP separates XOR (press Start).',
    settings: { dataset: 'xor', features: ['x1', 'x2'], hidden: [4], activation: 'tanh', lr: 0.1, regularization: 'none', regRate: 0 },
  },
  {
    name: 'feature-map', title: 'Feature map ψ(x) = (x₁, x₂, x₁x₂)',
    claim: 'With the feature x₁x₂ a linear model separates XOR: the feature map does the work the hidden layer did. Click x₁x₂ off and on to see it.',
    settings: { dataset: 'xor', features: ['x1', 'x2', 'x1x2'], hidden: [], activation: 'tanh', lr: 0.03, regularization: 'none', regRate: 0 },
  },
  {
    name: 'pattern-ab', title: 'Pattern A/B: translations (16 pixels)',
    claim: 'Patterns A and B in all 16 shifts: both classes average 0.25 on every pixel, so no linear model classifies all 32; an MLP with one hidden layer does. 16 inputs do not fit the plane, so this lesson trains both models here, on the 32 strips below.',
    settings: {},
  },
  {
    name: 'regularisation', title: 'Weight decay: J = L + λ/2·Σ‖W‖²',
    claim: 'An L2 penalty pulls the weights toward 0: the edges thin out and the boundary smooths; the backprop view adds J and its +λW terms.',
    settings: { dataset: 'spirals', features: ['x1', 'x2'], hidden: [8, 8], activation: 'tanh', lr: 0.03, regularization: 'l2', regRate: 0.01 },
  },
];

/** The full settings of a lesson: its preset over the defaults, keeping the viewer's projector choice. */
export function lessonSettings(l: Lesson, current: Settings): Settings {
  return { ...DEFAULTS, features: [...DEFAULTS.features], hidden: [...DEFAULTS.hidden], ...l.settings, projector: current.projector, seed: current.seed, lesson: l.name };
}
