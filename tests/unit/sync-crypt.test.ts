// The sealing of synced documents (sync/crypt.ts), without a server: what a server could try (moving a
// body under another id, an attachment under another name, absurd key costs) fails.
import { describe, expect, it } from 'vitest';
import { newEncryption, openEncryption } from '../../electron/core/sync/crypt';

describe('document sealing', () => {
  it('opens what it sealed, and only under the same id', async () => {
    const { doc, codec } = await newEncryption('quiet sprint lantern');
    const body = { type: 'note', fields: ['What is a Sprint Goal?', 'The single objective for the Sprint'] };
    const stored = codec.seal('note:abc', body);
    expect(Object.keys(stored)).toEqual(['e2e']);
    expect(JSON.stringify(stored)).not.toContain('Sprint');
    expect(codec.open('note:abc', stored)).toEqual(body);
    expect(() => codec.open('note:xyz', stored)).toThrow(/does not open with this passphrase/);
    expect(() => codec.open('note:abc', { type: 'note', fields: [] })).toThrow(/not fully encrypted/);

    // Another computer: the same passphrase and the server's salt open it; another passphrase does not.
    const again = await openEncryption('quiet sprint lantern', doc as unknown as Record<string, unknown>);
    expect(again?.open('note:abc', stored)).toEqual(body);
    expect(await openEncryption('quiet sprint lanterns', doc as unknown as Record<string, unknown>)).toBeNull();
  });

  it('seals attachment bytes bound to their document and name', async () => {
    const { codec } = await newEncryption('quiet sprint lantern');
    const bytes = Buffer.from('PNG picture bytes');
    const stored = codec.sealBytes('note:abc', 'sha256-1', bytes);
    expect(stored.includes(bytes)).toBe(false);
    expect(codec.openBytes('note:abc', 'sha256-1', stored)).toEqual(bytes);
    expect(codec.openBytes('note:abc', 'sha256-2', stored)).toBeNull();
    expect(codec.openBytes('note:abc', 'sha256-1', Buffer.alloc(10))).toBeNull();
  });

  it('refuses encryption settings that would make this computer work for minutes, in words', async () => {
    const { doc } = await newEncryption('quiet sprint lantern');
    await expect(openEncryption('quiet sprint lantern', { ...doc, N: 2 ** 24 } as unknown as Record<string, unknown>)).rejects.toThrow(
      /encryption settings were written by a newer or different program/,
    );
  });
});
