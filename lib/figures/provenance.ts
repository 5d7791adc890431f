/**
 * Where a figure's numbers came from. Every figure states it in its subtitle and in `<name>.json`, so a PNG that
 * leaves the repository still says which models and data produced it and whether the data were synthetic.
 */
export interface Provenance {
  /** Models whose activations/outputs were used, e.g. ["Qwen3-32B"]. */
  models: string[];
  /** Data sources, e.g. ["data/synthetic/narcbench (NARCBench-format, synthesised)"]. */
  data: string[];
  synthetic: boolean;
  /** What the data are when neither synthetic nor the published release, e.g. "organism (nano)"; titles carry it. */
  dataLabel?: string;
  /** Published numbers shown beside ours (reference ticks, "paper vs this run"), with where they come from. */
  paperReference?: { source: string; values: unknown };
  notes?: string[];
}

/** "Qwen3-32B · data/synthetic/narcbench · SYNTHETIC DATA": the line under every figure title. */
export function provenanceLine(p: Provenance): string {
  const parts = [p.models.length ? p.models.join(', ') : 'no model', p.data.length ? p.data.join(', ') : 'no data source'];
  parts.push(p.synthetic ? 'SYNTHETIC DATA (not the paper\'s numbers)' : p.dataLabel ? `${p.dataLabel} data (not the paper's model)` : 'real data');
  return parts.join(' · ');
}

/** Title with the provenance line as a smaller subtitle (plotly renders <br> and <sup>). */
export function titleWithProvenance(title: string, p: Provenance): string {
  return `${p.synthetic ? '[synthetic] ' : p.dataLabel ? `[${p.dataLabel}] ` : ''}${title}<br><sup>${escapeHtml(provenanceLine(p))}</sup>`;
}

/** The plotly layout title the workbench's figures share: centred, 13 pt, with the provenance line under it. */
export function provenanceTitle(title: string, p: Provenance): { text: string; x: number; xanchor: 'center'; font: { size: number } } {
  return { text: titleWithProvenance(title, p), x: 0.5, xanchor: 'center', font: { size: 13 } };
}

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
