// Regenerates the documents kept beside each standard: <version>.md (the clause table) and
// changes-<from>-to-<to>.md (the changelog between consecutive versions). `npm run standards:docs`.
import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { changelog, loadStandards, renderChangelog, renderClauseTable, type Standard } from './index.ts';

/** The documents for every loaded standard, as { path: text }. */
export async function standardDocuments(root: string): Promise<Map<string, string>> {
  const standards = await loadStandards(root);
  const documents = new Map<string, string>();
  const byId = new Map<string, Standard[]>();
  for (const standard of standards) {
    documents.set(join(dirname(standard.file), `${standard.version}.md`), renderClauseTable(standard));
    byId.set(standard.id, [...(byId.get(standard.id) ?? []), standard]);
  }
  // loadStandards sorts by id, then version
  for (const versions of byId.values()) {
    versions.forEach((to, i) => {
      const from = versions[i - 1];
      if (from) documents.set(join(dirname(to.file), `changes-${from.version}-to-${to.version}.md`), renderChangelog(changelog(from, to)));
    });
  }
  return documents;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const root = new URL('.', import.meta.url).pathname;
  for (const [path, text] of await standardDocuments(root)) {
    await writeFile(path, text);
    console.log(`wrote ${path}`);
  }
}
