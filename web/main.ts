// The playground's controller. The settings object is the single source of truth: the controls
// write it, the URL mirrors it (history.replaceState on every change, no reload), and a change
// that alters the data or the network rebuilds the Trainer. Training runs in short chunks from
// requestAnimationFrame so the page stays responsive.
import { backendName, initWasmBackend, setBackend } from '../src/index.js';
import { BackpropView } from './backprop-view.js';
import { BoundaryView } from './boundary-view.js';
import { canvasChecksum } from './checksum.js';
import { loadData } from './datasets.js';
import { byId, context2d } from './dom.js';
import { FEATURE_NAMES, type FeatureName } from './features.js';
import { exposeHooks } from './hooks.js';
import { lectureGraph, type LectureGraph } from './lecture-graph.js';
import { LESSONS, lessonSettings } from './lessons.js';
import { LossChart } from './loss-chart.js';
import { NetworkView } from './network-view.js';
import { drawPatterns, runPatternAB } from './pattern-ab.js';
import { probe } from './probe.js';
import {
  ACTIVATIONS, checked, CLASSIFICATION_SETS, fromQuery, lambdaOf, MAX_LAYERS, MAX_UNITS, problemOf, REGRESSION_SETS,
  toQuery, type Settings,
} from './settings.js';
import { Trainer } from './trainer.js';

/** Milliseconds of training per animation frame: leaves most of a 60 Hz frame to the browser. */
const CHUNK_MS = 12;
const GRID = 48;

const boundary = new BoundaryView(byId('boundary', HTMLCanvasElement));
const lossChart = new LossChart(byId('loss-chart', HTMLCanvasElement));
const backprop = new BackpropView(byId('graph', HTMLElement), byId('backward-caption', HTMLElement), byId('derivation', HTMLElement));
const startButton = byId('start', HTMLButtonElement);
const exampleInput = byId('example', HTMLInputElement);
const errorBox = byId('error', HTMLElement);

const initial = fromQuery(location.search);
let settings: Settings = initial.settings;
let trainer: Trainer | null = null;
let running = false;
let frames = 0;
let lecture: LectureGraph | null = null;
let backend = 'js';

const network = new NetworkView(byId('network', HTMLElement), {
  toggleFeature(f: FeatureName) {
    const on = settings.features.includes(f);
    if (on && settings.features.length === 1) return showError(new Error('the network needs at least one input feature'));
    const next = on ? settings.features.filter((g) => g !== f) : FEATURE_NAMES.filter((g) => g === f || settings.features.includes(g));
    change({ features: next });
  },
  changeUnits(layer: number, delta: 1 | -1) {
    const hidden = [...settings.hidden];
    hidden[layer] = Math.max(1, Math.min(MAX_UNITS, hidden[layer] + delta));
    change({ hidden });
  },
});

function showError(e: unknown): void {
  errorBox.textContent = e instanceof Error ? e.message : String(e);
  setRunning(false);
}

function setRunning(on: boolean): void {
  const was = running;
  running = on && trainer !== null;
  startButton.textContent = running ? 'Pause' : 'Start';
  if (running && !was) requestAnimationFrame(frame);
}

// ---- controls <-> settings ----------------------------------------------------------------

/** Controls that hold one setting each, by id = setting key. */
const SELECTS = ['lr', 'activation', 'regularization', 'regRate', 'optimizer', 'dataset', 'lesson'] as const;
const RANGES = ['trainRatio', 'noise', 'batchSize'] as const;
const CHECKS = ['showTest', 'discretize'] as const;

function fillSelects(): void {
  const act = byId('activation', HTMLSelectElement);
  act.replaceChildren(...ACTIVATIONS.map((a) => new Option(a, a)));
  const lesson = byId('lesson', HTMLSelectElement);
  lesson.replaceChildren(new Option('— free play —', ''), ...LESSONS.map((l) => new Option(l.title, l.name)));
}

