/** The Sparkplug B namespace of every topic (spBv1.0/<group>/<message type>/<edge node>[/<device>]). */
export const SPARKPLUG_NAMESPACE = 'spBv1.0';

export const SPARKPLUG_MESSAGE_TYPES = ['NBIRTH', 'NDATA', 'NDEATH', 'DBIRTH', 'DDATA', 'DDEATH'] as const;
export type SparkplugMessageType = (typeof SPARKPLUG_MESSAGE_TYPES)[number];

export interface SparkplugTopic {
  group: string;
  type: SparkplugMessageType;
  node: string;
  /** absent for the node's own messages */
  device?: string;
}

/** The parts of a Sparkplug B topic a host reads; undefined for any other topic (commands, STATE, other namespaces). */
export function parseSparkplugTopic(topic: string): SparkplugTopic | undefined {
  const parts = topic.split('/');
  if (parts[0] !== SPARKPLUG_NAMESPACE || parts.length < 4 || parts.length > 5) return undefined;
  const type = parts[2] as SparkplugMessageType;
  if (!SPARKPLUG_MESSAGE_TYPES.includes(type)) return undefined;
  const device = type.startsWith('D') ? parts[4] : undefined;
  if (type.startsWith('D') !== (parts.length === 5)) return undefined;
  return { group: parts[1]!, type, node: parts[3]!, ...(device !== undefined ? { device } : {}) };
}

/** The topics a host application subscribes to for one group: births, data and deaths of nodes and devices. */
export function sparkplugFilters(group: string): string[] {
  return SPARKPLUG_MESSAGE_TYPES.map((type) => `${SPARKPLUG_NAMESPACE}/${group}/${type}/#`);
}

/** Where a host sends a node its commands (a rebirth request among them). */
export function nodeCommandTopic(group: string, node: string): string {
  return `${SPARKPLUG_NAMESPACE}/${group}/NCMD/${node}`;
}

/** Where a host application tells the edge nodes whether it is online: retained, its will saying offline (Sparkplug B 3.0 §7.5). */
export function hostStateTopic(hostId: string): string {
  return `${SPARKPLUG_NAMESPACE}/STATE/${hostId}`;
}
