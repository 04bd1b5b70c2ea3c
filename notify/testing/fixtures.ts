/** Alerts as the engine emits them, for notify's tests and bench. */
import type { Alert, AlertTransition, IncidentDetails } from '../../model/index.ts';

export const T0 = Date.UTC(2026, 8, 18, 6, 30, 5); // 14:30:05 in Zhoushan

export function tankFireIncident(overrides: Partial<IncidentDetails> = {}): IncidentDetails {
  return {
    hazard: 'tank-fire',
    zones: {
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          geometry: {
            type: 'Polygon',
            coordinates: [
              [
                [122.0331, 30.0562],
                [122.0345, 30.0562],
                [122.0345, 30.0574],
                [122.0331, 30.0574],
                [122.0331, 30.0562],
              ],
            ],
          },
          properties: { name: { zh: '热辐射 12.5 kW/m² 区', en: '12.5 kW/m² radiation zone' }, kind: 'radiation', kWm2: 12.5 },
        },
        {
          type: 'Feature',
          geometry: { type: 'Point', coordinates: [122.0338, 30.0568] },
          properties: { name: { zh: '疏散区', en: 'Evacuation zone' }, kind: 'evacuation', radiusM: 800 },
        },
      ],
    },
    affected: ['T101', 'T102'],
    inventory: [{ asset: 'T101', product: 'crude', tonnes: 42_500 }],
    wind: { speedMs: 6.2, fromDeg: 135 },
    countdowns: [{ kind: 'boilover', label: { zh: '距沸溢', en: 'Time to boilover' }, deadline: T0 + 6 * 3_600_000 }],
    ...overrides,
  };
}

export function incidentAlert(overrides: Partial<Alert> = {}): Alert {
  return {
    id: 'zhoushan-demo/tank-fire/T101',
    site: 'zhoushan-demo',
    kind: 'tank-fire',
    severity: 1,
    state: 'active',
    raisedAt: T0,
    changedAt: T0,
    subjects: ['T101'],
    message: { zh: 'T101 罐顶起火，密封圈火灾', en: 'Fire on the roof of T101 (rim-seal fire)' },
    actions: [
      { zh: '启动 T101 泡沫灭火系统', en: 'Start foam on T101' },
      { zh: '冷却 T101 及相邻储罐 T102', en: 'Cool T101 and the neighbouring tank T102' },
    ],
    lifecycle: { condition: 'active', acknowledged: false, escalations: 0 },
    transition: { at: T0, by: 'system:engine', action: 'raise' },
    incident: tankFireIncident(),
    ...overrides,
  };
}

export function plainAlarm(overrides: Partial<Alert> = {}): Alert {
  return {
    id: 'zhoushan-demo/level-hh/T201',
    site: 'zhoushan-demo',
    kind: 'clause',
    severity: 2,
    state: 'active',
    raisedAt: T0,
    changedAt: T0,
    subjects: ['T201'],
    message: { zh: 'T201 液位高高', en: 'T201 level high-high' },
    actions: [{ zh: '停止向 T201 进油', en: 'Stop filling T201' }],
    clause: 'LV-HH',
    transition: { at: T0, by: 'system:engine', action: 'raise' },
    ...overrides,
  };
}

/** the same alert after a transition */
export function transitioned(alert: Alert, at: number, transition: Omit<AlertTransition, 'at'>, changes: Partial<Alert> = {}): Alert {
  return { ...alert, changedAt: at, transition: { at, ...transition }, ...changes };
}