/** The data set menu lists the sets of the current problem type, as TensorFlow Playground does. */
function fillDatasets(): void {
  const sets = problemOf(settings.dataset) === 'classification' ? CLASSIFICATION_SETS : REGRESSION_SETS;
  byId('dataset', HTMLSelectElement).replaceChildren(...sets.map((d) => new Option(d, d)));
}

/** Make sure a select can show a value that came from a link even if it is not in its list. */
function selectValue(sel: HTMLSelectElement, v: string): void {
  if (![...sel.options].some((o) => o.value === v)) sel.append(new Option(v, v));
  sel.value = v;
}

function writeControls(): void {
  fillDatasets();
  for (const k of SELECTS) selectValue(byId(k, HTMLSelectElement), String(settings[k]));
  byId('problem', HTMLSelectElement).value = problemOf(settings.dataset);
  for (const k of RANGES) {
    byId(k, HTMLInputElement).value = String(settings[k]);
    byId(`${k}-out`, HTMLElement).textContent = String(settings[k]);
  }
  for (const k of CHECKS) byId(k, HTMLInputElement).checked = settings[k];
  byId('seed', HTMLInputElement).value = String(settings.seed);
  exampleInput.value = String(settings.example);
  const proj = byId('projector', HTMLButtonElement);
  proj.setAttribute('aria-pressed', String(settings.projector));
  document.documentElement.classList.toggle('projector', settings.projector);
  byId('layer-count', HTMLElement).textContent = `${settings.hidden.length} hidden layer${settings.hidden.length === 1 ? '' : 's'}`;
  byId('add-layer', HTMLButtonElement).disabled = settings.hidden.length >= MAX_LAYERS;
  byId('remove-layer', HTMLButtonElement).disabled = settings.hidden.length === 0;
  const lesson = LESSONS.find((l) => l.name === settings.lesson);
  const note = byId('lesson-note', HTMLElement);
  note.hidden = !lesson;
  note.textContent = lesson ? lesson.claim : '';
  showPatternAB();
}

let patternSeed: number | null = null;

/** The pattern A/B lesson's own panel: trains its two models once per seed, after the page has painted. */
function showPatternAB(): void {
  const box = byId('pattern-ab', HTMLElement);
  box.hidden = settings.lesson !== 'pattern-ab';
  if (box.hidden || patternSeed === settings.seed) return;
  patternSeed = settings.seed;
  const out = byId('pattern-result', HTMLElement);
  out.textContent = 'Training a linear model and an MLP on the 32 patterns…';
  setTimeout(() => {
    try {
      const r = runPatternAB(settings.seed);
      drawPatterns(byId('pattern-canvas', HTMLCanvasElement), r);
      const mean = (m: number[]) => Math.max(...m.map((v) => Math.abs(v - 0.25))) < 1e-6 ? '0.25' : m.map((v) => v.toFixed(2)).join(', ');
      out.textContent = `Pixel means: A ${mean(r.means[0])}, B ${mean(r.means[1])} on every pixel. ` +
        `Linear model: ${r.linear}/${r.rows} right. MLP 16-8-2: ${r.mlp}/${r.rows} right.`;
      out.dataset.linear = String(r.linear);
      out.dataset.mlp = String(r.mlp);
    } catch (e) {
      showError(e);
    }
  }, 0);
}

function writeUrl(): void {
  history.replaceState(null, '', `${location.pathname}?${toQuery(settings)}`);
}

/** Keys whose change needs no new network: only the view or the traced example changes. */
const VIEW_ONLY = new Set<keyof Settings>(['showTest', 'discretize', 'projector', 'example']);

function change(patch: Partial<Settings>): void {
  const keys = Object.keys(patch) as (keyof Settings)[];
  settings = { ...settings, ...patch };
  writeControls();
  writeUrl();
  if (keys.every((k) => VIEW_ONLY.has(k))) {
    redraw();
    if (keys.includes('example')) retrace();
    if (keys.includes('projector')) backprop.fit();
    return;
  }
  setRunning(false);
  reset();
}

