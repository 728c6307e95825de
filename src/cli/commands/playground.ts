// nabla playground: serve the browser playground on localhost.
import type { Command } from 'commander';
import { startPlayground } from '../../node.js';
import { intOption } from '../options.js';

export function registerPlayground(program: Command): void {
  program.command('playground')
    .description('train 2-D data sets in the browser and watch backprop, served on localhost')
    .option('--port <n>', 'port (default: a free one)', '0')
    .option('--host <host>', 'interface to bind (default: loopback only)', '127.0.0.1')
    .option('--open', 'open the page in the default browser')
    .action(async (opts: { port: string; host: string; open?: boolean }) => {
      const pg = await startPlayground({ port: intOption(opts.port, '--port', 0), host: opts.host, open: opts.open });
      process.stdout.write(`nabla playground: ${pg.url}  (Ctrl-C to stop)\n`);
    });
}
