import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readSafetensorsHeader, readTensorF32, writeSafetensors, type TensorToWrite } from '../../lib/tensor/safetensors';

/**
 * `npx tsx bench/organisms/snapshot-state.ts WORK OUT_DIR '{"name":"all-tiers","stegoScript":2}'`: a loadable checkpoint folder from a running
 * agent training's last 25-step state (WORK/state-narcbench-agent: weights + AdamW moments), so a long candidate can
 * be replay-checked before its schedule ends. Config and tokenizer come from WORK/narcbench-agent-init; training.json
 * records the given recipe fields (what the replay check reads: name, stegoScript) and the step.
 */
const [work, out, recipe] = process.argv.slice(2);
if (!work || !out || !recipe) throw new Error('usage: snapshot-state.ts WORK OUT_DIR RECIPE_JSON');
const stateFile = join(work, 'state-narcbench-agent', 'state.safetensors');
const info = JSON.parse(readFileSync(join(work, 'state-narcbench-agent', 'state.json'), 'utf8')) as { step: number };
const header = readSafetensorsHeader(stateFile);
const tensors = new Map<string, TensorToWrite>();
for (const [name, entry] of header.entries) {
  if (!name.startsWith('param/')) continue;
  tensors.set(name.slice('param/'.length), { dtype: 'F32', shape: entry.shape, data: readTensorF32(stateFile, entry) });
}
mkdirSync(out, { recursive: true });
writeSafetensors(join(out, 'model.safetensors'), tensors, { format: 'pt' });
const init = join(work, 'narcbench-agent-init');
for (const f of ['config.json', 'tokenizer.json', 'tokenizer_config.json']) if (existsSync(join(init, f))) copyFileSync(join(init, f), join(out, f));
writeFileSync(join(out, 'training.json'), JSON.stringify({ recipe: JSON.parse(recipe), snapshot_step: info.step }));
process.stdout.write(`${out}: ${tensors.size} tensors at step ${info.step}\n`);
