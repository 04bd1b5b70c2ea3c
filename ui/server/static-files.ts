import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Middleware } from 'koa';
import serve from 'koa-static';
import { ClientError } from './errors.ts';

const isApi = (path: string): boolean => path === '/api' || path.startsWith('/api/');

/**
 * The built web app: its files, with long caching for hashed assets, each sent brotli- or
 * gzip-compressed when the browser takes it and the build wrote the compressed copy (vite.config.ts).
 */
export function staticFiles(dir: string): Middleware {
  const files = serve(dir, {
    index: 'index.html',
    brotli: true,
    gzip: true,
    setHeaders(res, path) {
      res.setHeader('Cache-Control', path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
      res.setHeader('Vary', 'Accept-Encoding');
    },
  });
  return async (ctx, next) => (isApi(ctx.path) ? next() : files(ctx, next));
}

/** Any other GET outside /api gets index.html, so hash or path routes load the app. */
export function spaFallback(dir: string): Middleware {
  return async (ctx, next) => {
    await next();
    if (ctx.body !== undefined || ctx.status !== 404 || isApi(ctx.path)) return;
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') return;
    let html: string;
    try {
      html = await readFile(join(dir, 'index.html'), 'utf8');
    } catch {
      throw new ClientError(404, 'not-built', 'the web app is not built; run `npm run build:web`');
    }
    ctx.type = 'html';
    ctx.set('Cache-Control', 'no-cache');
    ctx.body = html;
  };
}
