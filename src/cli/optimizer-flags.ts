// The optimizer flags of `nabla train`, made from the library's table of options and defaults
// (OPTIMIZER_DEFAULTS): one flag per option, --help showing each optimizer's default, and a flag
// the chosen optimizer does not have is a usage error listing the ones it has.
import type { Command } from 'commander';
import { OPTIMIZER_DEFAULTS, OPTIMIZER_NAMES, optionNames, type OptimizerName, type OptionValue } from '../index.js';
import { floatOption } from './options.js';
import { UsageError } from './usage-error.js';

const WHAT: Record<string, string> = {
  lr: 'learning rate',
  momentum: 'momentum factor',
  dampening: 'dampening of momentum',
  nesterov: 'Nesterov momentum',
  weightDecay: 'L2 weight decay (decoupled for adamw)',
  betas: 'Adam moment decay rates β₁,β₂',
  eps: 'term added to the denominator',
  amsgrad: 'AMSGrad variant',
  alpha: 'smoothing constant',
  centered: 'normalise by the centred variance',
  lrDecay: 'learning-rate decay',
  initialAccumulatorValue: 'starting value of the squared-gradient sum',
};

/** Upper bounds the command line checks (fractions); the rest only need to be >= 0. */
const MAX: Record<string, number> = { momentum: 1, dampening: 1, alpha: 1 };

const kebab = (name: string): string => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
const show = (v: OptionValue): string => (Array.isArray(v) ? v.join(',') : String(v));

/** Every option name any optimizer has, in table order, lr first. */
function allOptions(): string[] {
  return [...new Set(OPTIMIZER_NAMES.flatMap((n) => optionNames(n)))];
}

function help(option: string): string {
  const rows = OPTIMIZER_NAMES.filter((n) => option in OPTIMIZER_DEFAULTS[n])
    .map((n) => `${n} ${show((OPTIMIZER_DEFAULTS[n] as Record<string, OptionValue>)[option])}`);
  return `${WHAT[option] ?? option} (default: ${rows.join(', ')})`;
}

/** Adds --optimizer and one flag per optimizer option to a command. */
export function addOptimizerFlags(cmd: Command, defaultOptimizer: OptimizerName): Command {
  cmd.option('--optimizer <name>', OPTIMIZER_NAMES.join(', '), defaultOptimizer);
  for (const option of allOptions()) {
    const sample = OPTIMIZER_NAMES.map((n) => (OPTIMIZER_DEFAULTS[n] as Record<string, OptionValue>)[option]).find((v) => v !== undefined)!;
    const flag = `--${kebab(option)}`;
    if (typeof sample === 'boolean') cmd.option(flag, help(option));
    else cmd.option(`${flag} <${Array.isArray(sample) ? 'a,b' : 'x'}>`, help(option));
  }
  return cmd;
}

/**
 * The chosen optimizer and the options given on the command line (parsed; absent ones are left
 * to the library's defaults). A flag the optimizer does not have is a usage error.
 */
export function optimizerFromFlags(flags: Record<string, unknown>): { name: OptimizerName; options: Record<string, OptionValue> } {
  const name = String(flags.optimizer).toLowerCase() as OptimizerName;
  if (!OPTIMIZER_NAMES.includes(name)) throw new UsageError(`--optimizer ${String(flags.optimizer)}: use one of ${OPTIMIZER_NAMES.join(', ')}`);
  const own = OPTIMIZER_DEFAULTS[name] as Record<string, OptionValue>;
  const options: Record<string, OptionValue> = {};
  for (const option of allOptions()) {
    const v = flags[option];
    if (v === undefined) continue;
    const flag = `--${kebab(option)}`;
    if (!(option in own)) throw new UsageError(`${flag} is not an option of ${name}; it has ${optionNames(name).join(', ')}`);
    const like = own[option];
    if (typeof like === 'boolean') options[option] = v === true;
    else if (Array.isArray(like)) {
      const parts = String(v).split(',');
      if (parts.length !== 2) throw new UsageError(`${flag} ${String(v)}: expected two numbers a,b`);
      options[option] = [floatOption(parts[0], flag, 0), floatOption(parts[1], flag, 0)];
    } else options[option] = floatOption(String(v), flag, 0, MAX[option]);
  }
  return { name, options };
}