function bindControls(): void {
  for (const k of SELECTS) {
    byId(k, HTMLSelectElement).addEventListener('change', (e) => {
      const v = (e.target as HTMLSelectElement).value;
      try {
        if (k === 'lesson') {
          const l = LESSONS.find((x) => x.name === v);
          if (!l) return change({ lesson: '' });
          const next = lessonSettings(l, settings);
          return change(next);
        }
        change({ [k]: checked(k, v) } as Partial<Settings>);
      } catch (err) { showError(err); }
    });
  }
  byId('problem', HTMLSelectElement).addEventListener('change', (e) => {
    const v = (e.target as HTMLSelectElement).value;
    change({ dataset: v === 'regression' ? REGRESSION_SETS[0] : CLASSIFICATION_SETS[0] });
  });
  for (const k of RANGES) {
    const input = byId(k, HTMLInputElement);
    input.addEventListener('input', () => { byId(`${k}-out`, HTMLElement).textContent = input.value; });
    input.addEventListener('change', () => {
      try { change({ [k]: checked(k, input.value) } as Partial<Settings>); } catch (err) { showError(err); }
    });
  }
  for (const k of CHECKS) {
    const input = byId(k, HTMLInputElement);
    input.addEventListener('change', () => change({ [k]: input.checked } as Partial<Settings>));
  }
  const seed = byId('seed', HTMLInputElement);
  seed.addEventListener('change', () => {
    try { change({ seed: checked('seed', seed.value) }); } catch (err) { showError(err); }
  });
  byId('projector', HTMLButtonElement).addEventListener('click', () => change({ projector: !settings.projector }));
  byId('add-layer', HTMLButtonElement).addEventListener('click', () => {
    if (settings.hidden.length < MAX_LAYERS) change({ hidden: [...settings.hidden, settings.hidden[settings.hidden.length - 1] ?? 4] });
  });
  byId('remove-layer', HTMLButtonElement).addEventListener('click', () => change({ hidden: settings.hidden.slice(0, -1) }));
  exampleInput.addEventListener('change', () => select(Number(exampleInput.value)));
}

// ---- training and drawing ------------------------------------------------------------------

function reset(): void {
  try {
    errorBox.textContent = '';
    trainer = new Trainer(loadData(settings), settings);
    const rows = trainer.data.train.x.shape[0];
    exampleInput.max = String(rows - 1);
    if (settings.example >= rows) {
      settings = { ...settings, example: 0 };
      exampleInput.value = '0';
      writeUrl();
    }
    network.build(settings.features, settings.hidden);
    redraw();
    retrace();
  } catch (e) {
    trainer = null;
    showError(e);
  }
}

function redraw(): void {
  if (!trainer) return;
  const p = probe(trainer.model, trainer.data, settings.features, GRID);
  boundary.draw(trainer.data, p, { showTest: settings.showTest, discretize: settings.discretize, selected: settings.example });
  network.draw(trainer.model, p, trainer.data.bounds);
  lossChart.draw(trainer.history);
  byId('epoch', HTMLElement).textContent = String(trainer.epoch);
  byId('train-loss', HTMLElement).textContent = trainer.lastLoss.toFixed(4);
  byId('test-loss', HTMLElement).textContent = trainer.lastTestLoss.toFixed(4);
  frames++;
}

/** The example's network input and target, as explain takes them. */
function exampleInputs(): { x: number[]; target: number | number[] } | null {
  if (!trainer) return null;
  const i = settings.example, inp = trainer.inputs(trainer.data.train);
  const d = inp.x.shape[1];
  const x = Array.from(inp.x.data.slice(i * d, i * d + d));
  const y = trainer.data.train.y.data[i];
  return { x, target: trainer.data.problem === 'classification' ? y : [y] };
}

/** Forward and backward pass of the selected example with the current weights. */
function retrace(): void {
  const ex = exampleInputs();
  if (!trainer || !ex) return;
  try {
    lecture = lectureGraph({
      model: trainer.model, ...ex, loss: trainer.data.problem === 'classification' ? 'ce' : 'half-mse',
      regularization: settings.regularization, lambda: lambdaOf(settings),
    });
    backprop.show(lecture);
  } catch (e) {
    showError(e);
  }
}

