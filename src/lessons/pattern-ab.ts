// pattern-ab: CSC413's "more troubling example". 16-pixel patterns A and B in all 16 cyclic
// translations; every pixel averages 0.25 in both classes, so the average of each class is the
// same point and no linear classifier can separate them. The lecture's protocol is the whole set
// (all 32 translations, no held-out part): the question is separability, not generalisation.
import { patternAB } from '../data/synthetic.js';
import { Linear } from '../nn/linear.js';
import { mlp } from '../nn/mlp.js';
import { accuracy, classesOf, pct, trainBinary, verdict } from './common.js';
import { figure } from './figure.js';
import type { Lesson } from './lesson.js';
import { escapeXml, px } from '../viz/xml.js';

export const patternAbLesson: Lesson = {
  name: 'pattern-ab',
  source: 'CSC413 lecture 2: limits of linear classification, "a more troubling example" (translation invariance)',
  claim: 'Both classes average 0.25 at every pixel over all translations, so no linear classifier separates A from B; an MLP with a hidden layer does.',
  async run() {
    const ds = patternAB();
    const n = ds.x.shape[0], d = ds.x.shape[1];
    const y = Array.from(ds.y.data);
    // Pixel means per class, counted exactly: black pixels / translations.
    const means = [0, 1].map((c) => Array.from({ length: d }, (_, j) => {
      let s = 0, k = 0;
      for (let i = 0; i < n; i++) if (y[i] === c) { s += ds.x.data[i * d + j]; k++; }
      return s / k;
    }));
    const allQuarter = means.every((m) => m.every((v) => v === 0.25));
    const t = ds.y.reshape(n, 1);
    const linear = new Linear(d, 1, { seed: 0 });
    await trainBinary(linear, ds.x, t, 600, 0.05);
    const net = mlp([d, 16, 1], { activation: 'relu', seed: 0 });
    await trainBinary(net, ds.x, t, 600, 0.02);
    const linAcc = accuracy(classesOf(linear, ds.x), y), mlpAcc = accuracy(classesOf(net, ds.x), y);
    const holds = allQuarter && linAcc < 1 && mlpAcc === 1;
    const measurement = [
      `pixel means over the 16 translations: class A ${allQuarter ? 'all 0.25' : means[0].join(', ')}, class B ${allQuarter ? 'all 0.25' : means[1].join(', ')}`,
      `linear classifier on all 32 patterns (600 steps): ${pct(linAcc)} (it cannot reach 100%)`,
      `16-16-1 ReLU MLP on all 32 patterns (600 steps): ${pct(mlpAcc)}`,
    ];
    const svg = figure('Pattern A / B in every translation', [
      { title: 'class means per pixel', xTitle: 'pixel', yTitle: 'mean', y: [0, 0.5], series: [
        { x: means[0].map((_, j) => j), y: means[0], label: 'A', line: true },
        { x: means[1].map((_, j) => j), y: means[1], label: 'B', dashed: true },
      ] },
      { title: 'training accuracy (all 32 patterns)', xTitle: '0 = linear, 1 = MLP', yTitle: 'accuracy', x: [-0.5, 1.5], y: [0, 1], series: [
        { x: [0, 1], y: [linAcc, mlpAcc], line: false, dots: true, label: 'accuracy' },
      ] },
    ], [this.claim, ...measurement, verdict(holds)]);
    // The patterns themselves: one strip per row, A on the left, B on the right.
    const cell = 7, strips: string[] = [];
    for (let i = 0; i < n; i++) {
      const col = y[i] === 0 ? 0 : 1, row = i % 16;
      for (let j = 0; j < d; j++) {
        const v = ds.x.data[i * d + j];
        strips.push(`<rect x="${px(680 + col * (d * cell + 20) + j * cell)}" y="${px(44 + row * (cell + 2))}" width="${cell}" height="${cell}" fill="${v ? '#111827' : '#ffffff'}" stroke="#d1d5db" stroke-width="0.5"/>`);
      }
    }
    const labels = `<text x="${px(680 + (d * cell) / 2)}" y="38" text-anchor="middle">${escapeXml('A')}</text><text x="${px(700 + d * cell * 1.5)}" y="38" text-anchor="middle">B</text>`;
    const wide = svg.replace(/width="(\d+)" height="(\d+)" viewBox="0 0 (\d+) (\d+)"/, (_m, _w, h) => `width="960" height="${h}" viewBox="0 0 960 ${h}"`)
      .replace('</svg>', `${strips.join('')}${labels}\n</svg>`);
    return {
      lesson: this.name, claim: this.claim, holds, svg: wide, measurement,
      figures: { protocol: 'all 32 translations, no held-out set', class_means: { A: means[0], B: means[1] }, linear_accuracy: linAcc, mlp_accuracy: mlpAcc },
    };
  },
};
