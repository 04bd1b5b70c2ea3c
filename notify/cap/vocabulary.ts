/** How each kind of incident reads in CAP: category, event name, response and certainty. */
import type { Alert, Bilingual, IncidentDetails } from '../../model/index.ts';

export type CapCategory = 'Geo' | 'Met' | 'Safety' | 'Security' | 'Rescue' | 'Fire' | 'Health' | 'Env' | 'Transport' | 'Infra' | 'CBRNE' | 'Other';
export type CapResponse = 'Shelter' | 'Evacuate' | 'Prepare' | 'Execute' | 'Avoid' | 'Monitor' | 'Assess' | 'AllClear' | 'None';
export type CapCertainty = 'Observed' | 'Likely' | 'Possible' | 'Unlikely' | 'Unknown';
export type CapSeverity = 'Extreme' | 'Severe' | 'Moderate' | 'Minor' | 'Unknown';
export type CapUrgency = 'Immediate' | 'Expected' | 'Future' | 'Past' | 'Unknown';

interface HazardWords {
  category: CapCategory[];
  event: Bilingual;
  response: CapResponse[];
  certainty: CapCertainty;
}

const HAZARDS: Record<IncidentDetails['hazard'], HazardWords> = {
  overfill: { category: ['Safety'], event: { zh: '储罐溢油', en: 'Tank overfill' }, response: ['Execute', 'Avoid'], certainty: 'Observed' },
  'gas-cloud': { category: ['Safety', 'Env'], event: { zh: '可燃气体泄漏扩散', en: 'Flammable vapour cloud' }, response: ['Evacuate', 'Avoid'], certainty: 'Observed' },
  vce: { category: ['Fire', 'Safety'], event: { zh: '蒸气云爆炸危险', en: 'Vapour cloud explosion hazard' }, response: ['Evacuate', 'Avoid'], certainty: 'Possible' },
  'tank-fire': { category: ['Fire'], event: { zh: '储罐火灾', en: 'Tank fire' }, response: ['Evacuate', 'Execute'], certainty: 'Observed' },
  'dike-fire': { category: ['Fire'], event: { zh: '防火堤池火', en: 'Dike (bund) fire' }, response: ['Evacuate', 'Execute'], certainty: 'Observed' },
  domino: { category: ['Fire'], event: { zh: '火灾蔓延至邻罐', en: 'Fire spreading to neighbouring tanks' }, response: ['Evacuate', 'Execute'], certainty: 'Likely' },
  boilover: { category: ['Fire'], event: { zh: '储罐沸溢', en: 'Tank boilover' }, response: ['Evacuate'], certainty: 'Likely' },
  'spill-to-sea': { category: ['Env'], event: { zh: '油品入海', en: 'Oil spill to sea' }, response: ['Execute', 'Monitor'], certainty: 'Observed' },
  'protection-lost': { category: ['Fire', 'Infra'], event: { zh: '消防保护失效', en: 'Fire protection lost' }, response: ['Prepare', 'Assess'], certainty: 'Observed' },
  'stuck-gauge': {
    category: ['Safety'],
    event: { zh: '液位计失真（可能冒罐）', en: 'Level gauge not telling the truth (possible overfill)' },
    response: ['Execute', 'Assess'],
    certainty: 'Likely',
  },
  lightning: { category: ['Met'], event: { zh: '雷电预警', en: 'Lightning warning' }, response: ['Prepare', 'Shelter'], certainty: 'Likely' },
  flood: { category: ['Safety', 'Rescue'], event: { zh: '人防工程进水', en: 'Water in an underground work' }, response: ['Evacuate', 'Execute'], certainty: 'Observed' },
  'suspected-attack': { category: ['Security'], event: { zh: '疑似袭击', en: 'Suspected attack' }, response: ['Shelter', 'Avoid'], certainty: 'Possible' },
};

const ALARM: HazardWords = { category: ['Safety'], event: { zh: '监测报警', en: 'Monitoring alarm' }, response: ['Assess'], certainty: 'Observed' };

export function hazardWords(alert: Alert): HazardWords {
  return alert.incident ? HAZARDS[alert.incident.hazard] : ALARM;
}

export const CAP_SEVERITY: Record<Alert['severity'], CapSeverity> = { 1: 'Extreme', 2: 'Severe', 3: 'Moderate', 4: 'Minor' };

/** GB/T 35965 warning colours: red 一级 … blue 四级, from the alert's severity */
export const WARNING_LEVEL: Record<Alert['severity'], Bilingual> = {
  1: { zh: '红色（一级）', en: 'red (level 1)' },
  2: { zh: '橙色（二级）', en: 'orange (level 2)' },
  3: { zh: '黄色（三级）', en: 'yellow (level 3)' },
  4: { zh: '蓝色（四级）', en: 'blue (level 4)' },
};

/** an hour or less to a countdown's deadline, a countdown whose time is unknown (it may be that close), or severity 1, is Immediate */
export function urgencyOf(alert: Alert, at: number, cancel: boolean): CapUrgency {
  if (cancel) return 'Past';
  const soonest = Math.min(...(alert.incident?.countdowns ?? []).map((c) => c.deadline));
  if (alert.severity === 1 || soonest - at <= 3_600_000 || (alert.incident?.unknownCountdowns?.length ?? 0) > 0) return 'Immediate';
  return 'Expected';
}
