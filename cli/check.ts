/** `ketwin check`: the site files against the standards, offline. */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { loadSite, SiteDefinitionError } from '../model/index.ts';
import { checkLoadedSite, formatCheckReport, loadStandards, StandardError, type Standard } from '../standards/index.ts';
import { checkResponsibleUsers, createFileUserDirectory, formatResponsibleProblems } from '../ui/server/index.ts';
import type { KetwinOptions } from './options.ts';

/**
 * Offline compliance of site definitions (design and evidence clauses), what a depot engineer runs
 * before commissioning; without files, every site under KETWIN_SITES. Exit 2 on a broken file,
 * 1 when a clause fails, 0 otherwise.
 */
export async function runCheck(options: KetwinOptions, files: string[]): Promise<number> {
  let standards: Standard[];
  try {
    standards = await loadStandards(options.standardsDir);
  } catch (error) {
    if (!(error instanceof StandardError)) throw error;
    console.error(error.message); // the file, the clause and the line
    return 2;
  }
  const siteFiles =
    files.length > 0
      ? files
      : (await readdir(options.sitesDir))
          .filter((f) => /\.ya?ml$/.test(f))
          .sort()
          .map((f) => join(options.sitesDir, f));
  // the named responsible persons must be users who may operate their site (when the users file exists yet)
  const usersFile = options.usersFile ?? join(options.dataDir, 'users.json');
  const users = await createFileUserDirectory(usersFile).list();
  let failing = 0;
  for (const file of siteFiles) {
    try {
      const site = await loadSite(file);
      const report = checkLoadedSite(site, file, standards);
      console.log(formatCheckReport(report));
      failing += report.counts.fail;
      if ((site.majorHazard?.responsible ?? []).length === 0) continue;
      if (users.length === 0) {
        console.log(`WARN  the named responsible persons are not checked against users: no users in ${usersFile}\n`);
        continue;
      }
      const problems = checkResponsibleUsers(site, users);
      if (problems.length > 0) console.log(formatResponsibleProblems(problems));
      failing += problems.length;
    } catch (error) {
      if (error instanceof SiteDefinitionError || error instanceof StandardError) {
        console.error(error.message);
        return 2;
      }
      throw error;
    }
  }
  return failing > 0 ? 1 : 0;
}
