// The lessons: one per demonstration in the lecture notes, in the order the notes tell them.
// Each states the notes' claim, measures it with nabla, says whether it holds and draws a figure.
// Library code (browser-safe): the CLI writes the SVG, the playground can show it.
import { ConfigError } from '../errors.js';
import { backwardCostLesson } from './backward-cost.js';
import { deepLinearLesson } from './deep-linear.js';
import { featureMapLesson } from './feature-map.js';
import { jacobianSizeLesson } from './jacobian-size.js';
import type { Lesson, LessonResult } from './lesson.js';
import { patternAbLesson } from './pattern-ab.js';
import { perExampleLesson } from './per-example.js';
import { polynomialLesson } from './polynomial.js';
import { sigmoidToStepLesson } from './sigmoid-to-step.js';
import { thresholdUnitsLesson } from './threshold-units.js';
import { universalLesson } from './universal.js';
import { xorLesson } from './xor.js';

export type { Lesson, LessonResult } from './lesson.js';
export { handBuiltXor } from './xor.js';
export { binaryUniversalNet, configurations } from './universal.js';
export { fitPolynomial } from './polynomial.js';
export { countGemmFlops } from './counting.js';
export { jacobianBytes } from './jacobian-size.js';
export { figure as lessonFigure, type Panel, type Series } from './figure.js';

export const LESSONS: readonly Lesson[] = [
  xorLesson, patternAbLesson, featureMapLesson, polynomialLesson, universalLesson, sigmoidToStepLesson,
  deepLinearLesson, thresholdUnitsLesson, jacobianSizeLesson, backwardCostLesson, perExampleLesson,
];

export const lessonNames = (): string[] => LESSONS.map((l) => l.name);

export function lesson(name: string): Lesson {
  const l = LESSONS.find((x) => x.name === name);
  if (!l) throw new ConfigError(`no lesson '${name}'; the lessons are ${lessonNames().join(', ')}`);
  return l;
}

/** Run one lesson by name. */
export function runLesson(name: string): Promise<LessonResult> {
  return lesson(name).run();
}
