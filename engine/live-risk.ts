import { worseRisk, type Alert, type Bilingual, type LiveRisk, type RiskColour, type SiteScore } from '../model/index.ts';
import type { Standard } from '../standards/index.ts';

/** what the reason names at most; the rest is counted */
const MAX_DRIVERS = 2;

type RiskStandard = Pick<Standard, 'liveRisk' | 'hazards'>;

/** The colour an open alert drives the live risk to; undefined for one that drives nothing. */
function driverRisk(alert: Alert, standard: RiskStandard, criticalSources: ReadonlySet<string>): RiskColour | undefined {
  if (alert.exercise || alert.state === 'cleared' || alert.lifecycle?.condition === 'returned') return undefined;
  if (alert.incident) return standard.liveRisk.incidentSeverity[String(alert.severity) as '1'];
  if (alert.kind === 'comms-loss' && alert.subjects.some((s) => criticalSources.has(s))) return standard.liveRisk.commsLoss;
  return undefined;
}

/** What a driving alert says in the reason. */
function driverReason(alert: Alert, standard: RiskStandard): Bilingual {
  const where = alert.subjects.join(', ');
  if (!alert.incident) return { zh: `与 ${where} 通信中断（其点位涉及安全关键监测）`, en: `communications lost with ${where}, which serves safety-critical points` };
  const what = standard.hazards[alert.incident.hazard]?.title ?? { zh: alert.incident.hazard, en: alert.incident.hazard };
  return { zh: `事件未解除：${where} ${what.zh}（${alert.severity}级）`, en: `open incident: ${what.en} at ${where} (severity ${alert.severity})` };
}

/**
 * A site's live risk (DESIGN.md): the worst of its compliance colour (already held while data is
 * lost, engine/score.ts), every open incident whose condition is present (its severity through the
 * standard's table), and communications loss with a source that serves a safety-critical point.
 * Shelving or suppressing an alarm hides nothing here; exercise alerts count only in exercises.
 * The reason names what drives the worst colour (the open alerts in their order), else compliance's.
 * (Run on every verdict and alert change: the words are made only for what the reason names.)
 */
export function liveRisk(
  compliance: Pick<SiteScore, 'complianceRisk' | 'riskReason'>,
  alerts: readonly Alert[],
  standard: RiskStandard,
  criticalSources: ReadonlySet<string>,
): LiveRisk {
  let risk = compliance.complianceRisk;
  let driven = false;
  for (const alert of alerts) {
    const r = driverRisk(alert, standard, criticalSources);
    if (r === undefined) continue;
    risk = worseRisk(risk, r);
    driven = true;
  }
  const named: Alert[] = [];
  if (driven) for (const alert of alerts) if (driverRisk(alert, standard, criticalSources) === risk) named.push(alert);
  if (named.length === 0) return { risk, reason: compliance.riskReason };
  const shown = named.slice(0, MAX_DRIVERS).map((a) => driverReason(a, standard));
  const more = named.length - shown.length;
  return {
    risk,
    reason: {
      zh: shown.map((d) => d.zh).join('；') + (more > 0 ? `；另有 ${more} 项` : ''),
      en: shown.map((d) => d.en).join('; ') + (more > 0 ? `; and ${more} more` : ''),
    },
  };
}
