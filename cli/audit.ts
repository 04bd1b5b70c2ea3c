/** `ketwin audit verify | head`: the audit log's hash chain and its signed head. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openStore, verifyAudit } from '../db/index.ts';
import { loadReportSigner, readSignedHead, signAuditHead } from '../ui/server/index.ts';
import type { KetwinOptions } from './options.ts';

/**
 * Walks the audit log's hash chain and names every changed or missing row; with `--head FILE` (from
 * `ketwin audit head`, its signature checked against the site key) also a truncated tail or a chain
 * computed again after a change.
 */
export async function runAuditVerify(options: KetwinOptions, headFile?: string): Promise<number> {
  const head = headFile === undefined ? undefined : readSignedHead(await readFile(headFile, 'utf8'), (await loadReportSigner(join(options.dataDir, 'keys'))).publicKey, headFile);
  const store = await openStore({ url: options.databaseUrl, dataDir: options.dataDir, logger: options.logger.child({ part: 'db' }) });
  try {
    const report = await verifyAudit(store, { head });
    for (const problem of report.problems) console.error(`audit row ${problem.seq}: ${problem.message}`);
    console.log(
      report.ok
        ? `audit log intact: ${report.rows} rows, head ${report.head}${head ? ` (row ${head.seq} matches the signed head)` : ''}`
        : `audit log TAMPERED: ${report.problems.length} problem(s) in ${report.rows} rows`,
    );
    return report.ok ? 0 : 1;
  } finally {
    await store.close();
  }
}

/** Prints the newest row's sequence and hash, signed with the site key: keep it away from the database. */
export async function runAuditHead(options: KetwinOptions): Promise<number> {
  const signer = await loadReportSigner(join(options.dataDir, 'keys'));
  const store = await openStore({ url: options.databaseUrl, dataDir: options.dataDir, logger: options.logger.child({ part: 'db' }) });
  try {
    const row = await store.auditHead();
    if (!row) {
      console.error('the audit log is empty');
      return 1;
    }
    console.log(JSON.stringify(signAuditHead(signer, { seq: row.seq, hash: row.hash, at: row.at }, 'ketwin audit head'), null, 2));
    return 0;
  } finally {
    await store.close();
  }
}
