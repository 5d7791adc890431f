import { UserError } from '../common/errors';

/** A parameter value a notebook's `parameters` cell can declare. */
export type ParamValue = string | number | boolean;

/**
 * Profiles are named sets of parameter defaults. A notebook receives only the ones its `parameters` cell declares;
 * `--param key=value` overrides them.
 *
 * - nano: offline and CPU-only, a few minutes in all. Notebooks run on a NARCBench-format dataset the workbench
 *   synthesises (`impostor narcbench synth`), with one seed and the cheap Appendix C variants, and label every
 *   figure "synthetic".
 * - paper: the published data and settings. Point `data` at the real dataset (`impostor fetch-data narcbench`).
 */
export const profiles = {
  nano: {
    // The NARCBench agent organism's activations (impostor organisms narcbench; committed). The synthetic set stays
    // available: --param data=data/synthetic/narcbench --param model=qwen3_32b --param layers=0-2.
    data: 'data/organisms-narcbench',
    model: 'narcbench_agent',
    layers: '0-1',
    seeds: 1,
    // mlp and mha train a network per fold, seed and layer (minutes each on 2 CPU cores): left to the paper profile.
    variants: 'lr,diffmeans,lat,multilayer',
    synthesize: true,
  },
  paper: {
    data: 'data/external/narcbench',
    model: 'qwen3_32b',
    layers: '26-30',
    seeds: 10,
    variants: 'all',
    synthesize: false,
  },
} satisfies Record<string, Record<string, ParamValue>>;

export type ProfileName = keyof typeof profiles;
export const profileNames = Object.keys(profiles) as ProfileName[];

export function getProfile(name: string): Record<string, ParamValue> {
  if (!(name in profiles)) throw new UserError(`unknown profile "${name}"; use one of: ${profileNames.join(', ')}`);
  return profiles[name as ProfileName];
}
