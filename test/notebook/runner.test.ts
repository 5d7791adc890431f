import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../lib/cli/main';
import { repoRoot } from '../../lib/common/paths';
import { reproduce, type ReproduceResult } from '../../lib/notebook/reproduce';
import { failureMessage } from '../../lib/notebook/run-notebook';
import { expectValidNbformat } from './nbformat-check';

const fixtures = join(repoRoot, 'test', 'fixtures', 'notebooks');
const readJson = (p: string) => JSON.parse(readFileSync(p, 'utf8'));

describe('headless notebook runner (real tslab, one process per notebook)', () => {
  let out: string;
  let result: ReproduceResult;
  const log: string[] = [];

  beforeAll(async () => {
    out = mkdtempSync(join(tmpdir(), 'impostor-runner-'));
    result = await reproduce({
      notebooksDir: fixtures, outDir: out, only: ['01', '02', '03'], profile: 'nano',
      params: { repeat: '2', loud: 'true' }, cwd: repoRoot, timeoutMs: 120_000, log: (l) => log.push(l),
    });
  });
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('injects profile values and --param overrides after the parameters cell, typed by the declared defaults', () => {
    const nb = readJson(join(out, '01-demo-params', '01-demo-params.ipynb'));
    expectValidNbformat(nb);
    const tags = nb.cells.map((c: any) => c.metadata.tags ?? []);
    const at = tags.findIndex((t: string[]) => t.includes('parameters'));
    expect(tags[at + 1]).toEqual(['injected-parameters']);
    const injected = nb.cells[at + 1].source.join('');
    expect(injected).toContain('let repeat = 2;');
    expect(injected).toContain('let loud = true;');
    expect(injected).not.toContain('greeting'); // declared but neither in the profile nor overridden: default kept
    expect(readFileSync(join(out, '01-demo-params', 'greeting.txt'), 'utf8')).toBe('HELLOHELLO');
    expect(nb.cells.filter((c: any) => c.cell_type === 'code').map((c: any) => c.execution_count)).toEqual([1, 2, 3, 4]);
    const display = nb.cells.at(-1).outputs.find((o: any) => o.output_type === 'display_data');
    expect(display.data['text/html']).toBe('<b>done</b>');
  });

  it('writes a manifest entry with artifacts, sources, models, profile, parameters, commit, duration and status', () => {
    const manifest = readJson(join(out, 'manifest.json'));
    const entry = manifest.notebooks.find((e: any) => e.notebook === '01-demo-params');
    expect(entry.status).toBe('ok');
    expect(entry.artifacts).toEqual(['01-demo-params/greeting.txt']);
    expect(entry.executedNotebook).toBe('01-demo-params/01-demo-params.ipynb');
    expect(entry.dataSources).toEqual([{ kind: 'data', path: 'test/fixtures/notebooks', synthetic: true, description: 'demo' }]);
    expect(entry.models).toEqual([{ name: 'demo-model', role: 'none' }]);
    expect(entry.synthetic).toBe(true);
    expect(entry.profile).toBe('nano');
    expect(entry.parameters).toEqual({ repeat: 2, loud: true });
    expect(entry.gitCommit).toMatch(/^[0-9a-f]{40}$/);
    expect(entry.durationSeconds).toBeGreaterThan(0);
    expect(manifest.notebooks.map((e: any) => e.notebook)).toEqual(['01-demo-params', '02-demo-failing', '03-demo-after-failure']);
  });

  it('fails a notebook at the failing cell with its number and message, and still runs the next notebook', () => {
    expect(result.failed).toBe(1);
    const failed = result.entries.find((e) => e.notebook === '02-demo-failing')!;
    expect(failed.status).toBe('failed');
    expect(failed.error).toEqual({ cell: 3, message: 'Error: no dataset in data/organisms-narcbench' });
    const nb = readJson(join(out, '02-demo-failing', '02-demo-failing.ipynb'));
    expectValidNbformat(nb);
    const byId = Object.fromEntries(nb.cells.map((c: any) => [c.id, c]));
    expect(byId.ok.outputs[0].text).toBe('before the failure\n');
    expect(byId.fails.outputs.some((o: any) => o.output_type === 'error')).toBe(true);
    expect(byId.after.execution_count).toBeNull();
    expect(byId.after.outputs).toEqual([]);
    expect(readFileSync(join(out, '03-demo-after-failure', 'third.txt'), 'utf8')).toBe('ran after a failure');
    expect(log.some((l) => l.includes('FAILED at cell 3'))).toBe(true);
    expect(log.some((l) => /ETA/.test(l))).toBe(true);
    expect(readdirSync(out).filter((f) => f.startsWith('.staging'))).toEqual([]);
  });
});

