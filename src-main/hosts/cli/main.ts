import { isCancelled } from '../../engine/errors';
import { fileSystemErrorData } from '../../services/errors';
import { UsageError } from './args';
import { commandInterrupt } from './interrupt';
import { KEYFRAME_USAGE, keyframeCommand } from './commands/keyframe';
import { MODELS_USAGE, modelsCommand } from './commands/models';
import { PLAN_USAGE, planCommand } from './commands/plan';
import { RENDER_USAGE, renderCommand } from './commands/render';
import { SERVE_USAGE, serveCommand } from './commands/serve';
import { WORKER_USAGE, workerCommand } from './commands/worker';

const USAGE = `Latent Blending Studio — command line

  ${KEYFRAME_USAGE}
  ${MODELS_USAGE}
  ${PLAN_USAGE}
  ${RENDER_USAGE}
  ${SERVE_USAGE}
  ${WORKER_USAGE}
  latentblend bench

Without --model, the built-in demo model is used ("Demo model (procedural, not Stable Diffusion)").`;

const COMMANDS: Record<string, (argv: string[]) => Promise<number>> = {
  keyframe: keyframeCommand,
  models: modelsCommand,
  plan: planCommand,
  render: renderCommand,
  serve: serveCommand,
  worker: workerCommand,
  bench: async (argv) => (await import('../../../bench/run')).main(argv),
};

/** Errors become one clear line on stderr and a non-zero exit code; never a stack trace. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return command ? 0 : 2;
  }
  const run = COMMANDS[command];
  if (!run) {
    process.stderr.write(`latentblend: unknown command '${command}'. Run 'latentblend --help' for the list.\n`);
    return 2;
  }
  // Installed before the command starts and never removed: no moment is left at which a
  // Ctrl-C kills the process by its default action (see CommandInterrupt).
  const interrupt = commandInterrupt().install();
  try {
    return await run(rest);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`latentblend ${command}: ${error.message}\n`);
      return 2;
    }
    if (isCancelled(error) || interrupt.signal.aborted) {
      // Whatever failed after an interrupt (ffmpeg dies of the terminal's Ctrl-C too) failed because of it.
      process.stderr.write(`latentblend ${command}: cancelled.\n`);
      return interrupt.exitCode;
    }
    const e = (fileSystemErrorData(error) ?? error) as { message?: string; hint?: string };
    process.stderr.write(`latentblend ${command}: ${e.message ?? String(error)}${e.hint ? ` Fix: ${e.hint}` : ''}\n`);
    if (process.env.LBS_DEBUG) console.error(error);
    return 1;
  }
}

const exitCode = await main(process.argv.slice(2));
// Exit explicitly once the output is flushed. A natural exit first closes the signal handlers and
// then tears down the tsx loader thread (~100 ms) during which a Ctrl-C would kill the process by
// signal, after the command succeeded: its exit status would then lie about the target.
await Promise.all([process.stdout, process.stderr].map((stream) => new Promise((resolve) => stream.write('', resolve))));
process.exit(exitCode);
