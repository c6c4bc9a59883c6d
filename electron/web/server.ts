// Browser mode: the built renderer and the same handlers over HTTP on 127.0.0.1.
// Safe by default: loopback only, a per-launch token on every API call, Host/Origin checks against
// DNS rebinding and cross-site requests, capped bodies. Everything from the zod parse inward is the
// same code the desktop app runs (electron/core/invoke.ts).
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Core } from '../core/app';
import { invokeChannel, toErrorShape } from '../core/invoke';
import { decodeName, exportPath, MEDIA_HEADERS, mediaPath, stageStream } from '../core/files';
import { stagedFileName } from '../../shared/contract/app';
import { wellFormedText } from '../core/wellFormed';
import { mimeType, resolveInside } from '../core/staticFiles';
import { CONTENT_SECURITY_POLICY } from '../../shared/csp';
import type { ErrorShape } from '../../shared/errors';
import type { EventName, Result } from '../../shared/contract';

export const MAX_JSON_BYTES = 2 * 1024 * 1024;
export const MAX_UPLOAD_BYTES = 1024 * 1024 * 1024;
export const TOKEN_HEADER = 'x-cadence-token';

export interface WebServerOptions {
  core: Core;
  staticDir: string;
  port?: number;
  token?: string;
}

export interface WebServer {
  url: string;
  origin: string;
  port: number;
  token: string;
  /** Pushes an event to every open page. */
  broadcast(name: EventName, payload: unknown): void;
  close(): Promise<void>;
}

const SECURITY_HEADERS = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'X-Frame-Options': 'DENY',
};

function send(res: http.ServerResponse, status: number, body: string | Buffer, type: string, extra: Record<string, string> = {}) {
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': type, 'Cache-Control': 'no-store', ...extra });
  res.end(body);
}

function sendError(res: http.ServerResponse, status: number, error: ErrorShape) {
  send(res, status, JSON.stringify({ ok: false, error }), 'application/json; charset=utf-8');
}

/** The value of cookie `name` in a request, or undefined. */
function cookie(req: http.IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}

