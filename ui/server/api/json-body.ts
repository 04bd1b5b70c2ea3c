import type { Context } from 'koa';
import { ClientError } from '../errors.ts';

/** Reads a JSON request body of at most `limit` bytes; only application/json is accepted. */
export async function readJsonBody(ctx: Context, limit = 64 * 1024): Promise<unknown> {
  if (!ctx.is('application/json')) {
    throw new ClientError(415, 'unsupported-media-type', 'the request body must be JSON (Content-Type: application/json)');
  }
  const declared = Number(ctx.get('content-length') || 0);
  if (declared > limit) throw new ClientError(413, 'payload-too-large', `the request body is larger than ${limit} bytes`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new ClientError(413, 'payload-too-large', `the request body is larger than ${limit} bytes`);
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') throw new ClientError(400, 'bad-request', 'body: expected a JSON object, got nothing');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ClientError(400, 'bad-request', 'body: not valid JSON');
  }
}
