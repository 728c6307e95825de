// The playground's controller: reads the settings, owns the Trainer, runs training in short
// chunks from requestAnimationFrame (the page stays responsive), and redraws the views.
import { canvasChecksum } from './checksum.js';
import { BackpropView } from './backprop-view.js';
import { BoundaryView } from './boundary-view.js';
import { loadData } from './datasets.js';
import { byId, context2d } from './dom.js';
import { traceExample } from './example-trace.js';
import { HiddenUnitsView } from './hidden-units-view.js';
import { exposeHooks } from './hooks.js';
import { LossChart } from './loss-chart.js';
import { probe } from './probe.js';
import { fillActivationMenu, readSettings } from './settings.js';
import { Trainer } from './trainer.js';

/** Milliseconds of training per animation frame: leaves most of a 60 Hz frame to the browser. */
const CHUNK_MS = 12;
const GRID = 64;

fillActivationMenu();
const boundary = new BoundaryView(byId('boundary', HTMLCanvasElement));
const lossChart = new LossChart(byId('loss-chart', HTMLCanvasElement));
const units = new HiddenUnitsView(byId('hidden-units', HTMLElement));
const backprop = new BackpropView(byId('graph', HTMLElement), byId('backward-caption', HTMLElement));
const startButton = byId('start', HTMLButtonElement);
const exampleInput = byId('example', HTMLInputElement);
const errorBox = byId('error', HTMLElement);

let trainer: Trainer | null = null;
let running = false;
let frames = 0;
let selected = 0;
let traced: Promise<void> = Promise.resolve();

function showError(e: unknown): void {
  errorBox.textContent = e instanceof Error ? e.message : String(e);
  setRunning(false);
}

function setRunning(on: boolean): void {
  running = on && trainer !== null;
  startButton.textContent = running ? 'Pause' : 'Start';
  if (running) requestAnimationFrame(frame);
}

function reset(): void {
  try {
    const s = readSettings();
    errorBox.textContent = '';
    trainer = new Trainer(loadData(s.dataset, s.seed), s);
    units.setLayers(s.hidden, s.activation);
    byId('param-count', HTMLElement).textContent = String(trainer.model.numParameters());
    exampleInput.max = String(trainer.data.train.x.shape[0] - 1);
    selected = Math.min(selected, trainer.data.train.x.shape[0] - 1);
    redraw();
    retrace();
  } catch (e) {
    trainer = null;
    showError(e);
  }
}

function redraw(): void {
  if (!trainer) return;
  const p = probe(trainer.model, trainer.data.bounds, GRID);
  boundary.draw(trainer.data, p, selected);
  units.draw(p);
  lossChart.draw(trainer.history);
  byId('epoch', HTMLElement).textContent = String(trainer.epoch);
  byId('train-loss', HTMLElement).textContent = trainer.lastLoss.toFixed(4);
  byId('test-loss', HTMLElement).textContent = trainer.lastTestLoss.toFixed(4);
  frames++;
}

/** Forward and backward pass of the selected example with the current weights. */
function retrace(): void {
  if (!trainer) return;
  const t = traceExample(trainer.model, trainer.data.train, selected);
  traced = backprop.show(t).catch(showError);
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
  selected = i;
  exampleInput.value = String(i);
  redraw();
  retrace();
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
// A new data set or architecture needs new weights; the other settings apply on reset too.
byId('settings', HTMLFormElement).addEventListener('change', () => { setRunning(false); reset(); });
byId('settings', HTMLFormElement).addEventListener('submit', (e) => e.preventDefault());
boundary.canvas.addEventListener('click', (e) => {
  const i = trainer && boundary.pick(trainer.data, e.clientX, e.clientY);
  if (i !== null && i !== undefined) select(i);
});
exampleInput.addEventListener('change', () => select(Number(exampleInput.value)));
byId('trace', HTMLButtonElement).addEventListener('click', retrace);
byId('backward-step', HTMLButtonElement).addEventListener('click', () => backprop.stepBackward());
byId('backward-all', HTMLButtonElement).addEventListener('click', () => backprop.runAll());
byId('backward-rewind', HTMLButtonElement).addEventListener('click', () => backprop.rewind());

exposeHooks({
  state: () => ({
    ready: trainer !== null,
    running,
    dataset: trainer?.data.name ?? '',
    epoch: trainer?.epoch ?? 0,
    loss: trainer?.lastLoss ?? NaN,
    testLoss: trainer?.lastTestLoss ?? NaN,
    lossHistory: [...(trainer?.history.train ?? [])],
    boundaryChecksum: canvasChecksum(context2d(boundary.canvas)),
    frames,
    backward: backprop.state(),
    error: errorBox.textContent ?? '',
  }),
  traced: () => traced,
});

reset();
