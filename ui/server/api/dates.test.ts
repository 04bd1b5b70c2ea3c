/**
 * Issue 18, finding 8: every date parameter of the API accepts 1970 … 9999, and anything else is a
 * 400 naming the parameter — never a 500. A property test: random instants of every magnitude and
 * ISO dates of every year, through every date parameter found in the OpenAPI document.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoSite } from '../testing/fixture.ts';
import { startSecuredServer, type SecuredServer } from '../testing/secured-app.ts';
import type { InspectionRecord, TelemetryHistory, VerdictHistory } from '../ports.ts';
import { MAX_MS } from './schemas.ts';

const DATE_NAMES = new Set(['at', 'from', 'to', 'doneAt', 'validUntil']);
const SEED = Number(process.env.KETWIN_PROPERTY_SEED ?? Date.now() % 1_000_000);
const RUNS = 30;

/** mulberry32: a small seeded generator, so a failure can be replayed with KETWIN_PROPERTY_SEED */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** an instant of any magnitude, as the client would write it, and whether 1970 … 9999 holds it */
function arbitraryInstant(next: () => number, asNumber: boolean): { text: string; value: unknown; valid: boolean } {
  const pick = Math.floor(next() * 6);
  if (pick === 0 || pick === 1) {
    // integers from -1e21 to 1e21, many near the bounds
    const near = [0, MAX_MS, -1, MAX_MS + 1][Math.floor(next() * 4)]!;
    const n = pick === 0 ? Math.round((next() * 2 - 1) * 10 ** Math.floor(next() * 22)) : near + Math.round((next() * 2 - 1) * 3);
    const valid = Number.isSafeInteger(n) && n >= 0 && n <= MAX_MS;
    return { text: String(n), value: n, valid };
  }
  if (pick === 2) {
    const n = next() * 1e13;
    return { text: String(n), value: n, valid: Number.isInteger(n) };
  }
  // ISO dates of years 0 … 99999 (five digits are out: extended years are not accepted)
  const year = Math.floor(next() ** 2 * 100_000);
  const y = year > 9999 ? `+${String(year).padStart(6, '0')}` : String(year).padStart(4, '0');
  const month = String(1 + Math.floor(next() * 12)).padStart(2, '0');
  const day = String(1 + Math.floor(next() * 28)).padStart(2, '0');
  const text = pick === 3 ? `${y}-${month}-${day}` : `${y}-${month}-${day}T${String(Math.floor(next() * 24)).padStart(2, '0')}:30:00Z`;
  const valid = year >= 1970 && year <= 9999;
  return { text, value: asNumber ? text : text, valid };
}

let server: SecuredServer;
let keyDir: string;
const telemetry: TelemetryHistory = { series: async () => [] };
const verdicts: VerdictHistory = {
  stateAsOf: async (site, at) => ({ site, at, results: [], score: undefined, standards: [] }),
  clauseHistory: async () => [],
  scoreHistory: async () => [],
};
const recorded: InspectionRecord[] = [];
beforeAll(async () => {
  const site = await loadDemoSite();
  keyDir = await mkdtemp(join(tmpdir(), 'ketwin-dates-'));
  server = await startSecuredServer([site, { ...site, id: 'zhoushan-demo-2' }], {
    telemetry,
    verdicts,
    reports: { keyDir },
    inspections: { list: async () => recorded, record: async (r) => void recorded.push(r), versions: async () => [] },
  });
});
afterAll(async () => {
  await server?.close();
  await rm(keyDir, { recursive: true, force: true });
});

interface Param {
  method: 'get' | 'post';
  template: string;
  name: string;
  where: 'query' | 'body';
}
const CONCRETE: Record<string, string> = {
  '/api/sites/{id}/points/{point}/series': '/api/sites/zhoushan-demo/points/T101.level/series',
  '/api/sites/{id}/as-of': '/api/sites/zhoushan-demo/as-of',
  '/api/compare': '/api/compare',
  '/api/sites/{id}/report.pdf': '/api/sites/zhoushan-demo/report.pdf',
  '/api/sites/{id}/rescore': '/api/sites/zhoushan-demo/rescore',
  '/api/sites/{id}/risk.csv': '/api/sites/zhoushan-demo/risk.csv',
  '/api/sites/{id}/evidence': '/api/sites/zhoushan-demo/evidence',
  '/api/sites/{id}/evidence/versions': '/api/sites/zhoushan-demo/evidence/versions',
};
/** the other parameters a call needs, valid */
const OTHERS: Record<string, Record<string, unknown>> = {
  '/api/sites/{id}/points/{point}/series': { from: 0 },
  '/api/compare': { sites: 'zhoushan-demo,zhoushan-demo-2' },
  '/api/sites/{id}/rescore': { from: 0, to: MAX_MS, standard: 'oil-depot-above-ground@1.0.0' },
  '/api/sites/{id}/risk.csv': { from: 0, to: MAX_MS },
  '/api/sites/{id}/evidence': { kind: 'drill', subject: 'zhoushan-demo', doneAt: 0, by: 'li' },
  '/api/sites/{id}/evidence/versions': { kind: 'drill', subject: 'zhoushan-demo', doneAt: 0 },
};

