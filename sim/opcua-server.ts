import {
  DataType,
  MessageSecurityMode,
  OPCUAServer,
  RegisterServerMethod,
  SecurityPolicy,
  StatusCodes,
  Variant,
  type UAVariable,
} from 'node-opcua';
import type { Point } from '../model/index.ts';
import { SimError } from './sim-error.ts';

export const SIM_NAMESPACE_URI = 'urn:ketwin:sim';
const RESOURCE_PATH = '/ketwin';

/** The simulated PLC: one OPC-UA server whose variables are written on every scan. */
export interface SimOpcuaServer {
  readonly endpoint: string;
  readonly port: number;
  /** writes a value with a fresh source timestamp (a PLC scan), even when it did not change */
  write(pointId: string, value: number | boolean, sourceTimestamp: Date): void;
  stop(): Promise<void>;
}

export async function startSimOpcuaServer(points: Point[], port: number, initial: (pointId: string) => number | boolean): Promise<SimOpcuaServer> {
  const server = new OPCUAServer({
    port,
    host: '127.0.0.1',
    hostname: '127.0.0.1',
    resourcePath: RESOURCE_PATH,
    registerServerMethod: RegisterServerMethod.HIDDEN,
    securityModes: [MessageSecurityMode.None],
    securityPolicies: [SecurityPolicy.None],
    allowAnonymous: true,
    skipOwnNamespace: true,
    isAuditing: false,
    buildInfo: { productName: 'ketwin depot simulator', manufacturerName: 'ketwin' },
  });
  await server.initialize();
  const addressSpace = server.engine.addressSpace;
  if (!addressSpace) throw new SimError('SIM_NODE', 'OPC-UA server has no address space after initialize()');
  const namespace = addressSpace.registerNamespace(SIM_NAMESPACE_URI);
  if (namespace.index !== 1) {
    throw new SimError('SIM_NODE', `simulator namespace got index ${namespace.index}; the site's node ids expect ns=1`);
  }

  const variables = new Map<string, UAVariable>();
  const device = namespace.addObject({ organizedBy: addressSpace.rootFolder.objects, browseName: 'Depot' });
  for (const point of points) {
    if (!point.node?.startsWith('ns=1;')) {
      throw new SimError('SIM_NODE', `point ${point.id}: node id ${JSON.stringify(point.node)} is not in namespace 1`);
    }
    const dataType = point.unit === 'bool' ? DataType.Boolean : DataType.Double;
    const variable = namespace.addVariable({
      componentOf: device,
      nodeId: point.node,
      browseName: point.id,
      dataType,
      accessLevel: 'CurrentRead',
      userAccessLevel: 'CurrentRead',
    });
    variable.setValueFromSource(new Variant({ dataType, value: initial(point.id) }), StatusCodes.Good, new Date());
    variables.set(point.id, variable);
  }

  await server.start();
  const actualPort = server.endpoints[0]?.port ?? port;
  const endpoint = `opc.tcp://127.0.0.1:${actualPort}${RESOURCE_PATH}`;

  return {
    endpoint,
    port: actualPort,
    write(pointId, value, sourceTimestamp) {
      const variable = variables.get(pointId);
      if (!variable) return;
      const dataType = typeof value === 'boolean' ? DataType.Boolean : DataType.Double;
      variable.setValueFromSource(new Variant({ dataType, value }), StatusCodes.Good, sourceTimestamp);
    },
    async stop() {
      await server.shutdown(0);
      server.dispose();
    },
  };
}