function sameToken(given: string | undefined, expected: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

/** Reads a request body up to `limit` bytes; rejects (413) beyond it without buffering the rest. */
function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit) return reject(Object.assign(new Error('too large'), { status: 413 }));
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(Object.assign(new Error('too large'), { status: 413 }));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export function startWebServer({ core, staticDir, port = 0, token = crypto.randomBytes(24).toString('base64url') }: WebServerOptions): Promise<WebServer> {
  const sseClients = new Set<http.ServerResponse>();
  let allowedHosts = new Set<string>();
  let allowedOrigins = new Set<string>();
  const log = core.ctx.log;

  function hostAllowed(req: http.IncomingMessage): boolean {
    return allowedHosts.has(req.headers.host ?? '');
  }

  function originAllowed(req: http.IncomingMessage): boolean {
    const origin = req.headers.origin;
    return origin === undefined || allowedOrigins.has(origin);
  }

  // Pictures and sounds in cards are fetched by <img> and <audio>, which cannot send the token header:
  // the first API call with the token also sets it as a cookie only /media/ sees (named by port, as
  // cookies do not tell two servers on one host apart). Same-site only, never readable by scripts.
  const mediaCookie = () => `cadence-media-${(server.address() as AddressInfo).port}`;
  function withMediaCookie(req: http.IncomingMessage): Record<string, string> {
    if (cookie(req, mediaCookie()) === token) return {};
    return { 'Set-Cookie': `${mediaCookie()}=${token}; Path=/media/; HttpOnly; SameSite=Strict` };
  }

  /** Browser mode's upload: the body streams to the staging folder, never held in memory whole. */
  async function stageUpload(req: http.IncomingMessage): Promise<Result<unknown>> {
    const name = stagedFileName.safeParse(wellFormedText(decodeName(String(req.headers['x-file-name'] ?? '')) ?? ''));
    if (!name.success) return { ok: false, error: { code: 'invalid_input', message: 'The file has no name Cadence can use. Rename it and choose it again.' } };
    if (Number(req.headers['content-length'] ?? 0) > MAX_UPLOAD_BYTES) {
      return { ok: false, error: { code: 'invalid_input', message: 'That file is larger than 1 GB; Cadence cannot take it in.' } };
    }
    await core.ctx.gate.wait();
    try {
      return { ok: true, value: await stageStream(core.ctx.paths, name.data, req, MAX_UPLOAD_BYTES) };
    } catch (err) {
      return { ok: false, error: toErrorShape(err, 'files.stage', core.ctx) };
    }
  }

  async function handleApi(req: http.IncomingMessage, res: http.ServerResponse, channel: string) {
    if (req.method !== 'POST') return sendError(res, 405, { code: 'invalid_input', message: 'Use POST for API calls.' });
    const tokenHeader = req.headers[TOKEN_HEADER];
    if (!sameToken(typeof tokenHeader === 'string' ? tokenHeader : undefined, token)) {
      return sendError(res, 403, { code: 'forbidden', message: 'Missing or wrong access token. Open Cadence with the address printed when it started.' });
    }
    const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim();
    let result: Result<unknown>;
    if (channel === 'files.stage') {
      if (type !== 'application/octet-stream') {
        return sendError(res, 415, { code: 'invalid_input', message: 'Send the file as application/octet-stream.' });
      }
      result = await stageUpload(req);
      // A refused upload is not read: the connection closes instead of taking in the rest.
      if (!result.ok && !req.readableEnded) res.setHeader('Connection', 'close');
    } else {
      // Requiring JSON keeps HTML forms on other sites from posting here.
      if (type !== 'application/json') {
        return sendError(res, 415, { code: 'invalid_input', message: 'Send API calls as application/json.' });
      }
      let input: unknown;
      try {
        const body = await readBody(req, MAX_JSON_BYTES);
        input = body.length ? JSON.parse(body.toString('utf8')) : undefined;
      } catch (err) {
        if ((err as { status?: number }).status === 413) {
          return sendError(res, 413, { code: 'invalid_input', message: 'The request is too large.' });
        }
        return sendError(res, 400, { code: 'invalid_input', message: 'The request body is not valid JSON.' });
      }
      result = await invokeChannel(core, channel, input);
    }
    const status = result.ok ? 200 : result.error.code === 'invalid_input' ? 400 : result.error.code === 'not_found' ? 404 : 200;
    send(res, status, JSON.stringify(result), 'application/json; charset=utf-8', withMediaCookie(req));
  }

  function handleEvents(req: http.IncomingMessage, res: http.ServerResponse, url: URL) {
    if (!sameToken(url.searchParams.get('token') ?? undefined, token)) {
      return sendError(res, 403, { code: 'forbidden', message: 'Missing or wrong access token.' });
    }
    res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
    res.write(': connected\n\n');
    sseClients.add(res);
    req.on('close', () => sseClients.delete(res));
  }

  function serveFile(res: http.ServerResponse, file: string, extra: Record<string, string> = {}) {
    const stream = fs.createReadStream(file);
    res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': mimeType(file), ...extra });
    stream.pipe(res);
    stream.on('error', () => res.destroy());
  }

  const server = http.createServer((req, res) => {
    void (async () => {
      if (!hostAllowed(req)) {
        return sendError(res, 421, { code: 'forbidden', message: 'Cadence only answers on its own address.' });
      }
      if (!originAllowed(req)) {
        return sendError(res, 403, { code: 'forbidden', message: 'Requests from other sites are refused.' });
      }
      const url = new URL(req.url ?? '/', 'http://local');
      const p = url.pathname;
      if (p.startsWith('/api/')) {
        if (p === '/api/events') return handleEvents(req, res, url);
        return handleApi(req, res, p.slice('/api/'.length));
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        return sendError(res, 405, { code: 'invalid_input', message: 'Method not allowed.' });
      }
      if (p.startsWith('/media/')) {
        if (!sameToken(cookie(req, mediaCookie()) ?? url.searchParams.get('token') ?? undefined, token)) {
          return sendError(res, 403, { code: 'forbidden', message: 'Missing or wrong access token.' });
        }
        const name = decodeName(p.slice('/media/'.length));
        const file = name === null ? null : mediaPath(core.ctx.paths.mediaDir, name);
        return file ? serveFile(res, file, { ...MEDIA_HEADERS, 'Cache-Control': 'private, max-age=31536000, immutable' }) : send(res, 404, 'Not found', 'text/plain');
      }
      if (p.startsWith('/download/')) {
        if (!sameToken(url.searchParams.get('token') ?? undefined, token)) {
          return sendError(res, 403, { code: 'forbidden', message: 'Missing or wrong access token.' });
        }
        const name = decodeName(p.slice('/download/'.length)) ?? '';
        const file = exportPath(core.ctx.paths.exportsDir, name);
        if (!file) return send(res, 404, 'Not found', 'text/plain');
        const shown = name.replace(/^[a-f0-9]{12}-/, '');
        return serveFile(res, file, { 'Content-Disposition': `attachment; filename="${shown}"`, 'Cache-Control': 'no-store' });
      }
      // The renderer: static files, and index.html for anything else (client-side pages).
      const file = resolveInside(staticDir, p === '/' ? '/index.html' : p) ?? resolveInside(staticDir, '/index.html');
      if (!file) return send(res, 500, 'The renderer is not built. Run `npm run build` first.', 'text/plain; charset=utf-8');
      const cache = file.endsWith('index.html') ? 'no-store' : 'public, max-age=31536000, immutable';
      return serveFile(res, file, { 'Cache-Control': cache });
    })().catch((err: unknown) => {
      log.error('Browser-mode request failed', err);
      if (!res.headersSent) sendError(res, 500, { code: 'internal', message: 'Something went wrong inside Cadence.' });
      else res.destroy();
    });
  });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const actual = (server.address() as AddressInfo).port;
      allowedHosts = new Set([`127.0.0.1:${actual}`, `localhost:${actual}`]);
      allowedOrigins = new Set([...allowedHosts].map((h) => `http://${h}`));
      const origin = `http://127.0.0.1:${actual}`;
      resolve({
        url: `${origin}/#token=${token}`,
        origin,
        port: actual,
        token,
        broadcast(name, payload) {
          const data = `data: ${JSON.stringify({ name, payload })}\n\n`;
          for (const client of sseClients) client.write(data);
        },
        close: () =>
          new Promise<void>((done) => {
            for (const client of sseClients) client.end();
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
