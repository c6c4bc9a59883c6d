import fs from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './testCore';

const config = yaml.load(fs.readFileSync(path.join(REPO_ROOT, 'electron-builder.yml'), 'utf8')) as Record<string, unknown>;

describe('electron-builder.yml', () => {
  it("is valid against electron-builder's own JSON schema", () => {
    const schema = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'node_modules/app-builder-lib/scheme.json'), 'utf8')) as object;
    const ajv = new Ajv({ allErrors: true, strict: false, allowUnionTypes: true });
    const validate = ajv.compile(schema);
    const valid = validate(config);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('builds the promised installers and locks the app down with fuses', () => {
    expect(config.appId).toBe('app.cadence.desktop');
    expect(config.productName).toBe('Cadence');
    expect((config.linux as { target: string[] }).target).toEqual(['AppImage', 'deb']);
    expect((config.mac as { target: string }).target).toBe('dmg');
    expect((config.win as { target: string }).target).toBe('nsis');
    expect(config.electronFuses).toMatchObject({ runAsNode: false, enableCookieEncryption: true, onlyLoadAppFromAsar: true });
  });

  it('unpacks the SQLite native module from the asar and leaves its sources out', () => {
    expect(config.asarUnpack).toContain('**/*.node');
    const files = config.files as string[];
    expect(files.some((f) => f.startsWith('!node_modules/better-sqlite3/') && f.includes('src'))).toBe(true);
    expect(files.some((f) => f.includes('obj.target'))).toBe(true);
  });
});
