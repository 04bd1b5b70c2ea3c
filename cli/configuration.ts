/** The site definitions and standards a run starts from, checked against each other. */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { loadSite, type Site } from '../model/index.ts';
import { loadStandards, type Standard } from '../standards/index.ts';

export async function loadSites(sitesDir: string): Promise<Site[]> {
  const files = (await readdir(sitesDir)).filter((f) => /\.ya?ml$/.test(f)).sort();
  if (files.length === 0) throw new Error(`${sitesDir}: no site definitions (*.yaml)`);
  return Promise.all(files.map((f) => loadSite(join(sitesDir, f))));
}

export async function loadConfiguration(sitesDir: string, standardsDir: string): Promise<{ sites: Site[]; standards: Standard[] }> {
  const sites = await loadSites(sitesDir);
  const standards = await loadStandards(standardsDir);
  for (const site of sites) {
    for (const wanted of site.standards) {
      if (!standards.some((s) => s.id === wanted)) throw new Error(`site ${site.id}: no standard "${wanted}" in ${standardsDir}`);
    }
  }
  return { sites, standards };
}
