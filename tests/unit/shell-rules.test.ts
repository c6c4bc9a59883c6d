import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isAppUrl, isSafeExternalUrl } from '../../electron/core/urls';
import { resolveInside } from '../../electron/core/staticFiles';
import { exportPath, mediaPath, stagedPath, stageFile, writeExport } from '../../electron/core/files';
import { pathsFor } from '../../electron/core/db/paths';
import { tempDir } from './testCore';

describe('desktop shell URL rules', () => {
  it('trusts only pages served from app://cadence as IPC senders', () => {
    expect(isAppUrl('app://cadence/index.html')).toBe(true);
    expect(isAppUrl('app://cadence/index.html#/study?deck=3')).toBe(true);
    for (const url of ['app://evil/index.html', 'https://cadence/index.html', 'file:///index.html', 'app://user:pw@cadence/', '', null, 'not a url']) {
      expect(isAppUrl(url), String(url)).toBe(false);
    }
  });

  it('opens only https and mailto links in the system browser', () => {
    expect(isSafeExternalUrl('https://scrumguides.org/scrum-guide.html')).toBe(true);
    expect(isSafeExternalUrl('mailto:someone@example.org')).toBe(true);
    for (const url of ['http://example.org', 'mailto:a@b.org?attach=/etc/passwd', 'file:///etc/passwd', 'javascript:alert(1)', 'smb://host/share', 'https://user:pw@example.org', 'app://cadence/']) {
      expect(isSafeExternalUrl(url), url).toBe(false);
    }
  });
});

describe('serving files', () => {
  const root = tempDir();
  fs.mkdirSync(path.join(root, 'assets'));
  fs.writeFileSync(path.join(root, 'index.html'), '<html>');
  fs.writeFileSync(path.join(root, 'assets', 'app.js'), '');
  const outside = path.join(path.dirname(root), 'secret.txt');
  fs.writeFileSync(outside, 'secret');

  it('resolves files inside the root', () => {
    expect(resolveInside(root, '/index.html')).toBe(path.join(root, 'index.html'));
    expect(resolveInside(root, '/assets/app.js')).toBe(path.join(root, 'assets', 'app.js'));
  });

  it('never leaves the root, however the path is written', () => {
    const name = path.basename(outside);
    for (const probe of [`/../${name}`, `/..%2f${name}`, `/%2e%2e/${name}`, `/assets/../../${name}`, `/assets/..%5c..%5c${name}`, '/%00index.html', '/%E0%A4%A']) {
      expect(resolveInside(root, probe), probe).toBeNull();
    }
    expect(resolveInside(root, '/assets')).toBeNull(); // folders are not files
  });

  it('media, downloads and staged files are addressed by plain names only', () => {
    const paths = pathsFor(tempDir(), root);
    fs.mkdirSync(paths.mediaDir, { recursive: true });
    fs.writeFileSync(path.join(paths.mediaDir, 'abc.png'), 'x');
    expect(mediaPath(paths.mediaDir, 'abc.png')).toBe(path.join(paths.mediaDir, 'abc.png'));
    expect(mediaPath(paths.mediaDir, '../cadence.sqlite')).toBeNull();
    // Only pictures, sound and video are served, so a packaged page or script can never run from here.
    fs.writeFileSync(path.join(paths.mediaDir, 'abc.html'), '<script>');
    fs.writeFileSync(path.join(paths.mediaDir, 'abc.js'), '');
    expect(mediaPath(paths.mediaDir, 'abc.html')).toBeNull();
    expect(mediaPath(paths.mediaDir, 'abc.js')).toBeNull();
    expect(mediaPath(paths.mediaDir, '..')).toBeNull();
    expect(exportPath(paths.exportsDir, '..')).toBeNull();
    const { downloadName } = writeExport(paths, 'My deck / export.csv', 'a,b');
    expect(downloadName).toMatch(/^[a-f0-9]{12}-My-deck-export\.csv$/);
    expect(fs.readFileSync(exportPath(paths.exportsDir, downloadName)!, 'utf8')).toBe('a,b');
    expect(exportPath(paths.exportsDir, '../cadence.sqlite')).toBeNull();
    const staged = stageFile(paths, 'deck.apkg', new Uint8Array([1, 2, 3]));
    expect(fs.readFileSync(stagedPath(paths, staged.stagedId))).toEqual(Buffer.from([1, 2, 3]));
    expect(() => stagedPath(paths, '../../etc/passwd')).toThrow(/no longer available/);
  });
});
