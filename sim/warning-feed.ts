import { createServer, type Server } from 'node:http';
import { create } from 'xmlbuilder2';

/**
 * A simulated meteorological warning service: an HTTP server whose Atom feed carries CAP 1.2 alerts laid
 * out as GB/T 35965.1-2018 lays them out (identifier = issuing unit code + Beijing time + sequence, times in
 * Beijing time, the area by GB/T 2260 code), for the demo and the tests. The signal's colour is in the CAP
 * severity (blue Minor … red Extreme: CAP 1.2's schema allows no colour words there), the headline and a
 * `warningLevel` parameter. A met office
 * raises a signal (Alert), changes its colour (Update referencing every earlier message of the signal)
 * and lifts it (Cancel). Synthetic: the issuing unit's code below is invented.
 */

export const WARNING_EVENTS = {
  /** GB/T 35965.1 event type code 11B03: 暴雨 (rainstorm) — as the warning release system's copies give it; UNCONFIRMED */
  rainstorm: { code: '11B03', zh: '暴雨', en: 'Rainstorm' },
} as const;
export type WarningEvent = keyof typeof WARNING_EVENTS;
export type SignalColour = 'blue' | 'yellow' | 'orange' | 'red';

const COLOUR_WORDS: Record<SignalColour, { zh: string; severity: string }> = {
  blue: { zh: '蓝色', severity: 'Blue' },
  yellow: { zh: '黄色', severity: 'Yellow' },
  orange: { zh: '橙色', severity: 'Orange' },
  red: { zh: '红色', severity: 'Red' },
};

export interface WarningFeedOptions {
  /** the area the office warns for (GB/T 2260), e.g. 410100 Zhengzhou */
  areaCode: string;
  areaName: string;
  /** e.g. 郑州市气象台 */
  senderName: string;
  host?: string;
  /** default: a free one */
  port?: number;
  now?: () => number;
}

export interface WarningFeed {
  /** the feed's URL (…/cap/feed.xml) */
  readonly url: string;
  /**
   * raises the signal, changes its colour, or lifts it ('none'); `hours` (default 6) is how long it holds
   * unless changed. Returns the identifier of the message sent.
   */
  signal(event: WarningEvent, colour: SignalColour | 'none', options?: { hours?: number; areaCode?: string }): string;
  /** the CAP documents in the feed, oldest first */
  documents(): string[];
  close(): Promise<void>;
}

interface Message {
  identifier: string;
  sent: number;
  xml: string;
}

const CAP_NAMESPACE = 'urn:oasis:names:tc:emergency:cap:1.2';

/** 2026-07-20T16:00:00+08:00: CAP's dateTime in Beijing time, as GB/T 35965.1 writes it */
function beijing(ms: number): string {
  return `${new Date(ms + 8 * 3_600_000).toISOString().slice(0, 19)}+08:00`;
}

