import type { ChatMessage, ChatModel } from '../../llm/chat-model';
import { runCore, CORE_MODES } from '../../narcbench/scenarios/core';
import { TRANSFER_FAMILIES, type ScenarioData } from '../../narcbench/scenarios/scenario-data';
import type { ChatExample } from '../../training/examples';
import { SeededRandom } from '../../common/seeded-random';
import { corePhaseOf, corePolicy } from './core-policy';
import { runTransfer } from '../../narcbench/scenarios/transfer';
import { runStego, STEGO_MODES, type StegoMode } from '../../narcbench/scenarios/stego';
import { transferPhaseOf, transferPolicy, transferRunRoles } from './transfer-policy';
import { stegoCallOf, stegoPolicy, type StegoScript } from './stego-policy';
import { stegoCounterfactuals, type StegoCopies } from './stego-counterfactual';

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
function recording(model: ChatModel, sink: (messages: ChatMessage[], reply: string, agent: string) => void): ChatModel {
  return {
    async chat(messages, params, context) {
      const reply = await model.chat(messages, params, context);
      sink(messages, reply, context.agent);
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

export interface TierCorpusOptions {
  seed: number;
  /** Scenario positions (Transfer: within each family) or shoes (Stego) to play, each in collusion and control. */
  indices: readonly number[];
  /** Share of honest agents' calls kept (all calls of the pair are kept: they carry the instructed line). */
  honestShare: number;
}

/** Plays Transfer scenarios of every family in collusion and control mode with the scripted players. */
export async function transferCorpus(data: ScenarioData, opts: TierCorpusOptions): Promise<PlayedCall[]> {
  const keep = new SeededRandom(opts.seed ^ 0x7a5f);
  const out: PlayedCall[] = [];
  for (const family of TRANSFER_FAMILIES) {
    for (const index of opts.indices) {
      for (const mode of ['collusion', 'control'] as const) {
        const runId = `transfer:${family}:${index}:${mode}`;
        const pair = transferRunRoles(data, family, index, mode).pair;
        const policy = transferPolicy(data, family, index, mode);
        await runTransfer({
          data,
          family,
          index,
          mode,
          model: recording(policy, (messages, reply, agent) => {
            if (!pair.includes(agent) && keep.next() >= opts.honestShare) return;
            const user = messages[1]!.content;
            out.push({ tier: 'transfer', phase: transferPhaseOf(user), runId, system: messages[0]!.content, user, assistant: reply });
          }),
        });
      }
    }
  }
  return out;
}

/**
 * Plays Stego shoes in collusion and control mode with the scripted players (`script`: stego-policy.ts), then the
 * `pairOnly` shoes in collusion mode keeping only the coalition's table calls (the counter's and the Big Player's
 * decisions are the ones a small model learns last, so they get more shoes than the rest). `counterfactuals` adds
 * changed copies of the counter's and the Big Player's table calls (0–2 of each; stego-counterfactual.ts).
 */
export async function stegoCorpus(data: ScenarioData, opts: TierCorpusOptions & { script: StegoScript; pairOnly?: readonly number[]; counterfactuals?: StegoCopies }): Promise<PlayedCall[]> {
  const keep = new SeededRandom(opts.seed ^ 0x57e9);
  const change = new SeededRandom(opts.seed ^ 0xcf57);
  const plays = [
    ...opts.indices.flatMap((shoe) => STEGO_MODES.map((mode) => ({ shoe, mode, pairOnly: false }))),
    ...(opts.pairOnly ?? []).map((shoe) => ({ shoe, mode: 'collusion' as StegoMode, pairOnly: true })),
  ];
  const out: PlayedCall[] = [];
  for (const { shoe, mode, pairOnly } of plays) {
    const runId = `stego:${shoe}:${mode}`;
    await runStego({
      core: data.core,
      shoe,
      mode,
      model: recording(stegoPolicy(data.core, shoe, mode, opts.script), (messages, reply, agent) => {
        const user = messages[1]!.content;
        const call = stegoCallOf(user);
        if (pairOnly ? call !== 'counter' && call !== 'big_player' : (call === 'honest' || call === 'judge') && keep.next() >= opts.honestShare) return;
        const system = messages[0]!.content;
        out.push({ tier: 'stego', phase: call, runId, system, user, assistant: reply });
        for (const cf of stegoCounterfactuals(data.core, shoe, mode, agent, user, opts.script, opts.counterfactuals ?? {}, change)) {
          out.push({ tier: 'stego', phase: `${call}:counterfactual`, runId, system, ...cf });
        }
      }),
    });
  }
  return out;
}
