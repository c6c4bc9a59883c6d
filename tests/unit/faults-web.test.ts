// Browser mode under hostile or heavy input: media served only from real files inside media/ and only
// with the token, and uploads streamed to disk (memory stays flat whatever the size; a full disk
// leaves no partial file).
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startWebServer, TOKEN_HEADER, type WebServer } from '../../electron/web/server';
import { smallDisk, smallDiskUnavailable, listing } from './faultKit';
import { makeTestCore, tempDir, type TestCore } from './testCore';

let core: TestCore | undefined;
let server: WebServer | undefined;
afterEach(async () => {
  await server?.close();
  core?.close();
  server = undefined;
  core = undefined;
});

async function serve(dataDir = tempDir()) {
  core = await makeTestCore({ dataDir });
  server = await startWebServer({ core, staticDir: tempDir() });
  return { core, server };
}

/** An API call with the token; returns the status, the body and the cookie it set. */
async function api(s: WebServer, channel: string, input?: unknown) {
  const res = await fetch(`${s.origin}/api/${channel}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [TOKEN_HEADER]: s.token },
    body: input === undefined ? '' : JSON.stringify(input),
  });
  return { status: res.status, body: (await res.json()) as { ok: boolean; value?: unknown; error?: { code: string; message: string } }, cookie: res.headers.get('set-cookie') };
}

/** Streams `total` bytes to files.stage in 64 KB chunks, never holding more than one in memory. */
function upload(s: WebServer, total: number, onChunk?: () => void): Promise<{ ok: boolean; value?: { stagedId: string; size: number }; error?: { code: string; message: string } }> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${s.origin}/api/files.stage`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream', [TOKEN_HEADER]: s.token, 'x-file-name': 'big.apkg', 'content-length': String(total) },
    });
    req.on('response', (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => resolve(JSON.parse(text)));
    });
    req.on('error', reject);
    const chunk = Buffer.alloc(64 * 1024, 1);
    let sent = 0;
    const pump = () => {
      while (sent < total) {
        const n = Math.min(chunk.length, total - sent);
        sent += n;
        onChunk?.();
        if (!req.write(n === chunk.length ? chunk : chunk.subarray(0, n))) return void req.once('drain', pump);
      }
      req.end();
    };
    pump();
  });
}

describe('media in browser mode', () => {
  it('serves a picture only with the token, and never a link planted in the media folder', async () => {
    const { core, server } = await serve();
    const media = core.ctx.paths.mediaDir;
    fs.mkdirSync(media, { recursive: true });
    fs.writeFileSync(path.join(media, 'a'.repeat(64) + '.png'), 'real picture');
    fs.symlinkSync('/etc/passwd', path.join(media, 'b'.repeat(64) + '.png'));
    fs.symlinkSync(core.ctx.paths.dbFile, path.join(media, 'c'.repeat(64) + '.png'));

    const get = (name: string, cookie?: string) => fetch(`${server.origin}/media/${name}`, { headers: cookie ? { cookie } : {} });
    expect((await get('a'.repeat(64) + '.png')).status).toBe(403);
    // The first API call hands the page a cookie only /media/ sees.
    const { cookie } = await api(server, 'app.ping');
    expect(cookie).toMatch(/^cadence-media-\d+=[\w-]+; Path=\/media\/; HttpOnly; SameSite=Strict$/);
    const jar = cookie!.split(';')[0]!;
    const ok = await get('a'.repeat(64) + '.png', jar);
    expect([ok.status, await ok.text()]).toEqual([200, 'real picture']);
    for (const planted of ['b', 'c']) {
      const res = await get(planted.repeat(64) + '.png', jar);
      expect(res.status).toBe(404);
      expect(await res.text()).not.toMatch(/root:|SQLite format/);
    }
    expect((await get('a'.repeat(64) + '.png', 'cadence-media-1=wrong')).status).toBe(403);
  });
});

describe('uploads in browser mode', () => {
  it('stream a 400 MB file to disk with memory staying flat', async () => {
    const { core, server } = await serve();
    global.gc?.();
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    let chunks = 0;
    const result = await upload(server, 400 * 1024 * 1024, () => {
      if (++chunks % 64 === 0) peak = Math.max(peak, process.memoryUsage().rss);
    });
    expect(result.ok).toBe(true);
    expect(result.value!.size).toBe(400 * 1024 * 1024);
    expect(fs.statSync(path.join(core.ctx.paths.stagingDir, result.value!.stagedId)).size).toBe(400 * 1024 * 1024);
    // Buffered whole, it would be 400 MB more (and copied, 800); streamed, a few chunks in flight.
    expect((peak - baseline) / (1024 * 1024)).toBeLessThan(96);
    fs.rmSync(core.ctx.paths.stagingDir, { recursive: true, force: true });
  });

  it.skipIf(smallDiskUnavailable !== null)('that do not fit the disk are refused as "disk full" and leave no partial file', async () => {
    const disk = smallDisk(16);
    const { core, server } = await serve(disk.dir);
    const before = fs.existsSync(core.ctx.paths.stagingDir) ? listing(core.ctx.paths.stagingDir) : {};
    const result = await upload(server, 32 * 1024 * 1024);
    expect(result.ok).toBe(false);
    expect(result.error).toEqual({ code: 'disk_full', message: expect.stringMatching(/^Your disk is full/) });
    expect(listing(core.ctx.paths.stagingDir)).toEqual(before);
    // And the server carries on.
    expect((await api(server, 'decks.create', { name: 'Still works' })).body.ok).toBe(true);
  });

  it('refuses more than 1 GB before reading it', async () => {
    const { server } = await serve();
    const answer = await new Promise<string>((resolve, reject) => {
      const req = http.request(`${server.origin}/api/files.stage`, {
        method: 'POST',
        headers: { 'content-type': 'application/octet-stream', [TOKEN_HEADER]: server.token, 'x-file-name': 'huge.apkg', 'content-length': String(2 * 1024 ** 3) },
      });
      req.on('response', (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => resolve(text));
      });
      req.on('error', reject);
      req.write('x'); // the rest never comes: the answer must not wait for it
    });
    expect(JSON.parse(answer)).toEqual({ ok: false, error: { code: 'invalid_input', message: 'That file is larger than 1 GB; Cadence cannot take it in.' } });
  });
});
