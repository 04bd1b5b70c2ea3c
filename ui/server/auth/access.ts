import type { Role, SessionUser } from './users.ts';

/** What a role may do on the sites it is bound to. */
export type Permission =
  | 'read' // live twin, clauses, trends, alerts, the event stream
  | 'operate' // acknowledge or shelve alarms, enter evidence
  | 'respond' // acknowledge / en route / on scene on an incident
  | 'admin'; // users, metrics

const GRANTS: Record<Role, readonly Permission[]> = {
  manager: ['read', 'operate'],
  auditor: ['read'],
  rescue: ['read', 'respond'],
  admin: ['read', 'operate', 'respond', 'admin'],
};

export function canSee(user: SessionUser, site: string): boolean {
  return user.sites === '*' || user.sites.includes(site);
}

export function may(user: SessionUser, permission: Permission, site?: string): boolean {
  if (!GRANTS[user.role].includes(permission)) return false;
  return site === undefined || canSee(user, site);
}
