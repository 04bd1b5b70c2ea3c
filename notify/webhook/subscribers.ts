/**
 * Webhook subscribers: from a subscribers file (every listed site, told at once unless a site's
 * escalation policy names them in a later step) and from the contacts of each site's escalation
 * policy. Secrets never sit in files: `secretEnv` names the environment variable that holds them.
 *
 * subscribers.yaml:
 *   subscribers:
 *     - { id: city-platform, url: "https://…/cap", format: cap, secretEnv: KETWIN_HOOK_CITY, sites: "*" }
 *     - { id: drill-desk, url: "http://…", format: json, secretEnv: KETWIN_HOOK_DRILL, liveOnly: false, sites: [zhoushan-demo] }
 */
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { z } from 'zod';
import { WEBHOOK_FORMATS, type EscalationPolicy } from '../../model/index.ts';
import { NotifyError } from '../errors.ts';

const id = z.string().regex(/^[A-Za-z][A-Za-z0-9_-]*$/, 'must start with a letter and hold only letters, digits, "-" and "_"');

export const subscriberSchema = z.strictObject({
  id,
  name: z.string().min(1).optional(),
  url: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }),
  format: z.enum(WEBHOOK_FORMATS).default('cap'),
  secretEnv: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be the name of an environment variable'),
  /** never receives exercise (drill) messages */
  liveOnly: z.boolean().default(false),
  /** the sites it hears about */
  sites: z.union([z.literal('*'), z.array(id).min(1)]).default('*'),
  /** per-request timeout, ms */
  timeoutMs: z.number().int().positive().optional(),
});

export const subscribersFileSchema = z.strictObject({ subscribers: z.array(subscriberSchema) });

export type SubscriberConfig = z.input<typeof subscriberSchema>;

/** A subscriber ready to be told: secret resolved, keyed for queues. */
export interface Subscriber {
  /** queue key: the id for file subscribers, "<site>/<contact id>" for site contacts */
  key: string;
  id: string;
  name?: string;
  /** absent for a contact that is told by phone (recorded only) */
  url?: string;
  format: 'json' | 'cap';
  secret?: string;
  liveOnly: boolean;
  sites: '*' | string[];
  timeoutMs?: number;
  origin: 'subscribers' | 'site';
}

export function parseSubscribers(input: unknown, where = 'subscribers'): z.output<typeof subscriberSchema>[] {
  const list = Array.isArray(input) ? { subscribers: input } : input;
  const result = subscribersFileSchema.safeParse(list);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new NotifyError('INVALID_SUBSCRIBERS', `${where}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return result.data.subscribers;
}

/** Reads a subscribers file (YAML or JSON). */
export async function loadSubscribers(file: string): Promise<z.output<typeof subscriberSchema>[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new NotifyError('INVALID_SUBSCRIBERS', `cannot read ${file}: ${(error as Error).message}`, { cause: error });
  }
  return parseSubscribers(parse(text) as unknown, file);
}

function secretOf(env: Record<string, string | undefined>, name: string, who: string): string {
  const secret = env[name];
  if (secret === undefined || secret === '') throw new NotifyError('MISSING_SECRET', `subscriber ${who}: environment variable ${name} (its HMAC secret) is not set`);
  return secret;
}

/** Every subscriber, file and site contacts, with secrets read from `env`. */
export function resolveSubscribers(
  configs: readonly SubscriberConfig[],
  policies: Record<string, EscalationPolicy | undefined>,
  env: Record<string, string | undefined>,
): Map<string, Subscriber> {
  const out = new Map<string, Subscriber>();
  const add = (s: Subscriber) => {
    if (out.has(s.key)) throw new NotifyError('DUPLICATE_SUBSCRIBER', `two subscribers are called ${s.key}`);
    out.set(s.key, s);
  };
  for (const c of parseSubscribers(configs as unknown[])) {
    add({
      key: c.id,
      id: c.id,
      name: c.name,
      url: c.url,
      format: c.format,
      secret: secretOf(env, c.secretEnv, c.id),
      liveOnly: c.liveOnly,
      sites: c.sites,
      timeoutMs: c.timeoutMs,
      origin: 'subscribers',
    });
  }
  for (const [site, policy] of Object.entries(policies)) {
    for (const c of policy?.contacts ?? []) {
      const key = `${site}/${c.id}`;
      add({
        key,
        id: c.id,
        name: c.name.en,
        url: c.url,
        format: c.format,
        liveOnly: c.liveOnly,
        sites: [site],
        origin: 'site',
        secret: c.url !== undefined && c.secretEnv !== undefined ? secretOf(env, c.secretEnv, key) : undefined,
      });
    }
  }
  return out;
}

export function hears(subscriber: Subscriber, site: string): boolean {
  return subscriber.sites === '*' || subscriber.sites.includes(site);
}
