import { appendFileSync, closeSync, existsSync, mkdirSync, openSync, readSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * An append-only JSONL journal: every finished generation batch is one line, so a run that is killed resumes from
 * the last line written. A torn last line (the process died mid-write) is ignored, never trusted. Several grid
 * workers may append to one journal (each line is one O_APPEND write); `refresh` picks up the others' lines.
 */
export class Journal {
  private readonly entries = new Map<string, string[]>();
  /** Keys that were already on disk when the journal was opened (resumed work, not sharing). */
  readonly resumedKeys = new Set<string>();
  /** Bytes of the file already read (up to the end of the last complete line). */
  private offset = 0;

  constructor(readonly file: string | undefined) {
    if (!file) return;
    mkdirSync(dirname(file), { recursive: true });
    if (!existsSync(file)) return;
    this.readNew(true);
    // a torn last line must not swallow the next batch appended after it
    if (statSync(file).size > this.offset) appendFileSync(file, '\n');
  }

  get size(): number {
    return this.entries.size;
  }

  get(key: string): string[] | undefined {
    return this.entries.get(key);
  }

  put(key: string, outputs: string[]): void {
    this.entries.set(key, outputs);
    if (this.file) appendFileSync(this.file, JSON.stringify({ key, outputs }) + '\n');
  }

  /** Reads the lines other processes appended since the last read. */
  refresh(): void {
    if (this.file && existsSync(this.file)) this.readNew(false);
  }

  private readNew(resumed: boolean): void {
    const size = statSync(this.file!).size;
    if (size <= this.offset) return;
    const buf = Buffer.alloc(size - this.offset);
    const fd = openSync(this.file!, 'r');
    try {
      readSync(fd, buf, 0, buf.length, this.offset);
    } finally {
      closeSync(fd);
    }
    const end = buf.lastIndexOf(10);
    if (end < 0) return;
    for (const line of buf.subarray(0, end).toString('utf8').split('\n')) {
      if (!line.trim()) continue;
      try {
        const e = JSON.parse(line) as { key: string; outputs: string[] };
        if (typeof e.key === 'string' && Array.isArray(e.outputs)) {
          this.entries.set(e.key, e.outputs);
          if (resumed) this.resumedKeys.add(e.key);
        }
      } catch {
        // torn line from an interrupted write: the batch is simply generated again
      }
    }
    this.offset += end + 1;
  }
}
