/**
 * Detached signatures of exported reports: SHA-256 of the file, signed with an Ed25519 key that
 * lives under the data directory (generated on first use, mode 0600, never in the repository).
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { systemClock } from '../../../model/index.ts';

export const SIGNATURE_FORMAT = 'ketwin-report-signature/1';
export const KEY_FILE = 'report-signing-key.pem';

/** The `.sig` file served beside a report. */
export interface ReportSignature {
  format: typeof SIGNATURE_FORMAT;
  algorithm: 'Ed25519';
  /** the signed message is the 32-byte SHA-256 digest of the file */
  digest: 'SHA-256';
  sha256: string;
  /** base64 */
  signature: string;
  /** SPKI PEM of the signing key */
  publicKey: string;
  /** first 16 hex digits of SHA-256 over the DER public key */
  keyId: string;
  file: string;
  signedAt: number;
  signedBy: string;
}

export class ReportSigningError extends Error {
  override readonly name = 'ReportSigningError';
  constructor(
    readonly code: 'KEY_UNREADABLE' | 'BAD_SIGNATURE_FILE',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface ReportSigner {
  readonly keyId: string;
  readonly publicKey: string;
  sign(file: Uint8Array, meta: { file: string; signedBy: string; signedAt?: number }): ReportSignature;
}

export function keyIdOf(publicKey: KeyObject): string {
  return createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex')
    .slice(0, 16);
}

/** Loads `<keyDir>/report-signing-key.pem`, creating it (and keyDir, mode 0700) on first use. */
export async function loadReportSigner(keyDir: string): Promise<ReportSigner> {
  const file = join(keyDir, KEY_FILE);
  let pem: string;
  try {
    pem = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new ReportSigningError('KEY_UNREADABLE', `cannot read ${file}`, { cause: error });
    await mkdir(keyDir, { recursive: true, mode: 0o700 });
    const { privateKey } = generateKeyPairSync('ed25519');
    const fresh = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    try {
      await writeFile(file, fresh, { mode: 0o600, flag: 'wx' });
      pem = fresh;
    } catch (raced) {
      // another process made it first: use theirs
      if ((raced as NodeJS.ErrnoException).code !== 'EEXIST') throw new ReportSigningError('KEY_UNREADABLE', `cannot write ${file}`, { cause: raced });
      pem = await readFile(file, 'utf8');
    }
  }
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(pem);
  } catch (error) {
    throw new ReportSigningError('KEY_UNREADABLE', `${file} is not a PEM private key`, { cause: error });
  }
  const publicKeyObject = createPublicKey(privateKey);
  const publicKey = publicKeyObject.export({ type: 'spki', format: 'pem' }) as string;
  const keyId = keyIdOf(publicKeyObject);
  return {
    keyId,
    publicKey,
    sign(bytes, meta) {
      const digest = createHash('sha256').update(bytes).digest();
      return {
        format: SIGNATURE_FORMAT,
        algorithm: 'Ed25519',
        digest: 'SHA-256',
        sha256: digest.toString('hex'),
        signature: sign(null, digest, privateKey).toString('base64'),
        publicKey,
        keyId,
        file: meta.file,
        signedAt: meta.signedAt ?? systemClock.now(),
        signedBy: meta.signedBy,
      };
    },
  };
}

export interface VerifyResult {
  ok: boolean;
  /** why not, when not */
  reason?: string;
}

/**
 * Checks a report against its `.sig` (the object or its JSON text). Pass the trusted public key
 * (PEM) to check who signed; without it only the file's integrity against the embedded key is proven.
 */
export function verifyReport(file: Uint8Array, signature: ReportSignature | string, options: { publicKey?: string } = {}): VerifyResult {
  let sig: ReportSignature;
  try {
    sig = typeof signature === 'string' ? (JSON.parse(signature) as ReportSignature) : signature;
  } catch {
    return { ok: false, reason: 'the signature file is not JSON' };
  }
  if (sig.format !== SIGNATURE_FORMAT || sig.algorithm !== 'Ed25519' || typeof sig.signature !== 'string') {
    return { ok: false, reason: `not a ${SIGNATURE_FORMAT} signature` };
  }
  const digest = createHash('sha256').update(file).digest();
  if (digest.toString('hex') !== sig.sha256) return { ok: false, reason: 'the file does not match the signed SHA-256 (changed or another file)' };
  let key: KeyObject;
  try {
    key = createPublicKey(options.publicKey ?? sig.publicKey);
  } catch {
    return { ok: false, reason: 'the public key is not a PEM key' };
  }
  if (options.publicKey !== undefined && keyIdOf(key) !== keyIdOf(createPublicKey(sig.publicKey))) {
    return { ok: false, reason: `signed with key ${sig.keyId}, not with the trusted key ${keyIdOf(key)}` };
  }
  return verify(null, digest, key, Buffer.from(sig.signature, 'base64')) ? { ok: true } : { ok: false, reason: 'the signature does not verify' };
}
