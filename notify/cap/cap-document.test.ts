import { describe, expect, it } from 'vitest';
import { emptyState } from '../journal.ts';
import { capSchemaErrors } from '../testing/cap-schema.ts';
import type { IncidentDetails } from '../../model/index.ts';
import { incidentAlert, plainAlarm, T0, tankFireIncident, transitioned } from '../testing/fixtures.ts';
import { buildCapDocument } from './cap-document.ts';
import { issueCap } from './cap-issuer.ts';
import { capIdentifier } from './identifier.ts';

const site = { name: { zh: '舟山海屿石油储备库', en: 'Haiyu Oil Depot' }, location: { lat: 30.0531, lon: 122.0312 }, plan: { width: 700, height: 500 } };
const context = { sender: 'ketwin@zhoushan-demo', agencyCode: 'RFB00100', regionCode: '330902', now: T0, site };

describe('CAP documents', () => {
  it('reads an incident as a schema-valid CAP Alert with zh-CN and en-US info, zones as polygon and circle', async () => {
    const xml = buildCapDocument({ alert: incidentAlert(), identifier: 'X', sender: 'ketwin@zhoushan-demo', sent: T0, msgType: 'Alert', references: [], site });
    expect(await capSchemaErrors(xml)).toEqual([]);
    expect(xml).toContain('<status>Actual</status>');
    expect(xml).toContain('<scope>Restricted</scope>');
    expect(xml).toContain('<sent>2026-09-18T14:30:05+08:00</sent>');
    expect(xml).toContain('<language>zh-CN</language>');
    expect(xml).toContain('<language>en-US</language>');
    expect(xml).toContain('<event>储罐火灾</event>');
    expect(xml).toContain('<category>Fire</category>');
    expect(xml).toContain('<severity>Extreme</severity>');
    expect(xml).toContain('<urgency>Immediate</urgency>');
    expect(xml).toContain('<polygon>30.0562,122.0331 30.0562,122.0345 30.0574,122.0345 30.0574,122.0331 30.0562,122.0331</polygon>');
    expect(xml).toContain('<circle>30.0568,122.0338 0.8</circle>');
    expect(xml).toContain('<valueName>inventory:T101</valueName>');
    expect(xml).toContain('<valueName>countdown:boilover</valueName>');
    expect(xml).toMatch(/<instruction>1\. 启动 T101 泡沫灭火系统\n2\. 冷却/);
  });

  it('says a countdown whose time cannot be told is unknown and why, as a parameter of its own, and is Immediate for it', async () => {
    const flood = (unknownCountdowns: IncidentDetails['unknownCountdowns']) =>
      buildCapDocument({
        alert: incidentAlert({ severity: 2, incident: tankFireIncident({ hazard: 'flood', countdowns: [], ...(unknownCountdowns ? { unknownCountdowns } : {}) }) }),
        identifier: 'X',
        sender: 's',
        sent: T0,
        msgType: 'Alert',
        references: [],
        site,
      });
    const xml = flood([{ kind: 'flood-level', label: { zh: '预计达危险水位', en: 'Forecast danger level' }, reason: { zh: '水位读数失效', en: 'the level reading is not good' } }]);
    expect(await capSchemaErrors(xml)).toEqual([]);
    expect(xml).toContain('<valueName>countdownUnknown:flood-level</valueName>');
    expect(xml).toContain('<value>水位读数失效</value>');
    expect(xml).toContain('<value>the level reading is not good</value>');
    expect(xml).toContain('预计达危险水位：未知（水位读数失效）');
    expect(xml).toContain('Forecast danger level: unknown (the level reading is not good)');
    expect(xml).not.toContain('<valueName>countdown:');
    // severity 2 with no countdown known is Expected; not knowing when the water reaches the danger level is Immediate
    expect(xml).toContain('<urgency>Immediate</urgency>');
    expect(flood(undefined)).toContain('<urgency>Expected</urgency>');
  });

  it('marks drills Exercise and a test installation Test', async () => {
    const drill = buildCapDocument({ alert: incidentAlert({ exercise: true }), identifier: 'X', sender: 's', sent: T0, msgType: 'Alert', references: [], test: true });
    expect(drill).toContain('<status>Exercise</status>');
    expect(drill).toContain('<note>');
    expect(await capSchemaErrors(drill)).toEqual([]);
    const test = buildCapDocument({ alert: plainAlarm(), identifier: 'X', sender: 's', sent: T0, msgType: 'Alert', references: [], test: true });
    expect(test).toContain('<status>Test</status>');
  });

  it('heads every message of an exercise with its mark, the all clear too, in both languages', () => {
    const headlines = (msgType: 'Alert' | 'Cancel') =>
      [
        ...buildCapDocument({ alert: incidentAlert({ exercise: true }), identifier: 'X', sender: 's', sent: T0, msgType, references: [] }).matchAll(
          /<headline>([^<]*)<\/headline>/g,
        ),
      ].map((m) => m[1]);
    expect(headlines('Alert')).toHaveLength(2);
    for (const h of [...headlines('Alert'), ...headlines('Cancel')]) expect(h).toMatch(/^(【演练】|\[EXERCISE\] )/);
    expect(headlines('Cancel')).toEqual(expect.arrayContaining([expect.stringMatching(/^【演练】解除：/), expect.stringMatching(/^\[EXERCISE\] All clear: /)]));
  });

  it('gives a plain alarm the site as its area', async () => {
    const xml = buildCapDocument({ alert: plainAlarm(), identifier: 'X', sender: 's', sent: T0, msgType: 'Alert', references: [], site });
    expect(await capSchemaErrors(xml)).toEqual([]);
    expect(xml).toMatch(/<circle>30\.05\d+,122\.03\d+ 0\.43\d*<\/circle>/);
    expect(xml).toContain('<severity>Severe</severity>');
  });

  it('issues Alert, then Updates referencing every earlier message, then one Cancel, then nothing', async () => {
    const state = emptyState();
    const raised = incidentAlert();
    const first = issueCap(state, raised, context)!;
    const spread = transitioned(raised, T0 + 60_000, { by: 'system:engine', action: 'update' }, { incident: { ...raised.incident!, affected: ['T101', 'T102', 'T103'] } });
    const second = issueCap(state, spread, { ...context, now: T0 + 60_000 })!;
    const acked = transitioned(spread, T0 + 90_000, { by: 'fire-chief', action: 'acknowledge' }, { state: 'acknowledged' });
    const third = issueCap(state, acked, { ...context, now: T0 + 90_000 })!;
    const out = transitioned(acked, T0 + 3_600_000, { by: 'system:engine', action: 'clear' }, { state: 'cleared' });
    const cancel = issueCap(state, out, { ...context, now: T0 + 3_600_000 })!;
    expect([first.msgType, second.msgType, third.msgType, cancel.msgType]).toEqual(['Alert', 'Update', 'Update', 'Cancel']);
    expect(first.identifier).toBe('330902RFB00100_20260918143005_1');
    expect(cancel.references.map((r) => r.identifier)).toEqual([first.identifier, second.identifier, third.identifier]);
    const cancelXml = state.docs[cancel.capDoc]!;
    expect(cancelXml).toContain(`<references>ketwin@zhoushan-demo,${first.identifier},2026-09-18T14:30:05+08:00 `);
    expect(cancelXml).toContain('<responseType>AllClear</responseType>');
    expect(cancelXml).toContain('<urgency>Past</urgency>');
    expect(state.docs[third.capDoc]).toContain('Acknowledged by fire-chief');
    for (const m of [first, second, third, cancel]) expect(await capSchemaErrors(state.docs[m.capDoc]!)).toEqual([]);
    expect(issueCap(state, transitioned(out, T0 + 3_700_000, { by: 'x', action: 'update' }), context)).toBeUndefined();
    expect(issueCap(emptyState(), out, context)).toBeUndefined();
  });

  it('the schema check can fail', async () => {
    const xml = buildCapDocument({ alert: plainAlarm(), identifier: 'X', sender: 's', sent: T0, msgType: 'Alert', references: [] });
    expect(await capSchemaErrors(xml.replace('<scope>Restricted</scope>', '<scope>Everyone</scope>'))).not.toEqual([]);
  });

  it('builds GB/T 35965.1 identifiers in China Standard Time', () => {
    expect(capIdentifier({ regionCode: '330902', agencyCode: 'RFB00100', at: Date.UTC(2026, 0, 1, 16, 0, 0), sequence: 7 })).toBe('330902RFB00100_20260102000000_7');
  });
});