function frame(): void {
  if (!running || !trainer) return;
  try {
    trainer.runFor(CHUNK_MS, 1);
    redraw();
  } catch (e) {
    showError(e);
    return;
  }
  requestAnimationFrame(frame);
}

function select(i: number): void {
  if (!trainer || !Number.isInteger(i) || i < 0 || i >= trainer.data.train.x.shape[0]) return;
  change({ example: i });
}

startButton.addEventListener('click', () => {
  setRunning(!running);
  if (!running) retrace(); // paused: show the graph with the weights just learnt
});
byId('step', HTMLButtonElement).addEventListener('click', () => {
  if (!trainer) return;
  setRunning(false);
  trainer.finishEpoch();
  redraw();
  retrace();
});
byId('reset', HTMLButtonElement).addEventListener('click', () => { setRunning(false); reset(); });
boundary.canvas.addEventListener('click', (e) => {
  const i = trainer && boundary.pick(trainer.data, e.clientX, e.clientY);
  if (i !== null && i !== undefined) select(i);
});
byId('trace', HTMLButtonElement).addEventListener('click', retrace);
byId('backward-step', HTMLButtonElement).addEventListener('click', () => backprop.stepBackward());
byId('backward-all', HTMLButtonElement).addEventListener('click', () => backprop.runAll());
byId('backward-rewind', HTMLButtonElement).addEventListener('click', () => backprop.rewind());
byId('zoom-in', HTMLButtonElement).addEventListener('click', () => backprop.zoom(1.25));
byId('zoom-out', HTMLButtonElement).addEventListener('click', () => backprop.zoom(1 / 1.25));
byId('zoom-fit', HTMLButtonElement).addEventListener('click', () => backprop.fit());

exposeHooks({
  state: () => ({
    ready: trainer !== null,
    running,
    backend,
    settings: { ...settings },
    dataset: trainer?.data.name ?? '',
    epoch: trainer?.epoch ?? 0,
    loss: trainer?.lastLoss ?? NaN,
    testLoss: trainer?.lastTestLoss ?? NaN,
    lossHistory: [...(trainer?.history.train ?? [])],
    frames,
    backward: backprop.state(),
    error: errorBox.textContent ?? '',
  }),
  boundaryChecksum: () => canvasChecksum(context2d(boundary.canvas)),
  example: () => {
    const ex = exampleInputs();
    if (!trainer || !ex || !lecture) return null;
    return {
      ...ex,
      layers: trainer.model.parameters().reduce<{ weight: number[]; shape: number[]; bias: number[] }[]>((acc, p, i, all) => {
        if (p.ndim === 2) acc.push({ weight: Array.from(p.data), shape: [...p.shape], bias: Array.from(all[i + 1]?.ndim === 1 ? all[i + 1].data : []) });
        return acc;
      }, []),
      activation: settings.activation,
      loss: trainer.data.problem === 'classification' ? 'ce' : 'half-mse',
      text: lecture.text,
    };
  },
});

async function start(): Promise<void> {
  // WebAssembly must be compiled asynchronously on a page's main thread; then nabla runs on it.
  try {
    if (await initWasmBackend()) setBackend('wasm');
  } catch (e) {
    console.warn(`nabla playground: the WASM backend did not load (${e instanceof Error ? e.message : e}); using ${backendName()}`);
  }
  backend = backendName();
  byId('backend', HTMLElement).textContent = `backend: ${backend}`;
  fillSelects();
  writeControls();
  bindControls();
  writeUrl();
  if (initial.refused.length) errorBox.textContent = `The link's ${initial.refused.join(', ')} could not be used; the defaults apply there.`;
  reset();
  if (initial.refused.length && !errorBox.textContent) errorBox.textContent = `The link's ${initial.refused.join(', ')} could not be used.`;
}

void start();

