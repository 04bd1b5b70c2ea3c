import type { AlertLifecycle, AlertState } from '../../model/index.ts';

/**
 * The one-word state behind the ISA-18.2 lifecycle: shelved (or suppressed by design) hides it,
 * cleared only once the condition has returned AND the alarm is acknowledged (a returned,
 * unacknowledged alarm stays visible) AND, for an incident, a person has closed it; acknowledged, or active.
 */
export function summaryState(lifecycle: AlertLifecycle): AlertState {
  if (lifecycle.shelved || lifecycle.suppressed) return 'shelved';
  if (lifecycle.condition === 'returned' && lifecycle.acknowledged && !lifecycle.closeRequired) return 'cleared';
  return lifecycle.acknowledged ? 'acknowledged' : 'active';
}
