import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AccessRestrictionsFlag,
  DataType,
  MessageSecurityMode,
  OPCUACertificateManager,
  OPCUAServer,
  RegisterServerMethod,
  SecurityPolicy,
  PermissionType,
  StatusCodes,
  Variant,
  WellKnownRoles,
  type UAObject,
  type UAVariable,
} from 'node-opcua';
import type { Point } from '../model/index.ts';
import { SimError } from './sim-error.ts';

export const SIM_NAMESPACE_URI = 'urn:ketwin:sim';
const RESOURCE_PATH = '/ketwin';
/**
 * Stated on every variable (read-only for anyone, no access restriction): without them node-opcua
 * looks the namespace's defaults up by name on every sample of every monitored item, which was
 * the server's largest cost in the scale benchmarks.
 */
const READ_ONLY = (PermissionType.Browse | PermissionType.Read | PermissionType.ReadRolePermissions) as PermissionType;
const ROLE_PERMISSIONS = [WellKnownRoles.Anonymous, WellKnownRoles.AuthenticatedUser].map((roleId) => ({ roleId, permissions: READ_ONLY }));

export interface SimOpcuaOptions {
  port: number;
  /** the server's PKI folder (its own certificate; client certificates are all accepted); default <tmp>/ketwin-sim-pki */
  pkiDir?: string;
  /** user name → password accepted besides anonymous */
  users?: Record<string, string>;
  /** cap on monitored items per subscription (as a real PLC has); default node-opcua's */
  maxMonitoredItemsPerSubscription?: number;
}

/** The simulated PLC: one OPC-UA server whose variables are written on every scan. */
export interface SimOpcuaServer {
  readonly endpoint: string;
  readonly port: number;
  /** the server's certificate (PEM file), to put in a collector's trusted/certs */
  readonly certificateFile: string;
  /** writes a value with a fresh source timestamp (a PLC scan), even when it did not change */
  write(pointId: string, value: number | boolean, sourceTimestamp: Date): void;
  /** marks a point Bad (e.g. a failed field device): status BadCommunicationError until the next write */
  fail(pointId: string, sourceTimestamp: Date): void;
  stop(): Promise<void>;
}

export async function startSimOpcuaServer(points: Point[], options: SimOpcuaOptions, initial: (pointId: string) => number | boolean): Promise<SimOpcuaServer> {
  const pkiDir = options.pkiDir ?? join(tmpdir(), 'ketwin-sim-pki');
  const certificates = new OPCUACertificateManager({ rootFolder: pkiDir, automaticallyAcceptUnknownCertificate: true, disableFileWatchers: true });
  await certificates.initialize();
  const users = options.users ?? {};
  const server = new OPCUAServer({
    port: options.port,
    host: '127.0.0.1',
    hostname: '127.0.0.1',
    resourcePath: RESOURCE_PATH,
    registerServerMethod: RegisterServerMethod.HIDDEN,
    serverCertificateManager: certificates,
    securityModes: [MessageSecurityMode.None, MessageSecurityMode.Sign, MessageSecurityMode.SignAndEncrypt],
    securityPolicies: [SecurityPolicy.None, SecurityPolicy.Basic256Sha256, SecurityPolicy.Aes256_Sha256_RsaPss],
    allowAnonymous: true,
    userManager: { isValidUser: (userName: string, password: string) => Object.hasOwn(users, userName) && users[userName] === password },
    skipOwnNamespace: true,
    isAuditing: false,
    buildInfo: { productName: 'ketwin depot simulator', manufacturerName: 'ketwin' },
    ...(options.maxMonitoredItemsPerSubscription ? { serverCapabilities: { maxMonitoredItemsPerSubscription: options.maxMonitoredItemsPerSubscription } } : {}),
  });
  try {
    await server.initialize();
  } catch (error) {
    await certificates.dispose();
    throw error;
  }
  const addressSpace = server.engine.addressSpace;
  if (!addressSpace) throw new SimError('SIM_NODE', 'OPC-UA server has no address space after initialize()');
  const namespace = addressSpace.registerNamespace(SIM_NAMESPACE_URI);
  if (namespace.index !== 1) {
    throw new SimError('SIM_NODE', `simulator namespace got index ${namespace.index}; the site's node ids expect ns=1`);
  }

  // Objects/Depot/<asset>/<point>: one folder per asset, node ids as in the site file
  const variables = new Map<string, UAVariable>();
  const depot = namespace.addFolder(addressSpace.rootFolder.objects, { browseName: 'Depot' });
  const assets = new Map<string, UAObject>();
  for (const point of points) {
    if (!point.node?.startsWith('ns=1;')) {
      throw new SimError('SIM_NODE', `point ${point.id}: node id ${JSON.stringify(point.node)} is not in namespace 1`);
    }
    let asset = assets.get(point.asset);
    if (!asset) {
      asset = namespace.addObject({ organizedBy: depot, browseName: point.asset, nodeId: `s=${point.asset}` });
      assets.set(point.asset, asset);
    }
    const dataType = point.unit === 'bool' ? DataType.Boolean : DataType.Double;
    const variable = namespace.addVariable({
      componentOf: asset,
      nodeId: point.node,
      browseName: point.name,
      dataType,
      accessLevel: 'CurrentRead',
      userAccessLevel: 'CurrentRead',
      rolePermissions: ROLE_PERMISSIONS,
      accessRestrictions: AccessRestrictionsFlag.None,
    });
    variable.setValueFromSource(new Variant({ dataType, value: initial(point.id) }), StatusCodes.Good, new Date());
    variables.set(point.id, variable);
  }

  await server.start();
  const actualPort = server.endpoints[0]?.port ?? options.port;
  const endpoint = `opc.tcp://127.0.0.1:${actualPort}${RESOURCE_PATH}`;

  return {
    endpoint,
    port: actualPort,
    certificateFile: join(certificates.rootDir, 'own', 'certs', 'certificate.pem'),
    write(pointId, value, sourceTimestamp) {
      const variable = variables.get(pointId);
      if (!variable) return;
      const dataType = typeof value === 'boolean' ? DataType.Boolean : DataType.Double;
      variable.setValueFromSource(new Variant({ dataType, value }), StatusCodes.Good, sourceTimestamp);
    },
    fail(pointId, sourceTimestamp) {
      const variable = variables.get(pointId);
      if (!variable) return;
      variable.setValueFromSource(variable.readValue().value, StatusCodes.BadCommunicationError, sourceTimestamp);
    },
    async stop() {
      await server.shutdown(0);
      server.dispose();
      await certificates.dispose();
    },
  };
}
