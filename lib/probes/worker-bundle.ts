/**
 * The probe worker as one plain JavaScript file: an esbuild bundle of probe-worker-main.ts, cached under
 * node_modules/.cache/impostor-probe-worker/. A worker that loads the TypeScript through tsx spends ~0.3 s of CPU
 * (and more wall time on a busy machine) resolving and transpiling ~40 modules through tsx's loader thread before it
 * can take work; the bundle starts in ~30 ms. The bundle is rebuilt (~60 ms) whenever one of its sources changed size
 * or modification time; where it cannot be built (esbuild missing, a read-only checkout) the workers load the
 * TypeScript through tsx as before (probe-worker.mjs). Same code either way: esbuild is also what tsx transpiles with.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { writeFileAtomic } from '../common/atomic-write';
import { repoRoot } from '../common/paths';

const ENTRY = fileURLToPath(new URL('./probe-worker-main.ts', import.meta.url));
const CACHE_DIR = join(repoRoot, 'node_modules', '.cache', 'impostor-probe-worker');
const BUNDLE = join(CACHE_DIR, 'probe-worker.mjs');
/** The bundled sources with the size and mtime they had when bundled. */
const INPUTS = join(CACHE_DIR, 'inputs.json');

type Inputs = { path: string; size: number; mtimeMs: number }[];

/** The URL a probe Worker should load: the fresh bundle, or the tsx entry when there is none. */
export function probeWorkerUrl(): URL {
  try {
    if (!bundleIsFresh()) buildBundle();
    return pathToFileURL(BUNDLE);
  } catch {
    return new URL('./probe-worker.mjs', import.meta.url);
  }
}

function bundleIsFresh(): boolean {
  if (!existsSync(BUNDLE) || !existsSync(INPUTS)) return false;
  const inputs = JSON.parse(readFileSync(INPUTS, 'utf8')) as Inputs;
  return inputs.length > 0 && inputs.every((i) => {
    if (!existsSync(i.path)) return false;
    const st = statSync(i.path);
    return st.size === i.size && st.mtimeMs === i.mtimeMs;
  });
}

function buildBundle(): void {
  // esbuild (a dependency of the project and of tsx) is loaded only when a bundle has to be built.
  const esbuild = createRequire(import.meta.url)('esbuild') as typeof import('esbuild');
  const started = Date.now();
  const result = esbuild.buildSync({
    entryPoints: [ENTRY], bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external',
    absWorkingDir: repoRoot, write: false, metafile: true, logLevel: 'silent',
  });
  const inputs: Inputs = Object.keys(result.metafile.inputs).map((p) => {
    const path = join(repoRoot, p);
    const st = statSync(path);
    return { path, size: st.size, mtimeMs: st.mtimeMs };
  });
  // A source saved while esbuild read it may be in the bundle in its old version: do not cache such a bundle.
  if (inputs.some((i) => i.mtimeMs >= started - 1000)) throw new Error('probe worker sources changed while bundling');
  writeFileAtomic(BUNDLE, result.outputFiles[0]!.contents);
  writeFileAtomic(INPUTS, JSON.stringify(inputs));
}
