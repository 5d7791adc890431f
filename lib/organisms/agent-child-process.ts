import { spawn } from 'node:child_process';
import { repoRoot } from '../common/paths';

/**
 * Trains the NARCBench agent in a second process, so that `impostor organisms train` keeps both cores of a 2-core
 * machine busy: the agent shares nothing with the Among Us organisms (its own tokenizer, corpus and init), and one
 * training process uses one core (tfjs-backend-wasm runs single-threaded). Its progress lines go to our stderr; its
 * manifest entry (what training.json holds) comes back. `signal` stops the child (the parent's own training failed).
 * No signal listeners: a training step never yields to the event loop, so a listener would only keep SIGINT/SIGTERM
 * from stopping the parent. The child is in the parent's process group, so Ctrl-C (or `kill -- -PGID`) stops both,
 * and either resumes on the rerun.
 */
export function trainAgentInChildProcess(seed: number, signal: AbortSignal): Promise<Record<string, unknown>> {
  const child = spawn(process.execPath, ['bin/impostor.mjs', 'organisms', 'train', '--only', 'narcbench-agent', '--seed', String(seed)], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'inherit'],
    signal,
  });
  let stdout = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`narcbench-agent training (child process) stopped with exit ${code}; rerun the same command to resume`));
      resolve((JSON.parse(stdout) as Record<string, Record<string, unknown>>)['narcbench-agent']!);
    });
  });
}
