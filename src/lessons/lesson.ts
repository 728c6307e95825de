// What a lesson is: one demonstration from the lecture notes, re-run by nabla. It states the
// notes' claim, measures it, and decides `holds` on counts (accuracies, FLOPs, bytes, fitted
// slopes with stated tolerances), never on a single timing; timings only go into figures.

export interface LessonResult {
  lesson: string;
  /** The notes' claim, in one sentence. */
  claim: string;
  /** Whether nabla's measurement agrees with the claim. */
  holds: boolean;
  /** The measured numbers behind `holds` (and timings, which never decide it). */
  figures: Record<string, unknown>;
  /** What was measured, in a few lines for a terminal. */
  measurement: string[];
  /** The figure as a standalone SVG document. */
  svg: string;
}

export interface Lesson {
  name: string;
  /** Where in the notes the demonstration comes from. */
  source: string;
  claim: string;
  run(): Promise<LessonResult>;
}
