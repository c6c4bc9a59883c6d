// Each test gets its own Cadence in browser mode: the real server (out/node/web.mjs, built by
// `npm run build`), a fresh data dir, and the address with its access token.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test as base, expect, type Page } from '@playwright/test';

export const ROOT = path.resolve(__dirname, '../..');
export const SCREENSHOTS = path.join(ROOT, 'tests/e2e/screenshots');

export interface RunningApp {
  /** Address with the token, as printed by `npm run web`. */
  url: string;
  origin: string;
  token: string;
  dataDir: string;
  process: ChildProcess;
  /** Calls a channel over HTTP with the token, as the page does. */
  call<T = unknown>(channel: string, input?: unknown): Promise<T>;
}

/** Starts browser mode on a data dir; a new collection starts empty unless `starterDecks` is set. */
export async function startApp(
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cadence-e2e-')),
  options: { starterDecks?: boolean; env?: Record<string, string> } = {},
): Promise<RunningApp> {
  const args = [path.join(ROOT, 'out/node/web.mjs'), '--port', '0', '--data-dir', dataDir, '--quiet'];
  if (!options.starterDecks) args.push('--no-starter-decks');
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    ...(options.env ? { env: { ...process.env, ...options.env } } : {}),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`browser mode did not start: ${stderr}`)), 20_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /Open (http:\/\/\S+)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.on('exit', (code) => reject(new Error(`browser mode exited with ${code}: ${stderr}`)));
  });
  const parsed = new URL(url);
  const token = parsed.hash.replace('#token=', '');
  return {
    url,
    origin: parsed.origin,
    token,
    dataDir,
    process: child,
    async call<T>(channel: string, input?: unknown): Promise<T> {
      const res = await fetch(`${parsed.origin}/api/${channel}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-cadence-token': token },
        body: input === undefined ? '' : JSON.stringify(input),
      });
      const body = (await res.json()) as { ok: boolean; value?: T; error?: { message: string } };
      if (!body.ok) throw new Error(body.error?.message);
      return body.value as T;
    },
  };
}

export const test = base.extend<{ app: RunningApp }>({
  app: async ({}, use) => {
    const app = await startApp();
    await use(app);
    await stopApp(app);
  },
});

/** Stops browser mode and removes its data dir. */
export async function stopApp(app: RunningApp): Promise<void> {
  if (app.process.exitCode === null && app.process.signalCode === null) {
    const exited = new Promise((resolve) => app.process.once('exit', resolve));
    app.process.kill('SIGTERM');
    await exited;
  }
  fs.rmSync(app.dataDir, { recursive: true, force: true });
}

/** Saves a screenshot under tests/e2e/screenshots/<name>.png for a person to look at. */
export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: false });
}

export { expect };
