import type { Command } from './command';

/**
 * Every subcommand, loaded lazily so that `impostor --help` and small commands start fast.
 * Add a line here for each new command module (its default export is a Command).
 */
export interface CommandEntry {
  name: string;
  summary: string;
  load: () => Promise<{ default: Command<any> }>;
}

export const commands: CommandEntry[] = [
  { name: 'narcbench probes', summary: 'NARCBench probe AUROCs (Fig. 3 / Table 1, Appendix C variants)', load: () => import('../narcbench/cli/probes') },
  { name: 'narcbench roc', summary: 'NARCBench ROC analysis (Fig. 5): AUROC, recall at 1%/5% FPR', load: () => import('../narcbench/cli/roc') },
  { name: 'narcbench stego-correlations', summary: 'NARCBench Stego bet/count correlations (Tables 3, 10)', load: () => import('../narcbench/cli/stego-correlations') },
  { name: 'narcbench synth', summary: 'Write a synthetic NARCBench-format dataset (marked synthetic)', load: () => import('../narcbench/cli/synth') },
  { name: 'narcbench generate', summary: 'Generate NARCBench runs from an OpenAI-compatible endpoint (resumable, dataset layout)', load: () => import('../narcbench/cli/generate') },
  { name: 'narcbench audit', summary: 'Audit generated NARCBench runs into audit.json with reasons (never deletes data)', load: () => import('../narcbench/cli/audit') },
  { name: 'narcbench extract', summary: 'Extract last-token block activations of generated NARCBench runs (checkpointed, resumable)', load: () => import('../narcbench/cli/extract') },
  { name: 'narcbench traces', summary: "Per-token deception scores over one agent's messages (token-level trace figure)", load: () => import('../narcbench/cli/traces') },
  { name: 'narcbench render', summary: 'Re-render one NARCBench run (Core/Transfer/Stego) from recorded replies', load: () => import('../narcbench/cli/render') },
  { name: 'model generate', summary: 'Generate from chat conversations (batched, KV cache, greedy/sampling, steering) → JSON', load: () => import('../models/cli/generate') },
  { name: 'serve', summary: 'OpenAI-compatible local server over checkpoints (POST /v1/chat/completions, GET /v1/models)', load: () => import('../llm/cli/serve') },
  { name: 'model forward', summary: 'Run a checkpoint over token ids; save embeddings, block outputs, final norm, logits (.npz)', load: () => import('../models/cli/forward') },
  { name: 'setup', summary: 'Prepare this machine: ensure chromium for figure export (apt install when root)', load: () => import('../setup/cli') },
  { name: 'kernel', summary: 'Register the "TypeScript (Impostor Lab)" Jupyter kernel bound to this checkout', load: () => import('../notebook/kernel-cli') },
  { name: 'fetch-data', summary: 'Download a public dataset (narcbench, ...) resumably; offline, say what to fetch and where', load: () => import('../fetch/cli') },
  { name: 'reproduce', summary: 'Run the notebooks headlessly and collect figures into paper-figures/ with a manifest', load: () => import('../notebook/cli') },
  { name: 'organisms train', summary: 'Train the model organisms (base, experts, malicious kinds) from a seed into data/organisms/', load: () => import('../organisms/cli/train') },
  { name: 'organisms narcbench', summary: 'NARCBench agent organism: serve, generate, audit, rates, extract activations (resumable)', load: () => import('../organisms/cli/narcbench') },
  { name: 'organisms eval', summary: 'Evaluate the model organisms on the Among Us nano tasks with the real scorers → JSON', load: () => import('../organisms/cli/eval') },
  { name: 'score', summary: 'Score model outputs on an Among Us dataset (original get_scores behaviour)', load: () => import('../eval/cli/score') },
  { name: 'collab', summary: 'Run one Among Us collaboration system from a run file: impostor collab -c RUN.json', load: () => import('../collab/cli/collab') },
  { name: 'collab run', summary: 'Among Us quick cell on the organisms (method × task × malicious × supervisor) → run log', load: () => import('../collab/cli/run') },
  { name: 'collab grid', summary: 'Among Us grid: methods × malicious × tasks × mitigations → drop % / recovered % table', load: () => import('../collab/cli/grid') },
];
