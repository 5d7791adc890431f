import { closeSync, existsSync, mkdirSync, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { Progress } from '../common/progress';
import { sha256OfFiles } from '../common/sha256-files';
import type { RemoteFile } from './source';

/** Network failures that mean "no route to the server" (as opposed to an HTTP error from a reachable one). */
const OFFLINE_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'ECONNREFUSED', 'ENETUNREACH', 'EHOSTUNREACH', 'ETIMEDOUT', 'ECONNRESET', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_SOCKET']);

export function isOfflineError(err: unknown): boolean {
  for (let e: any = err; e; e = e.cause) {
    if (typeof e.code === 'string' && OFFLINE_CODES.has(e.code)) return true;
  }
  return false;
}

export class DownloadError extends Error {}

/** Bytes already on disk for a file: complete (target exists with the right size and hash) or partial (`.part`). */
function localState(target: string, size: number | undefined, sha256?: string): { complete: boolean; partial: number } {
  if (existsSync(target) && (size === undefined || statSync(target).size === size) && (sha256 === undefined || sha256OfFiles([target]) === sha256)) {
    return { complete: true, partial: 0 };
  }
  const part = `${target}.part`;
  return { complete: false, partial: existsSync(part) ? statSync(part).size : 0 };
}

/**
 * Downloads one file into `<target>.part`, resuming from its current length with an HTTP Range request, and renames
 * it into place once its size matches the listing. A server that ignores Range (200 instead of 206) restarts the
 * file from zero rather than appending a second copy.
 */
async function downloadOne(file: RemoteFile, target: string, onBytes: (n: number) => void): Promise<void> {
  mkdirSync(dirname(target), { recursive: true });
  const part = `${target}.part`;
  let have = existsSync(part) ? statSync(part).size : 0;
  if (file.size !== undefined && have > file.size) {
    rmSync(part); // longer than the file can be: not a prefix of it
    have = 0;
  }
  if (file.size === undefined || have < file.size) {
    const res = await fetch(file.url, { headers: have > 0 ? { range: `bytes=${have}-` } : {} });
    if (res.status === 416 && file.size !== undefined && have === file.size) {
      // nothing left to fetch
    } else if (!res.ok || !res.body) {
      throw new DownloadError(`${file.url}: HTTP ${res.status} ${res.statusText}`);
    } else {
      const append = have > 0 && res.status === 206;
      if (!append && have > 0) onBytes(-have);
      const fd = openSync(part, append ? 'a' : 'w');
      try {
        for await (const chunk of res.body as AsyncIterable<Uint8Array>) {
          writeSync(fd, chunk);
          onBytes(chunk.length);
        }
      } finally {
        closeSync(fd);
      }
    }
  }
  const got = statSync(part).size;
  if (file.size !== undefined && got !== file.size) {
    throw new DownloadError(`${file.path}: got ${got} of ${file.size} bytes (connection closed early); rerun to resume from ${part}`);
  }
  if (file.sha256 !== undefined) {
    const actual = sha256OfFiles([part]);
    if (actual !== file.sha256) {
      rmSync(part); // complete but wrong: resuming it could never fix it
      throw new DownloadError(`${file.path}: sha256 ${actual} differs from the pinned ${file.sha256} (${file.url}); the download was discarded`);
    }
  }
  renameSync(part, target);
}

export interface DownloadSummary {
  downloaded: string[];
  skipped: string[];
  bytes: number;
}

/** Downloads every file under `root`, skipping complete ones; progress (bytes, ETA) goes to stderr. */
export async function downloadAll(files: RemoteFile[], root: string, targetOf: (f: RemoteFile) => string, out: NodeJS.WritableStream = process.stderr): Promise<DownloadSummary> {
  const states = files.map((f) => ({ f, target: targetOf(f), ...localState(targetOf(f), f.size, f.sha256) }));
  const total = states.reduce((s, x) => s + (x.complete ? 0 : Math.max(0, (x.f.size ?? 0) - x.partial)), 0);
  const progress = new Progress(`fetch ${root} (bytes)`, Math.max(total, 1), out);
  let done = 0;
  const summary: DownloadSummary = { downloaded: [], skipped: [], bytes: 0 };
  for (const s of states) {
    if (s.complete) {
      summary.skipped.push(s.f.path);
      continue;
    }
    await downloadOne(s.f, s.target, (n) => {
      done += n;
      summary.bytes += n;
      progress.update(Math.min(done, total), s.f.path);
    });
    summary.downloaded.push(s.f.path);
  }
  progress.update(total, 'done');
  return summary;
}