export async function startWarningFeed(options: WarningFeedOptions): Promise<WarningFeed> {
  const now = options.now ?? (() => Date.now());
  // GB/T 35965.1 issuing unit: region (6) + agency (3, GB/T 4657) + internal (3) + extension (2); the agency part is made up
  const unit = `${options.areaCode}99900000`;
  const sender = `${options.senderName}`;
  const messages: Message[] = [];
  /** the messages of the signal now standing, per event */
  const standing = new Map<WarningEvent, { colour: SignalColour; messages: Message[] }>();
  let sequence = 0;

  const server: Server = createServer((request, response) => {
    if (request.method !== 'GET' || !request.url?.startsWith('/cap/feed.xml')) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': 'application/atom+xml; charset=utf-8' }).end(feed());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: options.host ?? '127.0.0.1', port: options.port ?? 0 }, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  function feed(): string {
    const root = create({ version: '1.0', encoding: 'UTF-8' }).ele('http://www.w3.org/2005/Atom', 'feed');
    root.ele('id').txt(`urn:ketwin-sim:warnings:${options.areaCode}`);
    root.ele('title').txt(`${options.senderName} 预警信息`);
    root.ele('updated').txt(new Date(messages.at(-1)?.sent ?? now()).toISOString());
    for (const m of [...messages].reverse()) {
      const entry = root.ele('entry');
      entry.ele('id').txt(`urn:cap:${m.identifier}`);
      entry.ele('title').txt(m.identifier);
      entry.ele('updated').txt(new Date(m.sent).toISOString());
      entry.ele('content', { type: 'application/cap+xml' }).import(create(m.xml));
    }
    return root.end({ prettyPrint: true });
  }

  function alertXml(id: string, sent: number, msgType: string, references: Message[], event: WarningEvent, colour: SignalColour, expires: number, areaCode: string): string {
    const words = WARNING_EVENTS[event];
    const c = COLOUR_WORDS[colour];
    const root = create({ version: '1.0', encoding: 'UTF-8' }).ele(CAP_NAMESPACE, 'alert');
    const text = (parent: typeof root, name: string, value: string) => void parent.ele(name).txt(value);
    text(root, 'identifier', id);
    text(root, 'sender', sender);
    text(root, 'sent', beijing(sent));
    text(root, 'status', 'Actual');
    text(root, 'msgType', msgType);
    text(root, 'scope', 'Public');
    if (references.length > 0) text(root, 'references', references.map((r) => `${sender},${r.identifier},${beijing(r.sent)}`).join(' '));
    const info = root.ele('info');
    text(info, 'language', 'zh-CN');
    text(info, 'category', 'Met');
    text(info, 'event', words.zh);
    text(info, 'responseType', msgType === 'Cancel' ? 'AllClear' : 'Prepare');
    text(info, 'urgency', msgType === 'Cancel' ? 'Past' : 'Immediate');
    // CAP's own severities only: the CAP 1.2 schema allows no other; the colour is in the headline and a parameter
    text(info, 'severity', msgType === 'Cancel' ? 'Minor' : { blue: 'Minor', yellow: 'Moderate', orange: 'Severe', red: 'Extreme' }[colour]);
    text(info, 'certainty', 'Likely');
    const code = info.ele('eventCode');
    text(code, 'valueName', 'GB/T 35965.1 eventType');
    text(code, 'value', words.code);
    text(info, 'effective', beijing(sent));
    text(info, 'onset', beijing(sent));
    text(info, 'expires', beijing(expires));
    text(info, 'senderName', options.senderName);
    const verb = msgType === 'Cancel' ? '解除' : msgType === 'Update' ? '变更' : '发布';
    text(info, 'headline', `${options.senderName}${verb}${words.zh}${c.zh}预警信号`);
    text(info, 'description', `${options.senderName}${verb}${words.zh}${c.zh}预警信号（模拟）。`);
    const level = info.ele('parameter');
    text(level, 'valueName', 'warningLevel');
    text(level, 'value', `${c.zh}（${c.severity}）`);
    const area = info.ele('area');
    text(area, 'areaDesc', options.areaName);
    const geocode = area.ele('geocode');
    text(geocode, 'valueName', 'GB/T 2260');
    text(geocode, 'value', areaCode);
    return root.end({ prettyPrint: true });
  }

  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}/cap/feed.xml`,
    signal(event, colour, signalOptions = {}) {
      const sent = now();
      const id = `${unit}_${beijing(sent).slice(0, 19).replace(/\D/g, '')}_${sequence++ % 10}`;
      const current = standing.get(event);
      const earlier = current?.messages ?? [];
      const areaCode = signalOptions.areaCode ?? options.areaCode;
      const expires = sent + (signalOptions.hours ?? 6) * 3_600_000;
      let xml: string;
      if (colour === 'none') {
        if (!current) throw new Error(`no ${event} signal stands to be lifted`);
        xml = alertXml(id, sent, 'Cancel', earlier, event, current.colour, sent, areaCode);
        standing.delete(event);
      } else {
        xml = alertXml(id, sent, earlier.length === 0 ? 'Alert' : 'Update', earlier, event, colour, expires, areaCode);
      }
      const message = { identifier: id, sent, xml };
      messages.push(message);
      if (colour !== 'none') standing.set(event, { colour, messages: [...earlier, message] });
      return id;
    },
    documents: () => messages.map((m) => m.xml),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