async function dateParams(): Promise<Param[]> {
  const doc = (await (await fetch(`${server.url}/api/openapi.json`)).json()) as {
    paths: Record<
      string,
      Record<string, { parameters: { name: string; in: string }[]; requestBody?: { content: { 'application/json': { schema: { properties?: Record<string, unknown> } } } } }>
    >;
  };
  const out: Param[] = [];
  for (const [template, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      for (const p of op.parameters) if (p.in === 'query' && DATE_NAMES.has(p.name)) out.push({ method: method as Param['method'], template, name: p.name, where: 'query' });
      for (const name of Object.keys(op.requestBody?.content['application/json'].schema.properties ?? {})) {
        if (DATE_NAMES.has(name)) out.push({ method: method as Param['method'], template, name, where: 'body' });
      }
    }
  }
  return out;
}

describe(`date parameters (seed ${SEED})`, () => {
  it('finds every date parameter of the API', async () => {
    const found = (await dateParams()).map((p) => `${p.template} ${p.where}.${p.name}`).sort();
    expect(found).toEqual(
      expect.arrayContaining([
        '/api/compare query.at',
        '/api/sites/{id}/as-of query.at',
        '/api/sites/{id}/evidence body.doneAt',
        '/api/sites/{id}/evidence body.validUntil',
        '/api/sites/{id}/evidence/versions query.doneAt',
        '/api/sites/{id}/points/{point}/series query.from',
        '/api/sites/{id}/points/{point}/series query.to',
        '/api/sites/{id}/report.pdf query.at',
        '/api/sites/{id}/rescore query.from',
        '/api/sites/{id}/rescore query.to',
        '/api/sites/{id}/risk.csv query.from',
        '/api/sites/{id}/risk.csv query.to',
      ]),
    );
  });

  it('1970 … 9999 is never refused for its date, anything else is a 400 naming the parameter; never a 500', async () => {
    const next = random(SEED);
    const admin = await server.as('admin');
    const failures: string[] = [];
    for (const param of await dateParams()) {
      const path = CONCRETE[param.template];
      expect(path, `a concrete path for ${param.template}`).toBeDefined();
      for (let run = 0; run < RUNS; run++) {
        const instant = arbitraryInstant(next, param.where === 'query');
        const others = { ...OTHERS[param.template] };
        if (param.name === 'from' && others['to'] === undefined) delete others['from'];
        if (param.name === 'validUntil') others['doneAt'] = 0;
        let res: Response;
        if (param.where === 'query') {
          const query = new URLSearchParams(Object.entries({ ...others, [param.name]: instant.text }).map(([k, v]) => [k, String(v)]));
          res = await admin.fetch(`${path}?${query}`);
        } else {
          const body = { ...others, [param.name]: typeof instant.value === 'string' ? instant.value : Number(instant.text) };
          res = await admin.fetch(path!, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
        }
        const text = await res.text();
        const field = `${param.where}.${param.name}`;
        const namesIt = res.status === 400 && text.includes(`${field}:`);
        // a valid date may still break the route's own rules (from before to, a span of at most 31 days)
        const refusesTheDate = namesIt && /must be a date between|expected \w+ as milliseconds|whole number/.test(text);
        const label = `${param.method} ${path} ${field}=${instant.text}: ${res.status} ${text.slice(0, 120)}`;
        if (res.status >= 500) failures.push(label);
        else if (instant.valid && refusesTheDate) failures.push(label);
        else if (!instant.valid && !namesIt) failures.push(label);
      }
    }
    expect(failures).toEqual([]);
  }, 120_000);
});
