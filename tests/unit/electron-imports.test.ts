import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './testCore';

const SOURCE_DIRS = ['electron', 'shared', 'renderer/src', 'tests', 'scripts'];
const ALLOWED = ['electron/main/', 'electron/preload/', 'tests/electron/'];
const IMPORTS_ELECTRON = /(?:from\s+|import\s*\(\s*|require\s*\(\s*)['"]electron(?:\/[^'"]*)?['"]/;

function sourceFiles(dir: string): string[] {
  const abs = path.join(REPO_ROOT, dir);
  if (!fs.existsSync(abs)) return [];
  return fs.readdirSync(abs, { withFileTypes: true, recursive: true }).flatMap((e) => {
    const file = path.join(e.parentPath, e.name);
    return e.isFile() && /\.(m|c)?[jt]sx?$/.test(e.name) ? [path.relative(REPO_ROOT, file).split(path.sep).join('/')] : [];
  });
}

describe("only the Electron shell imports 'electron'", () => {
  it('no module outside electron/main and electron/preload imports electron', () => {
    const offenders = SOURCE_DIRS.flatMap(sourceFiles)
      .filter((f) => !ALLOWED.some((a) => f.startsWith(a)))
      .filter((f) => IMPORTS_ELECTRON.test(fs.readFileSync(path.join(REPO_ROOT, f), 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('the check itself sees an electron import', () => {
    const quoted = `'${'electron'}'`; // built, so this file holds no import-shaped line itself
    expect(IMPORTS_ELECTRON.test(`import { app } from ${quoted};`)).toBe(true);
    expect(IMPORTS_ELECTRON.test(`const { shell } = require(${quoted})`)).toBe(true);
    expect(IMPORTS_ELECTRON.test("import x from 'electron-vite'")).toBe(false);
    expect(sourceFiles('electron/main').length).toBeGreaterThan(0);
  });
});
