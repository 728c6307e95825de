// nabla lesson NAME: re-run one of the lecture notes' demonstrations, print the claim and the
// measurement, say whether the claim holds, and write the figure as NAME.svg in --out.
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { writeFileAtomic } from '../../node.js';
import { LESSONS, lesson, lessonNames } from '../../index.js';
import { UsageError } from '../usage-error.js';

export function registerLesson(program: Command): void {
  program.command('lesson')
    .description('re-run a demonstration from the lecture notes: the claim, nabla\'s measurement, whether it holds, and an SVG figure (no name: list them)')
    .argument('[name]', `one of ${lessonNames().join(', ')}`)
    .option('--out <dir>', 'folder for the figure NAME.svg, created if missing', '.')
    .option('--json', 'print { lesson, claim, holds, figures, svg } as one JSON line, the last line of stdout')
    .action(async (name: string | undefined, opts: { out: string; json?: boolean }) => {
      if (!name) {
        const w = Math.max(...LESSONS.map((l) => l.name.length));
        process.stdout.write(`${LESSONS.map((l) => `${l.name.padEnd(w)}  ${l.claim}`).join('\n')}\n`);
        return;
      }
      if (!lessonNames().includes(name)) throw new UsageError(`lesson ${name}: no such lesson; use one of ${lessonNames().join(', ')}`);
      if (existsSync(opts.out) && !statSync(opts.out).isDirectory()) throw new UsageError(`--out ${opts.out}: is a file, not a folder`);
      mkdirSync(opts.out, { recursive: true });
      const l = lesson(name);
      const r = await l.run();
      const svg = resolve(join(opts.out, `${name}.svg`));
      writeFileAtomic(svg, new TextEncoder().encode(r.svg));
      const lines = [
        `${name} (${l.source})`,
        `claim: ${r.claim}`,
        ...r.measurement.map((m) => `  ${m}`),
        r.holds ? 'holds: yes' : 'holds: NO',
        `figure: ${svg}`,
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
      if (opts.json) process.stdout.write(`${JSON.stringify({ lesson: r.lesson, claim: r.claim, holds: r.holds, figures: r.figures, svg })}\n`);
    });
}
