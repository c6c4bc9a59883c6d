// `npm run web [-- --port 5199] [-- --data-dir DIR]`: Cadence in the browser, for people without the
// Electron binary, and for the end-to-end tests.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startCore } from '../core/app';
import { defaultDataDir } from '../core/db/paths';
import { consoleLogger } from '../core/context';
import { AppError } from '../../shared/errors';
import { startWebServer, type WebServer } from './server';

// Built to out/node/web.mjs: the repo root is two levels up.
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

async function main() {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '0' },
      'data-dir': { type: 'string' },
      quiet: { type: 'boolean', default: false },
      // Start a new collection without the starter decks (the end-to-end tests begin from empty).
      'no-starter-decks': { type: 'boolean', default: false },
    },
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`--port must be a number from 0 to 65535 (0 picks a free port); got "${values.port}".`);
    process.exit(2);
  }
  const dataDir = path.resolve(values['data-dir'] ?? defaultDataDir());
  const version = process.env.npm_package_version ?? '0.1.0';
  let server: WebServer | undefined;
  const core = await startCore({
    dataDir,
    assetsDir: path.join(root, 'assets'),
    appVersion: version,
    mode: 'browser',
    starterDecks: !values['no-starter-decks'],
    log: values.quiet ? { ...consoleLogger, info: () => {} } : consoleLogger,
    emit: (name, payload) => server?.broadcast(name, payload),
  });
  server = await startWebServer({ core, staticDir: path.join(root, 'out', 'renderer'), port });
  // A second copy started on this folder is told where this one is.
  core.describe({ address: server.origin });
  console.log(`Cadence (browser mode) is running. Data: ${dataDir}`);
  console.log(`Open ${server.url}`);
  const stop = async () => {
    await server?.close();
    core.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((err: unknown) => {
  if (err instanceof AppError) console.error(`Cadence could not start: ${err.message}`);
  else if ((err as { code?: string }).code === 'EADDRINUSE') console.error('That port is already in use. Pick another with --port, or leave it out to use a free one.');
  else console.error('Cadence could not start:', err);
  process.exit(1);
});
