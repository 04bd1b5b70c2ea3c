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
 * Splits the points into subscriptions of at most `maxItemsPerSubscription` monitored items;
 * points with a deadband go into subscriptions of their own (one filter per subscription).
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
  /** a publish response (notifications or a keep-alive) of the subscription of `group` arrived: it is alive */
  alive(group: number): void;
}

/** One subscription per group, with one monitored item per point; the result is in the order of `groups`. */
export async function monitorPoints(session: ClientSession, source: OpcuaSource, groups: PointGroup[], handlers: MonitorHandlers): Promise<ClientSubscription[]> {
  const subscriptions: ClientSubscription[] = [];
  for (const [index, group] of groups.entries()) {
    // the server answers at least every publishing interval × keep-alive count, even when nothing
    // changes: that is how the subscription shows it is alive, so it must come well within the
    // shortest staleness of its points (a third of it)
    const shortestStale = Math.min(...group.points.map((p) => p.staleAfterMs));
    const keepAliveCount = Math.max(1, Math.min(10, Math.floor(shortestStale / 3 / source.publishingIntervalMs)));
    const subscription = await session.createSubscription2({
      requestedPublishingInterval: source.publishingIntervalMs,
      requestedLifetimeCount: Math.max(30, keepAliveCount * 3),
      requestedMaxKeepAliveCount: keepAliveCount,
      maxNotificationsPerPublish: 0,
      publishingEnabled: true,
      priority: 10,
    });
    subscriptions.push(subscription);
    subscription.on('raw_notification', () => handlers.alive(index));
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
  }
  return subscriptions;
}
