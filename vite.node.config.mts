// Node-side tools bundled for plain Node (not Electron): the browser-mode server and the benchmark.
// They share electron/core with the desktop app; Vite resolves the migrations' import.meta.glob.
import fs from 'node:fs';
import { defineConfig } from 'vite';

const entries: Record<string, string> = { web: 'electron/web/cli.ts' };
if (fs.existsSync('tests/bench/cli.ts')) entries.bench = 'tests/bench/cli.ts';

export default defineConfig({
  build: {
    ssr: true,
    outDir: 'out/node',
    emptyOutDir: true,
    target: 'node20',
    sourcemap: true,
    rollupOptions: {
      input: entries,
      output: { format: 'esm', entryFileNames: '[name].mjs', chunkFileNames: 'chunks/[name]-[hash].mjs' },
    },
  },
});
