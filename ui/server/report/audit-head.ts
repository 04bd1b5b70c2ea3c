/**
 * The audit log's head, signed with the site key (the report signing key): `ketwin audit head`
 * writes it, someone keeps it away from the database, and `ketwin audit verify --head FILE` proves
 * with it that no newest row was removed and no chain was computed again after a change.
 */
import { auditHeadText, type AuditHead } from '../../../db/index.ts';
import { verifyReport, type ReportSignature, type ReportSigner } from './signing.ts';

export const AUDIT_HEAD_FORMAT = 'ketwin-audit-head/1';

export interface SignedAuditHead extends AuditHead {
  format: typeof AUDIT_HEAD_FORMAT;
  signature: ReportSignature;
}

export function signAuditHead(signer: ReportSigner, head: AuditHead, signedBy: string): SignedAuditHead {
  const text = auditHeadText(head);
  return { format: AUDIT_HEAD_FORMAT, seq: head.seq, hash: head.hash, at: head.at, signature: signer.sign(Buffer.from(text), { file: 'audit-head', signedBy }) };
}

export class AuditHeadError extends Error {
  override readonly name = 'AuditHeadError';
  constructor(
    readonly code: 'AUDIT_HEAD_INVALID' | 'AUDIT_HEAD_FORGED',
    message: string,
  ) {
    super(message);
  }
}

/** The head in a file's text, once its signature verifies against the trusted public key (PEM). */
export function readSignedHead(text: string, publicKey: string, file = 'the head file'): AuditHead {
  let parsed: Partial<SignedAuditHead>;
  try {
    parsed = JSON.parse(text) as Partial<SignedAuditHead>;
  } catch {
    throw new AuditHeadError('AUDIT_HEAD_INVALID', `${file}: not JSON`);
  }
  const { format, seq, hash, at, signature } = parsed;
  if (format !== AUDIT_HEAD_FORMAT || !Number.isSafeInteger(seq) || typeof hash !== 'string' || !/^[0-9a-f]{64}$/.test(hash) || !Number.isFinite(at) || !signature) {
    throw new AuditHeadError('AUDIT_HEAD_INVALID', `${file}: not a ${AUDIT_HEAD_FORMAT} file`);
  }
  const head = { seq: seq!, hash, at: at! };
  const check = verifyReport(Buffer.from(auditHeadText(head)), signature, { publicKey });
  if (!check.ok) throw new AuditHeadError('AUDIT_HEAD_FORGED', `${file}: the signature does not hold (${check.reason})`);
  return head;
}
