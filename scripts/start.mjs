// npm start: build if needed, then launch the desktop app. Without the Electron binary (it downloads
// at first launch) say so in one line and point to browser mode.
import { spawn } from 'node:child_process';
import { ensureBuilt } from './build-if-needed.mjs';
import { downloadElectron, electronSqliteBinding, installedElectron } from './electron-env.mjs';

ensureBuilt();
const electron = installedElectron() ?? downloadElectron();
if (!electron) {
  console.error('Cadence: the Electron binary is not installed and could not be downloaded; run `npm run web` to use Cadence in your browser instead.');
  process.exit(1);
}
const binding = electronSqliteBinding();
if (!binding) {
  console.error('Cadence: could not build the SQLite module for Electron (it needs internet once); run `npm run web` to use Cadence in your browser instead.');
  process.exit(1);
}
const child = spawn(electron, ['.', ...process.argv.slice(2)], { stdio: 'inherit', env: { ...process.env, CADENCE_SQLITE_BINDING: binding } });
child.on('exit', (code) => process.exit(code ?? 0));
