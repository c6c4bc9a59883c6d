// npm run web: build when the build is missing or older than the sources, then start browser mode.
import { spawnSync } from 'node:child_process';
import { ensureBuilt } from './build-if-needed.mjs';

ensureBuilt();
const result = spawnSync(process.execPath, ['out/node/web.mjs', ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(result.status ?? 1);
