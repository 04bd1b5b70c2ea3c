/** The web app's words for the edge at a depot (`ketwin edge`) as central hears it: the site page's edge panel. */
import type { Lang } from './lang.ts';

export const edgeStrings = {
  edge: { zh: '现场边缘节点', en: 'Edge at the depot' },
  edgeHeard: { zh: '最近心跳', en: 'Last heard' },
  edgeNeverHeard: { zh: '中心启动以来尚未收到心跳', en: 'not heard since central started' },
  edgeSilent: { zh: '边缘节点失联：{s} 秒内无心跳，其设备数据不再到达', en: 'Edge silent: no health beat for {s} s; its devices’ readings are not arriving' },
  edgeLink: { zh: '与消息总线的链路', en: 'Link to the bus' },
  edgeLinkUp: { zh: '正常', en: 'up' },
  edgeLinkDown: { zh: '中断（数据缓存在现场磁盘）', en: 'down (readings kept on its disk)' },
  edgeBacklog: { zh: '待发送积压', en: 'Backlog not yet sent' },
  edgeBacklogFigures: { zh: '{n} 条读数，磁盘 {mb} MB', en: '{n} readings, {mb} MB on disk' },
  edgeDropped: { zh: '缓存满时丢弃 {n} 条', en: '{n} dropped when its buffer was full' },
  edgePublished: { zh: '本次启动以来已发送', en: 'Sent since its start' },
  edgeDevices: { zh: '设备', en: 'Devices' },
  edgeDeviceOnline: { zh: '在线', en: 'online' },
  edgeDeviceOffline: { zh: '离线', en: 'offline' },
} satisfies Record<string, Record<Lang, string>>;
