import { stringify } from 'yaml';
import { parseSite, type Site } from '../model/index.ts';
import { createRandom } from './prng.ts';

/**
 * A city district's early civil-defence works (synthetic: positions, sizes and records are made up,
 * deterministic for a seed), as site files under the early-works-flood standard: each work a site with
 * one `shelter` asset, its sensors on the district's MQTT broker — every other work a Sparkplug B edge
 * node, the others plain JSON devices — and the rainstorm warning from the meteorological CAP feed.
 * Governance varies (backfill, renovate, upgrade; some behind schedule), and two works have standing
 * problems: a pump test long overdue, and no flood drill ever held. Each work names its flood emergency team
 * (one of the city's 16) in its escalation policy, told at once of an incident (a CAP webhook where `teams`
 * gives the team's endpoint, else recorded to be phoned), the district's office a quarter of an hour later if
 * nobody answers; every fourth work has an air-raid siren on the district's 18 September test (10:00–10:40).
 */
export interface EarlyWorksDistrictOptions {
  brokerUrl: string;
  /** the warning feed (sim/warning-feed.ts) */
  feedUrl: string;
  /** default 20 */
  count?: number;
  seed?: number;
  /** the Sparkplug group of the district's edge nodes and the prefix of its JSON topics (default jinshui) */
  district?: string;
  /** GB/T 2260 code of the district (default 410105, Jinshui, Zhengzhou) */
  areaCode?: string;
  /** the day the evidence records are dated back from (YYYY-MM-DD) */
  today?: string;
  /** added to each work's MQTT client id, so that two installations on one broker keep apart sessions (default none) */
  clientTag?: string;
  /** the webhook of flood emergency team `team` (1–16) and the environment variable holding its secret; none: the team is phoned */
  teams?: (team: number) => { url: string; secretEnv: string } | undefined;
}

const GOVERNANCE = ['renovate', 'upgrade', 'backfill'] as const;

/** the work's id within the district: W01 … W20 */
export const workId = (i: number): string => `W${String(i + 1).padStart(2, '0')}`;

