/** The environment ketwin is started with (checked against a schema before anything connects), as options for every command. */
import { resolve } from 'node:path';
import { pino, type Logger } from 'pino';
import { z } from 'zod';
import type { Site } from '../model/index.ts';
import type { UserDirectory } from '../ui/server/index.ts';

const environmentSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().min(1).default('127.0.0.1'),
  KETWIN_DATA: z.string().min(1).default('./data'),
  KETWIN_SITES: z.string().min(1).default('./sites'),
  KETWIN_STANDARDS: z.string().min(1).default('./standards'),
  KETWIN_SIM: z.enum(['on', 'off', 'ephemeral']).default('on'),
  /** while simulating: the early-works district beside the depots (its sensors on the MQTT broker at 127.0.0.1:1883) */
  KETWIN_DISTRICT: z.enum(['on', 'off']).default('on'),
  DATABASE_URL: z
    .string()
    .regex(/^(postgres(ql)?:\/\/.*)?$/, 'must be a postgres:// URL')
    .optional()
    .transform((url) => url || undefined),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** users file; default <KETWIN_DATA>/users.json */
  KETWIN_USERS: z.string().min(1).optional(),
  /** create demo users (manager, auditor, rescue) with printed passwords; default on while simulating */
  KETWIN_DEMO_USERS: z.enum(['on', 'off']).optional(),
  /** bearer token a Prometheus scraper sends to /metrics */
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  /** webhook subscribers (YAML or JSON): rescue teams, emergency platforms */
  KETWIN_SUBSCRIBERS: z.string().min(1).optional(),
  /** behind one reverse proxy: the client address from X-Forwarded-For (the hop it appended), https from X-Forwarded-Proto */
  KETWIN_TRUST_PROXY: z.enum(['on', 'off']).default('off'),
  /** `ketwin edge`: the NATS server(s), comma-separated */
  NATS_URL: z
    .string()
    .regex(/^(nats|tls):\/\/[^\s/,]+(,(nats|tls):\/\/[^\s/,]+)*$/, 'must be nats:// URLs, comma-separated')
    .default('nats://127.0.0.1:4222'),
  /** first token of the bus's subjects and prefix of its streams */
  KETWIN_BUS_PREFIX: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9_-]*$/, 'must start with a letter and hold only letters, digits, "-" and "_"')
    .default('ketwin'),
  /** copies of each stream and of the lease bucket on a JetStream cluster (3 on a 3-node cluster; streams made before keep theirs until a subscriber updates them) */
  KETWIN_BUS_REPLICAS: z.coerce.number().int().min(1).max(5).default(1),
  /** `ketwin edge`: how often its health and backlog go out on <prefix>.<site>.health, ms */
  KETWIN_EDGE_HEALTH_MS: z.coerce.number().int().min(100).default(10_000),
  /** `ketwin edge`: samples its disk buffer keeps while NATS is away (about 60 bytes each); past it the oldest are dropped and reported */
  KETWIN_EDGE_BUFFER_SAMPLES: z.coerce.number().int().min(10_000).default(100_000_000),
  /** width of a time partition of the stored readings (a TimescaleDB chunk, when the table is made there), minutes; default the store's (a day); README "Sizing" */
  KETWIN_SAMPLES_PARTITION_MINUTES: z.coerce.number().int().min(1).max(10_080).optional(),
});

export interface KetwinOptions {
  port: number;
  host: string;
  dataDir: string;
  sitesDir: string;
  standardsDir: string;
  databaseUrl?: string;
  /** width of a time partition of the stored readings, ms (db/samples-partitions.ts) */
  samplesPartitionMs?: number;
  /** start simulated depots; `ports: 'ephemeral'` puts them on free ports instead of the site file's */
  simulate: false | { ports: 'configured' | 'ephemeral'; scenario?: string; district?: boolean };
  /** the sites of simulated devices started elsewhere (`ketwin start`'s simulators' process), run instead of sitesDir's once they listen */
  simulatedSites?: Promise<Site[]>;
  logger: Logger;
  /** who may sign in; default a JSON file <dataDir>/users.json */
  users?: UserDirectory;
  usersFile?: string;
  /** create demo users with generated passwords (printed) */
  demoUsers?: boolean;
  metricsToken?: string;
  /** file of webhook subscribers; none: alerts are only in the CAP feed */
  subscribersFile?: string;
  /** trust X-Forwarded-* from one reverse proxy (KETWIN_TRUST_PROXY=on) */
  trustProxy?: boolean;
  /** the JetStream bus of `edge` (and later `central`); default nats://127.0.0.1:4222, prefix ketwin */
  nats?: { servers: string[]; prefix: string; replicas?: number };
  /** `edge`: its health beat, ms (default 10 000) */
  edgeHealthMs?: number;
  /** `edge`: samples its disk buffer keeps at most (default 100,000,000) */
  edgeBufferSamples?: number;
  /**
   * `central`: samples come from the JetStream bus (a durable consumer per site), not from collectors of
   * its own, for `sites` (default every site under sitesDir); nothing is simulated
   */
  central?: { sites?: string[]; leaseTtlMs?: number };
}

export function optionsFromEnvironment(env: NodeJS.ProcessEnv): KetwinOptions {
  const parsed = environmentSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`invalid environment:\n${problems}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: resolve(e.KETWIN_DATA),
    sitesDir: resolve(e.KETWIN_SITES),
    standardsDir: resolve(e.KETWIN_STANDARDS),
    databaseUrl: e.DATABASE_URL,
    samplesPartitionMs: e.KETWIN_SAMPLES_PARTITION_MINUTES === undefined ? undefined : e.KETWIN_SAMPLES_PARTITION_MINUTES * 60_000,
    simulate: e.KETWIN_SIM === 'off' ? false : { ports: e.KETWIN_SIM === 'on' ? 'configured' : 'ephemeral', district: e.KETWIN_DISTRICT === 'on' },
    logger: pino({ level: e.LOG_LEVEL }),
    usersFile: e.KETWIN_USERS ? resolve(e.KETWIN_USERS) : undefined,
    demoUsers: (e.KETWIN_DEMO_USERS ?? (e.KETWIN_SIM === 'off' ? 'off' : 'on')) === 'on',
    metricsToken: e.METRICS_TOKEN,
    subscribersFile: e.KETWIN_SUBSCRIBERS ? resolve(e.KETWIN_SUBSCRIBERS) : undefined,
    trustProxy: e.KETWIN_TRUST_PROXY === 'on',
    nats: { servers: e.NATS_URL.split(','), prefix: e.KETWIN_BUS_PREFIX, replicas: e.KETWIN_BUS_REPLICAS },
    edgeHealthMs: e.KETWIN_EDGE_HEALTH_MS,
    edgeBufferSamples: e.KETWIN_EDGE_BUFFER_SAMPLES,
  };
}

/** the JetStream bus when none is configured */
export const DEFAULT_NATS: { servers: string[]; prefix: string; replicas?: number } = { servers: ['nats://127.0.0.1:4222'], prefix: 'ketwin' };
