import {
  AttributeIds,
  DataChangeFilter,
  DataChangeTrigger,
  DeadbandType,
  TimestampsToReturn,
  type ClientSession,
  type ClientSubscription,
  type DataValue,
  type StatusCode,
} from 'node-opcua';
import type { OpcuaSource, Point } from '../../model/index.ts';

/** Points that share one subscription and one monitoring filter. */
export interface PointGroup {
  points: Point[];
  /** absolute deadband, or undefined: report every scan (StatusValueTimestamp) */
  deadband: number | undefined;
}

/**
 * Splits the points into subscriptions of at most `maxItemsPerSubscription` monitored items.
 * Points with a deadband go into subscriptions of their own, so that a keep-alive of such a
 * subscription means "none of these points moved", which the source turns into a refresh.
 */
export function groupPoints(points: Point[], maxItemsPerSubscription: number): PointGroup[] {
  const byDeadband = new Map<number | undefined, Point[]>();
  for (const point of points) {
    const key = point.deadband !== undefined && point.deadband > 0 ? point.deadband : undefined;
    byDeadband.set(key, [...(byDeadband.get(key) ?? []), point]);
  }
  const groups: PointGroup[] = [];
  for (const [deadband, members] of byDeadband) {
    for (let i = 0; i < members.length; i += maxItemsPerSubscription) groups.push({ points: members.slice(i, i + maxItemsPerSubscription), deadband });
  }
  return groups;
}

export interface MonitorHandlers {
  changed(point: Point, dataValue: DataValue): void;
  cannotMonitor(point: Point, status: StatusCode): void;
  /** the server confirmed that nothing in this deadband group changed */
  keepAlive(points: Point[]): void;
}

/** Creates one subscription per group, with one monitored item per point. */
export async function monitorPoints(session: ClientSession, source: OpcuaSource, groups: PointGroup[], handlers: MonitorHandlers): Promise<ClientSubscription[]> {
  const subscriptions: ClientSubscription[] = [];
  for (const group of groups) {
    // a deadband group keeps alive well within the shortest staleness of its points
    const shortestStale = Math.min(...group.points.map((p) => p.staleAfterMs));
    const keepAliveCount = group.deadband === undefined ? 10 : Math.max(1, Math.min(10, Math.floor(shortestStale / 3 / source.publishingIntervalMs)));
    const subscription = await session.createSubscription2({
      requestedPublishingInterval: source.publishingIntervalMs,
      requestedLifetimeCount: Math.max(30, keepAliveCount * 3),
      requestedMaxKeepAliveCount: keepAliveCount,
      maxNotificationsPerPublish: 0,
      publishingEnabled: true,
      priority: 10,
    });
    subscriptions.push(subscription);
    const filter =
      group.deadband === undefined
        ? new DataChangeFilter({ trigger: DataChangeTrigger.StatusValueTimestamp, deadbandType: DeadbandType.None })
        : new DataChangeFilter({ trigger: DataChangeTrigger.StatusValue, deadbandType: DeadbandType.Absolute, deadbandValue: group.deadband });
    const monitored = await subscription.monitorItems(
      group.points.map((p) => ({ nodeId: p.node!, attributeId: AttributeIds.Value })),
      { samplingInterval: source.samplingIntervalMs ?? source.publishingIntervalMs, queueSize: 10, discardOldest: true, filter },
      TimestampsToReturn.Both,
    );
    monitored.on('changed', (_item, dataValue, index) => {
      const point = group.points[index];
      if (point) handlers.changed(point, dataValue);
    });
    monitored.monitoredItems.forEach((item, index) => {
      if (item.statusCode.isBad()) handlers.cannotMonitor(group.points[index]!, item.statusCode);
    });
    if (group.deadband !== undefined) subscription.on('keepalive', () => handlers.keepAlive(group.points));
  }
  return subscriptions;
}
