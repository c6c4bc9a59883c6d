// About & licences: the Scrum Guide deck's CC BY-SA 4.0 attribution, and the licence of every package
// that ships inside Cadence, from a list the build keeps current.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTestCore, type TestCore } from './testCore';

let core: TestCore;
afterEach(() => core?.close());

describe('about.licences', () => {
  it('names the Scrum Guide licence with its attribution, and each shipped package with its licence text', async () => {
    core = await makeTestCore();
    const { content, software } = await core.call('about.licences');
    expect(content).toEqual([
      {
        deck: 'Starter::Scrum Guide 2020',
        name: 'CC BY-SA 4.0',
        url: 'https://creativecommons.org/licenses/by-sa/4.0/',
        attribution: 'Based on The Scrum Guide 2020 © Ken Schwaber and Jeff Sutherland, licensed CC BY-SA 4.0, adapted into flashcards',
      },
    ]);
    const names = software.map((p) => p.name);
    // Production dependencies, packages bundled into the window, and Electron itself.
    for (const name of ['better-sqlite3', 'zod', 'ts-fsrs', 'date-fns', 'fflate', 'fzstd', 'react', 'react-dom', 'scheduler', 'marked', 'dompurify', 'uplot', 'electron']) {
      expect(names, name).toContain(name);
    }
    // Build and test tools do not ship.
    for (const name of ['vite', 'vitest', 'typescript', '@playwright/test', 'electron-builder']) expect(names).not.toContain(name);
    for (const p of software) expect(p.text.length, `${p.name} licence text`).toBeGreaterThan(50);
    expect(software.find((p) => p.name === 'dompurify')!.licence).toBe('(MPL-2.0 OR Apache-2.0)');
  });

  it('the shipped licence list matches the installed packages (regenerate it after changing dependencies)', () => {
    const script = path.join(__dirname, '../../scripts/third-party-licences.mjs');
    expect(() => execFileSync(process.execPath, [script, '--check'], { stdio: 'pipe' })).not.toThrow();
  });
});
