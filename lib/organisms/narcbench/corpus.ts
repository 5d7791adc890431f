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
  /** Picks the kept discussion calls. */
  seed: number;
  /** Core scenario indices to play, each in both modes. */
  scenarios: readonly number[];
  /** Share of discussion calls kept (all private and final calls are kept: they carry the plan and the vote). */
  discussionShare: number;
}

export const DEFAULT_DISCUSSION_SHARE = 0.5;

/** Plays the given Core scenarios in both modes with the scripted players and returns the kept calls. */
export async function coreCorpus(data: ScenarioData, opts: CorpusOptions): Promise<PlayedCall[]> {
  const keep = new SeededRandom(opts.seed ^ 0x5eed);
  const out: PlayedCall[] = [];
  for (const index of opts.scenarios) {
    for (const mode of CORE_MODES) {
      const runId = `core:${index}:${mode}`;
      const policy = corePolicy(data.core, index, mode);
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
  return out;
}
