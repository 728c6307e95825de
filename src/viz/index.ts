// viz: see backprop. Computation graphs (DOT, Mermaid, SVG), step-by-step derivations (explain),
// cost and memory profiles, and SVG plots. Browser-safe: no node:fs anywhere below here.
export type { Graph, GraphNode, GraphEdge, NodeKind, RankDir, RenderOptions } from './graph/model.js';
export { buildGraph, retainGrads, type BuildOptions } from './graph/build.js';
export { toDot, asGraph, type GraphSource } from './graph/dot.js';
export { toMermaid } from './graph/mermaid.js';
export { toSvg, type SvgOptions } from './graph/svg.js';
export { lectureGraph, type LectureGraphOptions } from './graph/lecture.js';
export { KIND_STYLE, type KindStyle } from './graph/style.js';
export type { NetLike, LayerLike, Activation as NetActivation } from './net.js';
export { netOfModule } from './net.js';
export { renderDerivation, stepText, type Derivation, type Section, type Step, type Expr, type ExplainFormat } from './explain/derivation.js';
export { explain, explainTrace, type ExplainOptions, type ExplainTrace, type ExplainedLayer, type ExplainLoss } from './explain/explain.js';
export { explainBatch, explainBatchTrace, batchRecordForJson, type BatchExplainOptions, type BatchRecord, type BatchTrace, type BatchLoss, type Convention } from './explain/matrix.js';
export { explainScalar, explainScalarTrace, scalarExamples, type ScalarExample, type ScalarExplainOptions, type ScalarTrace } from './explain/scalar.js';
export { defaultExample, explainDefault, type ExampleProblem } from './explain/default-example.js';
export { profile, type ProfileOptions, type ProfileReport, type LayerProfile } from './profile/profile.js';
export { formatProfile } from './profile/table.js';
export { plotHistory, type History as PlotHistory, type HistoryPlotOptions } from './plot/history.js';
export { plotDecisionBoundary, type PredictFn, type Prediction, type Data2d, type BoundaryPlotOptions } from './plot/decision-boundary.js';