describe('a notebook that never finishes', () => {
  it('is stopped at --timeout and reported at the running cell, with an error output in the saved notebook', async () => {
    const out = mkdtempSync(join(tmpdir(), 'impostor-runner-timeout-'));
    try {
      const r = await reproduce({ notebooksDir: fixtures, outDir: out, only: ['05'], profile: 'nano', params: {}, cwd: repoRoot, timeoutMs: 5000, log: () => {} });
      expect(r.entries[0]!.error).toEqual({ cell: 1, message: 'timed out after 5 s (raise --timeout)' });
      const nb = readJson(join(out, '05-demo-hangs', '05-demo-hangs.ipynb'));
      expectValidNbformat(nb);
      expect(nb.cells[0].outputs.at(-1)).toMatchObject({ output_type: 'error', evalue: 'timed out after 5 s (raise --timeout)' });
      expect(nb.cells[1].execution_count).toBeNull();
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});

describe('impostor reproduce CLI', () => {
  const cli = (...args: string[]) => spawnSync(process.execPath, ['bin/impostor.mjs', 'reproduce', '--notebooks', fixtures, ...args], { cwd: repoRoot, encoding: 'utf8' });

  it('exits non-zero when a notebook fails, naming the cell and message', () => {
    const out = mkdtempSync(join(tmpdir(), 'impostor-runner-cli-'));
    try {
      const r = cli('--only', '02', '--out', out, '--param', 'data=elsewhere');
      expect(r.status).toBe(1);
      expect(r.stdout).toContain('FAILED 02-demo-failing');
      expect(r.stdout).toContain('cell 3: Error: no dataset in elsewhere');
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('rejects an undeclared --param, a mistyped value and an unknown profile before running anything', async () => {
    // In-process through the CLI entry point (what bin/impostor.mjs calls), capturing stderr.
    const run = async (...args: string[]) => {
      let stderr = '';
      const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => { stderr += String(chunk); return true; });
      try {
        return { status: await main(['reproduce', '--notebooks', fixtures, ...args]), stderr };
      } finally {
        spy.mockRestore();
      }
    };
    const unknown = await run('--only', '01', '--out', '/nonexistent/never-written', '--param', 'colour=red');
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('--param colour: not declared in the parameters cell');
    const typed = await run('--only', '01', '--out', '/nonexistent/never-written', '--param', 'repeat=many');
    expect(typed.status).toBe(2);
    expect(typed.stderr).toContain('parameter "repeat" is a number, got "many"');
    const profile = await run('--only', '01', '--out', '/nonexistent/never-written', '--profile', 'huge');
    expect(profile.status).toBe(2);
    expect(profile.stderr).toContain('unknown profile "huge"; use one of: nano, paper');
    const only = await run('--only', '42', '--out', '/nonexistent/never-written');
    expect(only.status).toBe(2);
    expect(only.stderr).toContain('--only 42 matches no notebook');
    expect(existsSync('/nonexistent/never-written')).toBe(false);
  });
});

describe('failure messages', () => {
  const stderr = (text: string) => [{ output_type: 'stream' as const, name: 'stderr' as const, text }];
  it('reports tslab type errors with their line:column, and thrown errors by their first "Error:" line', () => {
    expect(failureMessage(stderr("1:7 - Type 'string' is not assignable to type 'number'.\n"))).toBe("type error at 1:7 - Type 'string' is not assignable to type 'number'.");
    expect(failureMessage(stderr('evalmachine.<anonymous>:3\nthrow x\n^\n\nRangeError: too big\n    at f (evalmachine)\n'))).toBe('RangeError: too big');
    expect(failureMessage([])).toBe('the cell failed without printing a reason');
  });
});
