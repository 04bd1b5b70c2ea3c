import { fileURLToPath } from 'node:url';
import { loadSite, type Site } from '../../../model/index.ts';

export const DEMO_SITE_FILE = fileURLToPath(new URL('../../../sites/zhoushan-demo.yaml', import.meta.url));

export async function loadDemoSite(): Promise<Site> {
  return loadSite(DEMO_SITE_FILE);
}
