import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readdirSync } from 'node:fs';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createApp, DEFAULT_STATIC_DIR, startServer, type RunningServer } from './index.ts';
import { createMemoryLiveTwin } from './testing/memory-live-twin.ts';
import { loadDemoSite } from './testing/fixture.ts';

let dir: string;
let server: RunningServer | undefined;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ketwin-web-'));
  await mkdir(join(dir, 'assets'));
  await writeFile(join(dir, 'index.html'), '<!doctype html><title>ketwin</title><div id="app"></div>');
  await writeFile(join(dir, 'assets', 'main-abc123.js'), 'console.log(1)');
  await writeFile(join(dir, 'assets', 'big-def456.js'), BIG);
  await writeFile(join(dir, 'assets', 'big-def456.js.br'), brotliCompressSync(BIG));
  await writeFile(join(dir, 'assets', 'big-def456.js.gz'), gzipSync(BIG));
});
const BIG = `export const text = ${JSON.stringify('ketwin '.repeat(2000))};`;
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(staticDir: string): Promise<string> {
  const live = createMemoryLiveTwin([await loadDemoSite()]);
  server = await startServer({ app: createApp({ live, staticDir }), port: 0 });
  return server.url;
}

describe('the web app', () => {
  it('serves index.html at / and hashed assets with long caching', async () => {
    const url = await serve(dir);
    const index = await fetch(`${url}/`);
    expect(index.status).toBe(200);
    expect(await index.text()).toContain('<title>ketwin</title>');
    const asset = await fetch(`${url}/assets/main-abc123.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect(await asset.text()).toBe('console.log(1)');
  });

  it('sends the brotli or gzip copy the build wrote to a browser that takes it, and the file as it is to one that does not', async () => {
    const url = await serve(dir);
    const br = await fetch(`${url}/assets/big-def456.js`, { headers: { 'accept-encoding': 'gzip, br' } });
    expect(br.headers.get('content-encoding')).toBe('br');
    expect(br.headers.get('vary')).toMatch(/accept-encoding/i);
    expect(await br.text()).toBe(BIG); // fetch decodes it
    const gz = await fetch(`${url}/assets/big-def456.js`, { headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers.get('content-encoding')).toBe('gzip');
    expect(await gz.text()).toBe(BIG);
    const plain = await fetch(`${url}/assets/big-def456.js`, { headers: { 'accept-encoding': 'identity' } });
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(await plain.text()).toBe(BIG);
    expect(plain.headers.get('cache-control')).toContain('immutable');
  });

  it('the build writes a brotli and a gzip copy beside each script and style sheet', () => {
    const assets = readdirSync(join(DEFAULT_STATIC_DIR, 'assets'));
    const scripts = assets.filter((f) => /\.(js|css)$/.test(f));
    expect(scripts.length).toBeGreaterThan(0);
    for (const f of scripts) expect(assets).toEqual(expect.arrayContaining([`${f}.br`, `${f}.gz`]));
  });

  it('falls back to index.html for other paths outside /api', async () => {
    const url = await serve(dir);
    const res = await fetch(`${url}/sites/zhoushan-demo`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect(await res.text()).toContain('<div id="app">');
  });

  it('says the app is not built when there is no index.html', async () => {
    const url = await serve(join(dir, 'missing'));
    const res = await fetch(`${url}/`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: 'the web app is not built; run `npm run build:web`' });
  });

  it('closes promptly with kept-alive connections open', async () => {
    const url = await serve(dir);
    await (await fetch(`${url}/`)).text();
    const started = Date.now();
    await server?.close();
    server = undefined;
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
