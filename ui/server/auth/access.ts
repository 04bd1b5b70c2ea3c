import type { Role, SessionUser } from './users.ts';

/** What a role may do on the sites it is bound to. */
export type Permission =
  | 'read' // live twin, clauses, trends, alerts, the event stream
  | 'operate' // acknowledge or shelve alarms, enter evidence
  | 'respond' // acknowledge / en route / on scene on an incident
  | 'audit' // re-score stored history under another standard version
  | 'exercise' // start, stop, complete and review exercises on the twin (the office and the depot manager)
  | 'admin'; // users, metrics

const GRANTS: Record<Role, readonly Permission[]> = {
  manager: ['read', 'operate', 'audit', 'exercise'],
  auditor: ['read', 'audit', 'exercise'],
  rescue: ['read', 'respond'],
  admin: ['read', 'operate', 'respond', 'audit', 'exercise', 'admin'],
};

export function canSee(user: SessionUser, site: string): boolean {
  return user.sites === '*' || user.sites.includes(site);
}

export function may(user: SessionUser, permission: Permission, site?: string): boolean {
  if (!GRANTS[user.role].includes(permission)) return false;
  return site === undefined || canSee(user, site);
}
