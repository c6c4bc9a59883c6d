// A real CouchDB-protocol server for sync tests: pouchdb-server in memory on 127.0.0.1, on a free port,
// in its own temp folder (it writes a log and config where it runs). Killed by stop() or at exit.
// Plain Node (no vitest): the e2e tests start it too.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** The server's script; `root` is the repository (the benchmark, bundled elsewhere, passes it). */
const binIn = (root: string) => path.join(root, 'node_modules/pouchdb-server/bin/pouchdb-server');

export interface SyncTarget {
  url: string;
  database: string;
}

export interface SyncServer {
  url: string;
  port: number;
  /** A new, empty database on the server; its sync target. */
  database(name: string): Promise<SyncTarget>;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

async function waitUntilUp(url: string, child: ChildProcess, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) return false;
    try {
      const res = await fetch(url);
      if (res.ok) return true;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

export async function startSyncServer(options: { root?: string } = {}): Promise<SyncServer> {
  const bin = binIn(options.root ?? path.resolve(__dirname, '../..'));
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'cadence-couch-'));
    const child = spawn(process.execPath, [bin, '--in-memory', '--host', '127.0.0.1', '--port', String(port), '--no-stdout-logs'], {
      cwd,
      stdio: 'ignore',
    });
    const kill = () => child.kill('SIGKILL');
    process.once('exit', kill);
    const url = `http://127.0.0.1:${port}`;
    if (!(await waitUntilUp(url, child, 20_000))) {
      kill();
      continue; // the port was taken meanwhile, or the server was slow to start: another port
    }
    return {
      url,
      port,
      async database(name) {
        const res = await fetch(`${url}/${name}`, { method: 'PUT' });
        if (!res.ok) throw new Error(`could not create database ${name}: ${res.status}`);
        return { url, database: name };
      },
      async stop() {
        process.removeListener('exit', kill);
        if (child.exitCode !== null) return;
        const exited = new Promise((r) => child.once('exit', r));
        kill();
        await exited;
        fs.rmSync(cwd, { recursive: true, force: true });
      },
    };
  }
  throw new Error('pouchdb-server did not start');
}
