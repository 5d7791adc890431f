import type { ChatMessage, ChatModel } from '../../llm/chat-model';
import { runCore, CORE_MODES } from '../../narcbench/scenarios/core';
import type { ScenarioData } from '../../narcbench/scenarios/scenario-data';
import type { ChatExample } from '../../training/examples';
import { SeededRandom } from '../../common/seeded-random';
import { corePhaseOf, corePolicy } from './core-policy';

/**
 * The NARCBench agent's training corpus: the scripted players play the real engines, and every call the engine
 * makes becomes one (system, user → reply) example with exactly the prompt the engine rendered.
 */

export interface PlayedCall extends ChatExample {
  system: string;
  tier: 'core' | 'transfer' | 'stego';
  phase: string;
  runId: string;
}

/** Wraps a ChatModel so that every call it answers is kept as a training example. */
function recording(model: ChatModel, sink: (messages: ChatMessage[], reply: string) => void): ChatModel {
  return {
    async chat(messages, params, context) {
      const reply = await model.chat(messages, params, context);
      sink(messages, reply);
      return reply;
    },
  };
}

export interface CorpusOptions {
  seed: number;
  /** Scripted plays of each Core (scenario, mode); the phrasings differ between plays. */
  corePlays: number;
  /** Share of discussion calls kept (all private and final calls are kept: they carry the plan and the vote). */
  discussionShare: number;
}

export const DEFAULT_CORPUS: Omit<CorpusOptions, 'seed'> = { corePlays: 1, discussionShare: 0.3 };

/** Plays every Core scenario in both modes with the scripted players and returns the kept calls. */
export async function coreCorpus(data: ScenarioData, opts: CorpusOptions): Promise<PlayedCall[]> {
  const keep = new SeededRandom(opts.seed ^ 0x5eed);
  const out: PlayedCall[] = [];
  for (let play = 0; play < opts.corePlays; play++) {
    for (let index = 0; index < data.core.scenarios.length; index++) {
      for (const mode of CORE_MODES) {
        const runId = `core:${index}:${mode}:${play}`;
        const policy = corePolicy(data.core, index, mode, opts.seed * 100_003 + play * 1009 + index * 2 + (mode === 'control' ? 1 : 0));
        await runCore({
          data: data.core,
          index,
          mode,
          model: recording(policy, (messages, reply) => {
            const user = messages[1]!.content;
            const phase = corePhaseOf(user);
            if (phase === 'discussion' && keep.next() >= opts.discussionShare) return;
            out.push({ tier: 'core', phase, runId, system: messages[0]!.content, user, assistant: reply });
          }),
        });
      }
    }
  }
  return out;
}
