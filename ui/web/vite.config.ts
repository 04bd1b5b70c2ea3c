import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

const root = fileURLToPath(new URL('.', import.meta.url));
const outDir = fileURLToPath(new URL('./dist', import.meta.url));

/**
 * Writes a brotli (.br) and a gzip (.gz) copy beside each built text file, once at build time; the
 * server (koa-static) sends the one a browser accepts.
 */
function precompress(): Plugin {
  return {
    name: 'ketwin-precompress',
    apply: 'build',
    async closeBundle() {
      const files = (await readdir(outDir, { recursive: true })).filter((f) => /\.(js|css|html|svg|json)$/.test(f));
      for (const file of files) {
        const bytes = await readFile(join(outDir, file));
        if (bytes.length < 1024) continue;
        await writeFile(join(outDir, `${file}.br`), brotliCompressSync(bytes));
        await writeFile(join(outDir, `${file}.gz`), gzipSync(bytes, { level: 9 }));
      }
    },
  };
}

export default defineConfig({
  root,
  plugins: [svelte(), precompress()],
  build: {
    outDir,
    emptyOutDir: true,
  },
  server: {
    proxy: { '/api': 'http://127.0.0.1:8080' },
  },
});
