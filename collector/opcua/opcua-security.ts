import { join, resolve } from 'node:path';
import { MessageSecurityMode, OPCUACertificateManager, SecurityPolicy, UserTokenType, type UserIdentityInfo } from 'node-opcua';
import type { OpcuaSource } from '../../model/index.ts';
import { CollectorError } from '../source.ts';

/** What an OPC-UA source needs to open a secure channel and a session, resolved from its configuration. */
export interface OpcuaSecurity {
  securityMode: MessageSecurityMode;
  securityPolicy: SecurityPolicy;
  /** the PKI folder: own/ (the collector's certificate), trusted/certs, rejected/, issuers/ */
  pkiDir: string;
  identity: UserIdentityInfo | undefined;
  trustOnFirstUse: boolean;
}

const MODES: Record<OpcuaSource['securityMode'], MessageSecurityMode> = {
  None: MessageSecurityMode.None,
  Sign: MessageSecurityMode.Sign,
  SignAndEncrypt: MessageSecurityMode.SignAndEncrypt,
};
const POLICIES: Record<NonNullable<OpcuaSource['securityPolicy']>, SecurityPolicy> = {
  None: SecurityPolicy.None,
  Basic256Sha256: SecurityPolicy.Basic256Sha256,
  Aes256_Sha256_RsaPss: SecurityPolicy.Aes256_Sha256_RsaPss,
};

export interface SecurityInputs {
  source: OpcuaSource;
  /** overrides source.pki */
  pkiDir?: string;
  /** default home of PKI folders: <dataDir>/pki/<source id> */
  dataDir?: string;
  env?: Record<string, string | undefined>;
}

/** Resolves and checks the security settings; a missing password variable is a configuration error, found before connecting. */
export function resolveSecurity({ source, pkiDir, dataDir, env = process.env }: SecurityInputs, where: string): OpcuaSecurity {
  const policy = source.securityPolicy ?? (source.securityMode === 'None' ? 'None' : undefined);
  if (!policy || (policy === 'None') !== (source.securityMode === 'None')) {
    throw new CollectorError('COLLECTOR_CONFIG', `${where}: securityMode ${source.securityMode} does not go with securityPolicy ${policy ?? '(none)'}`);
  }
  let identity: UserIdentityInfo | undefined;
  if (source.username !== undefined || source.passwordEnv !== undefined) {
    if (!source.username || !source.passwordEnv) throw new CollectorError('COLLECTOR_CONFIG', `${where}: username and passwordEnv go together`);
    const password = env[source.passwordEnv];
    if (password === undefined || password === '') {
      throw new CollectorError('COLLECTOR_CONFIG', `${where}: environment variable ${source.passwordEnv} (the password of user ${source.username}) is not set`);
    }
    identity = { type: UserTokenType.UserName, userName: source.username, password };
  }
  return {
    securityMode: MODES[source.securityMode],
    securityPolicy: POLICIES[policy],
    pkiDir: resolve(pkiDir ?? source.pki ?? join(dataDir ?? 'data', 'pki', source.id)),
    identity,
    trustOnFirstUse: source.trustOnFirstUse ?? false,
  };
}

/**
 * Opens the source's PKI folder, creating the collector's own key and self-signed certificate on
 * first use. Server certificates are trusted only when they sit in trusted/certs (or, with
 * trustOnFirstUse, the first one seen while nothing is trusted yet).
 */
export async function openCertificateManager(security: OpcuaSecurity): Promise<OPCUACertificateManager> {
  const manager = new OPCUACertificateManager({
    rootFolder: security.pkiDir,
    automaticallyAcceptUnknownCertificate: false,
    disableFileWatchers: true,
    keySize: 2048,
  });
  await manager.initialize();
  return manager;
}

/** Before each connection attempt: see certificates an operator moved into trusted/ meanwhile, and arm trust-on-first-use. */
export async function prepareTrust(manager: OPCUACertificateManager, security: OpcuaSecurity): Promise<void> {
  await manager.reloadCertificates();
  manager.automaticallyAcceptUnknownCertificate = security.trustOnFirstUse && manager.getTrustedCertificateCount() === 0;
}

/** A log-worthy explanation of a failed secure connection, or undefined when the failure is not about security. */
export function explainSecurityFailure(error: unknown, security: OpcuaSecurity): string | undefined {
  const message = (error as Error)?.message ?? String(error);
  if (/BadCertificateUntrusted|certificate verification failed/i.test(message)) {
    return `server certificate not trusted (${message.match(/Bad\w+/)?.[0] ?? 'BadCertificateUntrusted'}): it was put in ${join(security.pkiDir, 'rejected')}; move it to ${join(security.pkiDir, 'trusted', 'certs')} to trust it`;
  }
  if (/BadCertificate\w*|BadSecurityChecksFailed|BadSecurityPolicyRejected|BadIdentityTokenRejected|BadUserAccessDenied|BadIdentityTokenInvalid/.test(message)) {
    return `security rejected (${message.match(/Bad\w+/)?.[0]}): ${message}`;
  }
  return undefined;
}
