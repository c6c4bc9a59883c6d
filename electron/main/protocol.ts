import fs from 'node:fs';
import { Readable } from 'node:stream';
import { protocol } from 'electron';
import type { Core } from '../core/app';
import { decodeName, exportPath, MEDIA_HEADERS, mediaPath } from '../core/files';
import { mimeType, resolveInside } from '../core/staticFiles';
import { APP_HOST, APP_SCHEME } from '../core/urls';
import { CONTENT_SECURITY_POLICY } from '../../shared/csp';

/** Must run before app 'ready': app:// behaves like https (secure context, fetch, streaming media). */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } },
  ]);
}

function fileResponse(file: string, headers: Record<string, string> = {}): Response {
  const body = Readable.toWeb(fs.createReadStream(file)) as ReadableStream;
  return new Response(body, {
    headers: { 'Content-Type': mimeType(file), 'Content-Security-Policy': CONTENT_SECURITY_POLICY, 'X-Content-Type-Options': 'nosniff', ...headers },
  });
}

/**
 * Serves the renderer from app://cadence/, plus /media/<name> (card media) and /download/<name>
 * (exports, which Electron offers to save). Every path is resolved inside its folder; anything
 * else is a 404.
 */
export function handleAppProtocol(core: Core, rendererDir: string): void {
  protocol.handle(APP_SCHEME, (request) => {
    const url = new URL(request.url);
    if (url.host !== APP_HOST) return new Response('Not found', { status: 404 });
    const p = url.pathname;
    if (p.startsWith('/media/')) {
      const name = decodeName(p.slice(7));
      const file = name === null ? null : mediaPath(core.ctx.paths.mediaDir, name);
      return file ? fileResponse(file, MEDIA_HEADERS) : new Response('Not found', { status: 404 });
    }
    if (p.startsWith('/download/')) {
      const name = decodeName(p.slice(10)) ?? '';
      const file = exportPath(core.ctx.paths.exportsDir, name);
      if (!file) return new Response('Not found', { status: 404 });
      return fileResponse(file, { 'Content-Disposition': `attachment; filename="${name.replace(/^[a-f0-9]{12}-/, '')}"` });
    }
    const file = resolveInside(rendererDir, p === '/' ? '/index.html' : p) ?? resolveInside(rendererDir, '/index.html');
    return file ? fileResponse(file) : new Response('Not found', { status: 404 });
  });
}
