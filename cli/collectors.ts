/** `start`'s collectors: loaded only when something runs. */
// the collector (node-opcua) loads only when something runs: a CLI command's stdout stays its own
// (`ketwin audit head > head.json`), without the protocol stack's notices
import type { SiteCollection, SiteCollectionOptions } from '../collector/index.ts';

export async function startCollectors(options: SiteCollectionOptions): Promise<SiteCollection> {
  const { startSiteCollection } = await import('../collector/index.ts');
  return startSiteCollection(options);
}