export function createEarlyWorksDistrict(options: EarlyWorksDistrictOptions): Site[] {
  const count = options.count ?? 20;
  const district = options.district ?? 'jinshui';
  const random = createRandom(options.seed ?? 27);
  const today = Date.parse(`${options.today ?? '2026-12-07'}T00:00:00Z`);
  const daysAgo = (days: number) => new Date(today - days * 86_400_000).toISOString().slice(0, 10);
  const sites: Site[] = [];
  for (let i = 0; i < count; i++) {
    const work = workId(i);
    const sparkplug = i % 2 === 0;
    const areaM2 = Math.round(300 + random() * 2700);
    const governance = GOVERNANCE[i % GOVERNANCE.length]!;
    const mqtt = (point: string, metric: string, device?: string) =>
      sparkplug ? { node: `${work}-edge`, ...(device ? { device } : {}), metric } : { topic: `${district}/${work}/${device ?? 'gateway'}`, path: point };
    const point = (name: string, unit: string, metric: string, device?: string) => ({ asset: work, name, unit, source: 'mqtt-district', mqtt: mqtt(name, metric, device) });
    const team = (i % 16) + 1;
    const teamContact = `flood-team-${team}`;
    const evidence: { kind: string; subject: string; date: string; by: string; ref?: string; values?: Record<string, number> }[] = [
      { kind: 'flood-season-inspection', subject: work, date: daysAgo(200 + Math.floor(random() * 60)), by: '金水区人防办' },
      // standing problem 1: the pump of the third work was last tested well over six months ago
      { kind: 'pump-test', subject: work, date: daysAgo(i === 2 ? 400 : 60 + Math.floor(random() * 90)), by: '金水区人防办' },
      { kind: 'flood-plan', subject: work, date: daysAgo(240), by: '金水区人防办', ref: `JS-FX-2026-${work}` },
      { kind: 'flood-team-assignment', subject: work, date: daysAgo(240), by: '郑州市人防办', ref: `防汛应急队伍第${team}队` },
      // every fifth work is behind its schedule
      { kind: 'governance-progress', subject: work, date: daysAgo(30 + Math.floor(random() * 40)), by: '金水区人防办', values: { onSchedule: i % 5 === 4 ? 0 : 1 } },
    ];
    // standing problem 2: the eighth work has never held a flood drill
    if (i !== 7) evidence.push({ kind: 'flood-drill', subject: work, date: daysAgo(180 + Math.floor(random() * 30)), by: '金水区人防办' });
    const siren = i % 4 === 0 ? `${work}-SR` : undefined;
    if (siren)
      evidence.push({ kind: 'siren-test', subject: siren, date: lastTestDay(today), by: '金水区人防办', values: { preAlertCycles: 3, airRaidCycles: 15, allClearMinutes: 3 } });
    const endpoint = options.teams?.(team);
    const definition = {
      id: `ew-${district}-${work.toLowerCase()}`,
      name: { zh: `${district === 'jinshui' ? '金水区' : district}${i + 1}号早期人防工程`, en: `Early work ${work} (${district})` },
      location: { lat: Number((34.78 + (random() - 0.5) * 0.06).toFixed(5)), lon: Number((113.68 + (random() - 0.5) * 0.08).toFixed(5)) },
      plan: { width: 120, height: 60 },
      standards: ['early-works-flood'],
      sources: [
        {
          id: 'mqtt-district',
          protocol: 'mqtt',
          endpoint: options.brokerUrl,
          sparkplugGroup: district,
          clientId: `ketwin-${district}-${work}${options.clientTag ? `-${options.clientTag}` : ''}`,
          staleAfterMs: 120_000,
        },
        { id: 'met-warnings', protocol: 'cap', endpoint: options.feedUrl, areaCodes: [options.areaCode ?? '410105'] },
      ],
      assets: [
        {
          id: work,
          kind: 'shelter',
          name: { zh: `${i + 1}号工程`, en: `Work ${work}` },
          position: { x: 60, y: 30 },
          attributes: {
            class: 'early-work',
            areaM2,
            floodAreaM2: Math.round(areaM2 * 0.06),
            alarmLevelM: 0.3,
            dangerLevelM: 0.8,
            persons: Math.round(areaM2 / 10),
            governance,
            governanceDeadline: `${2027 + (i % 2)}-${String(3 + (i % 9)).padStart(2, '0')}-30`,
          },
        },
        ...(siren
          ? [
              {
                id: siren,
                kind: 'siren',
                name: { zh: `${i + 1}号工程防空警报器`, en: `Air-raid siren at ${work}` },
                position: { x: 100, y: 50 },
                attributes: { testWindow: '10:00-10:40' },
              },
            ]
          : []),
      ],
      escalation: {
        regionCode: options.areaCode ?? '410105',
        maxSeverity: 2,
        contacts: [
          {
            id: teamContact,
            name: { zh: `防汛应急队伍第${team}队`, en: `Flood emergency team ${team}` },
            role: 'rescue',
            ...(endpoint ? { url: endpoint.url, secretEnv: endpoint.secretEnv } : {}),
          },
          { id: 'district-office', name: { zh: '金水区人防办', en: 'Jinshui district civil air defence office' }, role: 'civil-air-defence' },
        ],
        steps: [
          { afterMinutes: 0, notify: [teamContact] },
          { afterMinutes: 15, notify: ['district-office'] },
        ],
      },
      points: [
        ...(siren ? [{ asset: siren, name: 'sounding', unit: 'bool', source: 'mqtt-district', mqtt: mqtt('sounding', 'siren/sounding', 'siren') }] : []),
        point('water_level', 'm', 'water/level', 'sump'),
        point('water_inflow', 'm3/h', 'water/inflow', 'sump'),
        point('pump_flow', 'm3/h', 'pump/flow', 'sump'),
        point('pump_available', 'bool', 'pump/available', 'sump'),
        point('pump_power', 'bool', 'power/mains'),
        point('barrier_closed', 'bool', 'barrier/closed', 'entrance'),
        point('door_closed', 'bool', 'door/closed', 'entrance'),
        point('occupied', 'bool', 'occupancy/present', 'entrance'),
        { asset: work, name: 'rainstorm_level', unit: 'state', source: 'met-warnings', cap: { events: ['11B03', '暴雨'], field: 'level' } },
      ],
      evidence,
    };
    sites.push(parseSite(stringify(definition), `${definition.id}.yaml`));
  }
  return sites;
}

/** the latest 18 September on or before `today` (ms) */
function lastTestDay(today: number): string {
  const year = new Date(today).getUTCFullYear();
  return Date.parse(`${year}-09-18T00:00:00Z`) <= today ? `${year}-09-18` : `${year - 1}-09-18`;
}
