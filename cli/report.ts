/** `ketwin report verify FILE [--sig FILE.sig] [--key PUBLIC.pem]`: an exported report against its detached signature. */
import { createPublicKey } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { KEY_FILE, verifyReport, type ReportSignature } from '../ui/server/index.ts';
import type { KetwinOptions } from './options.ts';

export interface ReportVerifyArguments {
  file: string;
  /** default `<file>.sig`, as the server names it */
  sig?: string;
  /** a trusted public key (PEM); default this server's own key under <data dir>/keys when there is one */
  key?: string;
}

/** FILE [--sig FILE] [--key FILE], or undefined when the words are not that. */
export function parseReportVerifyArguments(words: readonly string[]): ReportVerifyArguments | undefined {
  const [file, ...rest] = words;
  if (!file || file.startsWith('--') || rest.length % 2 !== 0) return undefined;
  const parsed: ReportVerifyArguments = { file };
  for (let i = 0; i < rest.length; i += 2) {
    const [flag, value] = [rest[i]!, rest[i + 1]!];
    if (flag === '--sig' && parsed.sig === undefined) parsed.sig = value;
    else if (flag === '--key' && parsed.key === undefined) parsed.key = value;
    else return undefined;
  }
  return parsed;
}

/** The public key of this server's report signing key, without creating one (verifying never makes a key). */
async function serverPublicKey(dataDir: string): Promise<string | undefined> {
  let pem: string;
  try {
    pem = await readFile(join(dataDir, 'keys', KEY_FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  return createPublicKey(pem).export({ type: 'spki', format: 'pem' }) as string;
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Checks that the report is the one signed (its SHA-256 under the Ed25519 signature of the .sig file) and, with a
 * trusted key (given, or this server's own), that this key signed it. Exit 0 when it holds, 1 when it does not,
 * 2 when a file cannot be read. Without any trusted key only the file's integrity is proven, and it says so.
 */
export async function runReportVerify(options: KetwinOptions, args: ReportVerifyArguments): Promise<number> {
  const sigFile = args.sig ?? `${args.file}.sig`;
  let file: Buffer;
  let signatureText: string;
  let trusted: string | undefined;
  try {
    file = await readFile(args.file);
    signatureText = await readFile(sigFile, 'utf8');
    trusted = args.key !== undefined ? await readFile(args.key, 'utf8') : await serverPublicKey(options.dataDir);
  } catch (error) {
    console.error(`report verify: ${(error as Error).message}`);
    return 2;
  }
  const result = verifyReport(file, signatureText, trusted === undefined ? {} : { publicKey: trusted });
  if (!result.ok) {
    console.log(`report NOT verified: ${args.file}: ${result.reason}`);
    return 1;
  }
  const sig = JSON.parse(signatureText) as ReportSignature;
  const by =
    trusted === undefined
      ? ' (no trusted key here: only the file against the key in its .sig is proven, not who signed it)'
      : args.key !== undefined
        ? ` (the key in ${args.key})`
        : " (this server's key)";
  console.log(`report verified: ${args.file} sha256 ${sig.sha256}, signed by ${sig.signedBy} at ${iso(sig.signedAt)} with key ${sig.keyId}${by}`);
  return 0;
}
