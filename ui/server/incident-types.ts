/** Shapes of the incident answers; the web app imports these as types only. */
import type { Alert, Bilingual, ResponseStatus } from '../../model/index.ts';

/** What a rescue team reported on an incident, and when (ui/server/incident-responses.ts). */
export interface ResponseRecord {
  status: ResponseStatus;
  by: string;
  at: number;
}

/** GET /api/incidents: one open secondary-disaster incident of a site the user may see. */
export interface IncidentSummary {
  site: { id: string; name: Bilingual };
  alert: Alert;
  /** what responders reported on it (stored with the alert's transitions, so across restarts), newest first */
  responses: ResponseRecord[];
}

/** GET /api/incidents/:id: the incident, its site's plan and what responders reported. */
export interface IncidentView extends IncidentSummary {
  site: IncidentSummary['site'] & { location: { lat: number; lon: number }; timeZone: string; plan: { width: number; height: number } };
}
