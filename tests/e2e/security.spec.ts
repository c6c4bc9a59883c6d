import http from 'node:http';
import { expect, test } from './fixtures';

/** GET with a chosen Host header (fetch does not let a caller set Host). */
function getWithHost(origin: string, host: string): Promise<number> {
  const { hostname, port } = new URL(origin);
  return new Promise((resolve, reject) => {
    const req = http.request({ hostname, port, path: '/', headers: { host } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

test('an API call without the token is refused and changes nothing', async ({ app }) => {
  const res = await fetch(`${app.origin}/api/decks.create`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Sneaky' }),
  });
  expect(res.status).toBe(403);
  expect(((await res.json()) as { error: { code: string } }).error.code).toBe('forbidden');
  expect(await app.call('decks.list')).toEqual({ decks: [] });
});

test('requests from another site or host name are refused', async ({ app }) => {
  const crossSite = await fetch(`${app.origin}/api/decks.list`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-cadence-token': app.token, origin: 'https://evil.example' },
    body: '',
  });
  expect(crossSite.status).toBe(403);
  // DNS rebinding: a foreign host name pointing at 127.0.0.1.
  expect(await getWithHost(app.origin, 'evil.example')).toBe(421);
  expect(await getWithHost(app.origin, new URL(app.origin).host)).toBe(200);
  const form = await fetch(`${app.origin}/api/decks.create`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-cadence-token': app.token },
    body: 'name=x',
  });
  expect(form.status).toBe(415);
});

test('oversized bodies are refused', async ({ app }) => {
  const res = await fetch(`${app.origin}/api/decks.create`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-cadence-token': app.token },
    body: JSON.stringify({ name: 'x'.repeat(3 * 1024 * 1024) }),
  });
  expect(res.status).toBe(413);
});

test('the page is served with a strict CSP and no file outside the renderer is reachable', async ({ app }) => {
  const res = await fetch(app.origin + '/');
  const csp = res.headers.get('content-security-policy') ?? '';
  expect(csp).toContain("script-src 'self'");
  expect(csp).not.toContain('unsafe-eval');
  expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
  for (const probe of ['/..%2f..%2fpackage.json', '/media/..%2fcadence.sqlite', '/download/..%2f..%2fcadence.sqlite']) {
    const r = await fetch(app.origin + probe + `?token=${app.token}`);
    const text = await r.text();
    expect(text).not.toContain('"name": "cadence"');
    expect(text.startsWith('SQLite format')).toBe(false);
  }
});

test('the page without its token explains how to open Cadence', async ({ page, app }) => {
  await page.goto(app.origin + '/');
  await expect(page.getByRole('heading', { name: 'Open Cadence from its address' })).toBeVisible();
});
