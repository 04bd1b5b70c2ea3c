import { worseRisk, type Alert, type Bilingual, type LiveRisk, type RiskColour, type SiteScore } from '../model/index.ts';
import type { Standard } from '../standards/index.ts';

/** what the reason names at most; the rest is counted */
const MAX_DRIVERS = 2;

interface Driver {
  risk: RiskColour;
  reason: Bilingual;
}

/**
 * A site's live risk (DESIGN.md): the worst of its compliance colour (already held while data is
 * lost, engine/score.ts), every open incident whose condition is present (its severity through the
 * standard's table), and communications loss with a source that serves a safety-critical point.
 * Shelving or suppressing an alarm hides nothing here; exercise alerts count only in exercises.
 * The reason names what drives the worst colour: incidents first, then comms loss, then compliance.
 */
export function liveRisk(
  compliance: Pick<SiteScore, 'complianceRisk' | 'riskReason'>,
  alerts: readonly Alert[],
  standard: Pick<Standard, 'liveRisk' | 'hazards'>,
  criticalSources: ReadonlySet<string>,
): LiveRisk {
  const table = standard.liveRisk;
  const drivers: Driver[] = [];
  for (const alert of alerts) {
    if (alert.exercise || alert.state === 'cleared' || alert.lifecycle?.condition === 'returned') continue;
    if (alert.incident) {
      const what = standard.hazards[alert.incident.hazard]?.title ?? { zh: alert.incident.hazard, en: alert.incident.hazard };
      const where = alert.subjects.join(', ');
      drivers.push({
        risk: table.incidentSeverity[String(alert.severity) as '1'],
        reason: { zh: `事件未解除：${where} ${what.zh}（${alert.severity}级）`, en: `open incident: ${what.en} at ${where} (severity ${alert.severity})` },
      });
    } else if (alert.kind === 'comms-loss' && alert.subjects.some((s) => criticalSources.has(s))) {
      const source = alert.subjects.join(', ');
      drivers.push({
        risk: table.commsLoss,
        reason: { zh: `与 ${source} 通信中断（其点位涉及安全关键监测）`, en: `communications lost with ${source}, which serves safety-critical points` },
      });
    }
  }
  let risk = compliance.complianceRisk;
  for (const d of drivers) risk = worseRisk(risk, d.risk);
  const named = drivers.filter((d) => d.risk === risk);
  if (named.length === 0) return { risk, reason: compliance.riskReason };
  const shown = named.slice(0, MAX_DRIVERS);
  const more = named.length - shown.length;
  return {
    risk,
    reason: {
      zh: shown.map((d) => d.reason.zh).join('；') + (more > 0 ? `；另有 ${more} 项` : ''),
      en: shown.map((d) => d.reason.en).join('; ') + (more > 0 ? `; and ${more} more` : ''),
    },
  };
}
