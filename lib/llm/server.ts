import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { timingSafeEqual } from 'node:crypto';
import type { LoadedModel } from '../models/load';
import { ApiError, invalidRequest } from './api-errors';
import { completeChat, parseChatRequest } from './chat-completions';
import { RequestQueue } from './request-queue';

export interface ServeOptions {
  models: LoadedModel[];
  /** Default 127.0.0.1: the server is local unless explicitly exposed. */
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** When set, requests need `Authorization: Bearer <key>`. */
  apiKey?: string;
  /** Requests allowed to wait behind the running one before new ones get 429. */
  maxQueue?: number;
  maxBodyBytes?: number;
  maxNewTokens?: number;
  /** Seeds requests that send none from this seed and the request (CompletionSettings.sampleSeed); default random. */
  sampleSeed?: number;
  log?: (line: string) => void;
}

export interface RunningServer {
  url: string;
  server: Server;
  close(): Promise<void>;
}

/** Unique model ids from folder names (a second "model" becomes "model-2"). */
export function modelIds(models: LoadedModel[]): string[] {
  const seen = new Map<string, number>();
  return models.map((m) => {
    const n = (seen.get(m.name) ?? 0) + 1;
    seen.set(m.name, n);
    return n === 1 ? m.name : `${m.name}-${n}`;
  });
}

/**
 * An OpenAI-compatible HTTP server over loaded checkpoints: GET /v1/models and POST /v1/chat/completions
 * (non-streaming). Every failure is answered as OpenAI error JSON; malformed or oversized bodies and clients that
 * disconnect mid-generation only end their own request.
 */
export function startServer(opts: ServeOptions): Promise<RunningServer> {
  const ids = modelIds(opts.models);
  const byId = new Map(ids.map((id, i) => [id, opts.models[i]!]));
  const queue = new RequestQueue(opts.maxQueue ?? 8);
  const maxBody = opts.maxBodyBytes ?? 1 << 20;
  const settings = { maxNewTokens: opts.maxNewTokens ?? 2048, sampleSeed: opts.sampleSeed };
  const created = Math.floor(Date.now() / 1000);
  const log = opts.log ?? (() => {});

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0]!.replace(/\/+$/, '');
    if (opts.apiKey && !authorised(req.headers.authorization, opts.apiKey)) {
      throw new ApiError(401, 'Incorrect API key provided; pass it as "Authorization: Bearer <key>"', 'invalid_request_error', 'invalid_api_key');
    }
    if (path === '/v1/models') {
      if (req.method !== 'GET') throw new ApiError(405, `${req.method} is not allowed on /v1/models; use GET`, 'invalid_request_error', 'method_not_allowed');
      return send(res, 200, { object: 'list', data: ids.map((id) => ({ id, object: 'model', created, owned_by: 'impostor-lab' })) });
    }
    if (path === '/v1/chat/completions') {
      if (req.method !== 'POST') throw new ApiError(405, `${req.method} is not allowed on /v1/chat/completions; use POST`, 'invalid_request_error', 'method_not_allowed');
      const body = parseChatRequest(await readJson(req, maxBody));
      const model = byId.get(body.model);
      if (!model) throw new ApiError(404, `The model "${body.model}" does not exist; available: ${ids.join(', ')}`, 'invalid_request_error', 'model_not_found', 'model');
      const abort = new AbortController();
      res.on('close', () => {
        if (!res.writableFinished) abort.abort();
      });
      const result = await queue.run(async () => {
        if (abort.signal.aborted) throw new ApiError(499, 'client closed the connection', 'cancelled');
        return completeChat(model, body, settings, abort.signal);
      });
      if (!result) throw new ApiError(429, `server busy: ${queue.maxWaiting} requests already waiting; retry later`, 'rate_limit_exceeded', 'queue_full');
      return send(res, 200, result.value);
    }
    throw new ApiError(404, `unknown endpoint ${req.method} ${path}; this server offers GET /v1/models and POST /v1/chat/completions`, 'invalid_request_error', 'not_found');
  }

  const server = createServer((req, res) => {
    const started = Date.now();
    handle(req, res)
      .catch((err: unknown) => {
        const apiErr = err instanceof ApiError ? err : new ApiError(500, `internal error: ${(err as Error).message}`, 'server_error');
        if (!(err instanceof ApiError)) log(`error: ${(err as Error).stack ?? err}`);
        if (apiErr.status === 413) res.setHeader('Connection', 'close');
        if (!res.destroyed && !res.headersSent) send(res, apiErr.status, apiErr.body());
      })
      .finally(() => log(`${req.method} ${req.url} → ${res.statusCode} in ${Date.now() - started} ms`));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => {
      const addr = server.address() as AddressInfo;
      const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
      resolve({
        url: `http://${host}:${addr.port}/v1`,
        server,
        close: () => new Promise<void>((done) => {
          server.closeAllConnections();
          server.close(() => done());
        }),
      });
    });
  });
}

function authorised(header: string | undefined, key: string): boolean {
  const given = Buffer.from(/^Bearer\s+(.+)$/i.exec(header ?? '')?.[1] ?? '');
  const want = Buffer.from(key);
  return given.length === want.length && timingSafeEqual(given, want);
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

/** Reads a JSON body up to `limit` bytes; larger bodies get 413 without being buffered. */
function readJson(req: IncomingMessage, limit: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit) {
      req.resume();
      return reject(new ApiError(413, `request body of ${declared} bytes exceeds the limit of ${limit}`, 'invalid_request_error', 'request_too_large'));
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit && !failed) {
        failed = true;
        reject(new ApiError(413, `request body exceeds the limit of ${limit} bytes`, 'invalid_request_error', 'request_too_large'));
      }
      if (!failed) chunks.push(chunk);
    });
    req.on('end', () => {
      if (failed) return;
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch (err) {
        reject(invalidRequest(`request body is not valid JSON: ${(err as Error).message}`));
      }
    });
    req.on('error', reject);
  });
}
