import { RESPONSIBLE_ROLES, type ResponsibleRole, type Site } from '../../../model/index.ts';
import { may } from './access.ts';
import type { UserRecord } from './users.ts';

/** A named responsible person who cannot carry the duty in ketwin. */
export interface ResponsibleProblem {
  site: string;
  unit: string;
  role: ResponsibleRole;
  user: string;
  message: string;
}

/**
 * The site file names each major hazard unit's principal, technical and operations responsible
 * persons by user name (model: majorHazard.responsible). Each must be a user who is enabled and may
 * operate the site (a manager or admin bound to it): they see and acknowledge the unit's alerts,
 * record its checks and sign the daily commitment.
 */
export function checkResponsibleUsers(site: Site, users: readonly UserRecord[]): ResponsibleProblem[] {
  const byName = new Map(users.map((u) => [u.name, u]));
  const problems: ResponsibleProblem[] = [];
  for (const named of site.majorHazard?.responsible ?? []) {
    for (const role of RESPONSIBLE_ROLES) {
      const name = named[role];
      const user = byName.get(name);
      const problem = (message: string) => problems.push({ site: site.id, unit: named.unit, role, user: name, message });
      if (!user) problem(`no user ${JSON.stringify(name)}`);
      else if (user.disabled) problem(`user ${JSON.stringify(name)} is disabled`);
      else if (!may(user, 'operate', site.id)) problem(`user ${JSON.stringify(name)} (${user.role}) may not operate site ${site.id}: name a manager bound to it`);
    }
  }
  return problems;
}

/** The problems as lines for a terminal: one per person. */
export function formatResponsibleProblems(problems: readonly ResponsibleProblem[]): string {
  return problems.map((p) => `FAIL  majorHazard.responsible ${p.unit} ${p.role}: ${p.message}\n`).join('');
}
