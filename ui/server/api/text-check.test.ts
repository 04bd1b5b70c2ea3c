import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../../model/index.ts';
import type { AlarmCommands } from '../commands.ts';
import { loadDemoSite } from '../testing/fixture.ts';
import { startSecuredServer, type SecuredServer } from '../testing/secured-app.ts';
import type { InspectionRecord } from '../ports.ts';
import { findBadText, textProblem } from './text-check.ts';

/** Text no column can hold: the poison of issue 18 (a NUL in an acknowledgement stalled the writer). */
const POISONS: Record<string, string> = {
  nul: 'valve closed\u0000',
  'lone high surrogate': 'valve closed \uD83D',
  'lone low surrogate': '\uDE00 valve closed',
};

describe('textProblem', () => {
  it('names NUL and lone surrogates, and lets paired surrogates (emoji) and CJK through', () => {
    expect(textProblem('a\u0000b')).toMatch(/NUL/);
    expect(textProblem('a\uD800b')).toMatch(/lone UTF-16 surrogate/);
    expect(textProblem('\uDC00')).toMatch(/lone UTF-16 surrogate/);
    expect(textProblem('罐区巡检 🚒 ok')).toBeUndefined();
    expect(findBadText({ a: [{ b: 'x' }, { c: 'y\u0000' }] }, 'body')).toEqual({ field: 'body.a.1.c', problem: expect.stringMatching(/NUL/) });
  });
});

const ALERT_ID = 'zhoushan-demo:GB50074-15.1.2-HH:T201:0';
const accepted: string[] = [];
const commands: AlarmCommands = {
  alert: (id) => (id === ALERT_ID ? ({ id, site: 'zhoushan-demo', state: 'active' } as Alert) : undefined),
  acknowledge: (id, _by, comment) => (accepted.push(comment), { id, site: 'zhoushan-demo', state: 'acknowledged' } as Alert),
  shelve: (id, _by, _until, reason) => (accepted.push(reason), { id, site: 'zhoushan-demo', state: 'shelved' } as Alert),
  unshelve: (id) => ({ id, site: 'zhoushan-demo', state: 'active' }) as Alert,
  close: (id, _by, comment) => (accepted.push(comment), { id, site: 'zhoushan-demo', state: 'cleared' } as Alert),
  respond: (id) => ({ id, site: 'zhoushan-demo', state: 'active' }) as Alert,
};
const recorded: InspectionRecord[] = [];

let server: SecuredServer;
let document: { paths: Record<string, Record<string, Operation>> };
interface Operation {
  parameters: { name: string; in: 'path' | 'query'; schema: { type?: string } }[];
  requestBody?: { content: { 'application/json': { schema: JsonSchema } } };
}
interface JsonSchema {
  type?: string;
  properties?: Record<string, JsonSchema>;
  anyOf?: JsonSchema[];
  required?: string[];
  enum?: unknown[];
}

beforeAll(async () => {
  const site = await loadDemoSite();
  server = await startSecuredServer([site], {
    commands,
    inspections: { list: async () => recorded, record: async (r) => void recorded.push(r) },
  });
  document = await (await fetch(`${server.url}/api/openapi.json`)).json();
});
afterAll(async () => {
  await server?.close();
});

const VALID: Record<string, unknown> = {
  name: 'admin',
  password: 'not the password',
  comment: 'closed the inlet valve',
  reason: 'maintenance',
  minutes: 30,
  status: 'acknowledged',
  kind: 'drill',
  subject: 'zhoushan-demo',
  doneAt: Date.now() - 60_000,
  by: 'Li Wei',
  reference: 'DR-1',
  notes: 'all present',
};
const PATH_VALUES: Record<string, string> = { id: 'zhoushan-demo', clause: 'GB50074-15.1.2-HH', point: 'T101.level', digest: '0'.repeat(64), key: 'x@1.0.0' };

/** every string field of every route that takes a JSON body, from the OpenAPI document */
function textFields(): { method: string; path: string; field: string; body: Record<string, unknown> }[] {
  const out: { method: string; path: string; field: string; body: Record<string, unknown> }[] = [];
  for (const [template, operations] of Object.entries(document.paths)) {
    for (const [method, op] of Object.entries(operations)) {
      const schema = op.requestBody?.content['application/json'].schema;
      if (!schema?.properties) continue;
      const path = template.replace(/\{(\w+)\}/g, (_m, name: string) => (name === 'id' && template.startsWith('/api/alerts') ? ALERT_ID : PATH_VALUES[name]!));
      const body: Record<string, unknown> = {};
      for (const name of Object.keys(schema.properties)) if (VALID[name] !== undefined) body[name] = VALID[name];
      for (const [name, property] of Object.entries(schema.properties)) {
        const isText = property.type === 'string' && property.enum === undefined;
        if (isText) out.push({ method, path, field: name, body });
      }
    }
  }
  return out;
}

describe('text at the boundary', () => {
  it('finds the text-accepting routes (acknowledge, shelve, unshelve, evidence, sign-in)', () => {
    const routes = new Set(textFields().map((f) => `${f.method} ${f.path.replace(ALERT_ID, ':alert')}`));
    expect([...routes].sort()).toEqual(
      expect.arrayContaining([
        'post /api/alerts/:alert/ack',
        'post /api/alerts/:alert/shelve',
        'post /api/alerts/:alert/unshelve',
        'post /api/session',
        'post /api/sites/zhoushan-demo/evidence',
      ]),
    );
  });

  it('refuses NUL and lone surrogates in every text field of every route with 400 naming the field, and nothing reaches a writer', async () => {
    const admin = await server.as('admin');
    const fields = textFields();
    const answers: string[] = [];
    for (const { method, path, field, body } of fields) {
      for (const [poison, text] of Object.entries(POISONS)) {
        const res = await admin.fetch(path, { method: method.toUpperCase(), headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...body, [field]: text }) });
        const answer = (await res.json()) as { error: string };
        answers.push(`${method} ${path} ${field} ${poison}: ${res.status} ${answer.error}`);
        expect.soft(res.status, `${method} ${path} body.${field} with ${poison}`).toBe(400);
        expect.soft(answer.error, `${method} ${path} body.${field} with ${poison}`).toMatch(new RegExp(`^body\\.${field}: must not contain`));
      }
    }
    expect(answers.length).toBeGreaterThanOrEqual(8 * 3);
    expect(accepted.filter((t) => findBadText(t, '') !== undefined)).toEqual([]);
    expect(recorded.filter((r) => findBadText(r, '') !== undefined)).toEqual([]);
  });

  it('refuses them in query strings and in nested values and keys too', async () => {
    const admin = await server.as('admin');
    const query = await admin.fetch(`/api/sites/zhoushan-demo/as-of?at=${encodeURIComponent('1\u0000')}`);
    expect(query.status).toBe(400);
    expect((await query.json()).error).toBe('query.at: must not contain the NUL character (U+0000)');
    const surrogate = await admin.fetch('/api/events?site=%ED%A0%80'); // invalid UTF-8 decodes to U+FFFD, which is fine text
    expect(surrogate.status).not.toBe(500);
    const key = await admin.fetch(`/api/alerts/${ALERT_ID}/ack`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"comment":"ok","x\\u0000":1}' });
    expect(key.status).toBe(400);
    expect((await key.json()).error).toMatch(/^body \(a key\): must not contain/);
  });
});
