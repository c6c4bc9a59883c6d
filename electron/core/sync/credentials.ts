// The sync password and the encryption passphrase, each kept outside the collection (a backup or a copied collection never carries it):
// a file in the data folder only this user may read (0600). In the desktop app its content is sealed by
// the system keychain (Electron safeStorage, handed in by electron/main: core never imports electron);
// in browser mode it is the file's permissions that protect it.
import fs from 'node:fs';
import path from 'node:path';

/** Encrypts with a key the operating system keeps for this user (Electron safeStorage). */
export interface SecretSealer {
  seal(plain: string): Buffer;
  open(sealed: Buffer): string;
}

/** A secret kept in its own file: `sync-password` (the server's), `sync-passphrase` (end-to-end encryption). */
export function makeCredentials(dataDir: string, sealer: SecretSealer | undefined, name = 'sync-password') {
  const file = path.join(dataDir, name);
  return {
    store: (sealer ? 'keychain' : 'file') as 'keychain' | 'file',
    has: () => fs.existsSync(file),
    read(): string | null {
      if (!fs.existsSync(file)) return null;
      const bytes = fs.readFileSync(file);
      return sealer ? sealer.open(bytes) : bytes.toString('utf8');
    },
    write(password: string): void {
      const bytes = sealer ? sealer.seal(password) : Buffer.from(password, 'utf8');
      // Written beside and renamed over, created 0600: never readable by others, never half-written.
      const temp = `${file}.tmp`;
      fs.writeFileSync(temp, bytes, { mode: 0o600 });
      fs.chmodSync(temp, 0o600);
      fs.renameSync(temp, file);
    },
    remove(): void {
      fs.rmSync(file, { force: true });
    },
  };
}
