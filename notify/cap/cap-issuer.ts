/**
 * Turns alert transitions into the CAP message sequence of each alert: the first one an Alert,
 * later ones Updates that reference every message before them, the clearing one a Cancel;
 * nothing after the Cancel. Renders each message as CAP XML and as the JSON webhook body.
 */
import { EXERCISE_MARK, type Alert, type Bilingual } from '../../model/index.ts';
import type { IssuedCap, JournalState } from '../journal.ts';
import type { SitePlace } from './area.ts';
import { buildCapDocument, capStatus, type CapMsgType, type CapReference } from './cap-document.ts';
import { capIdentifier } from './identifier.ts';
import { hazardWords } from './vocabulary.ts';

/** earlier messages a CAP message refers to, at most (the first one and the latest) */
const MAX_REFERENCES = 50;

export interface IssueContext {
  sender: string;
  agencyCode: string;
  regionCode: string;
  now: number;
  test?: boolean;
  site?: SitePlace;
  senderName?: Bilingual;
}

export interface CapMessage extends IssuedCap {
  references: CapReference[];
}

export function isCleared(alert: Alert): boolean {
  return alert.state === 'cleared' || alert.transition?.action === 'clear';
}

export function nextMsgType(state: JournalState, alert: Alert): CapMsgType | undefined {
  const earlier = state.references[alert.id] ?? [];
  const last = state.latest[alert.id];
  if (last?.msgType === 'Cancel') return undefined;
  if (earlier.length === 0) return isCleared(alert) ? undefined : 'Alert';
  return isCleared(alert) ? 'Cancel' : 'Update';
}

/** Issues the next CAP message of `alert` into the journal state; undefined when there is nothing to say. */
export function issueCap(state: JournalState, alert: Alert, context: IssueContext): CapMessage | undefined {
  const msgType = nextMsgType(state, alert);
  if (msgType === undefined) return undefined;
  const earlier = state.references[alert.id] ?? [];
  const references = earlier.length > MAX_REFERENCES ? [earlier[0]!, ...earlier.slice(-(MAX_REFERENCES - 1))] : [...earlier];
  state.sequence += 1;
  const sent = Math.max(context.now, alert.changedAt);
  const identifier = capIdentifier({ regionCode: context.regionCode, agencyCode: context.agencyCode, at: sent, sequence: state.sequence });
  const status = capStatus(alert, context.test);
  const xml = buildCapDocument({ alert, identifier, sender: context.sender, sent, msgType, references, test: context.test, site: context.site, senderName: context.senderName });
  const event = hazardWords(alert).event;
  const place = context.site?.name ?? { zh: alert.site, en: alert.site };
  const mark = alert.exercise === true ? EXERCISE_MARK : { zh: '', en: '' };
  const headline =
    msgType === 'Cancel'
      ? { zh: `${mark.zh}解除：${place.zh} ${event.zh}`, en: `${mark.en}All clear: ${event.en} at ${place.en}` }
      : { zh: `${mark.zh}${place.zh} ${event.zh}`, en: `${mark.en}${event.en} at ${place.en}` };
  const json = JSON.stringify({
    type: 'ketwin.alert',
    identifier,
    sender: context.sender,
    sent,
    status,
    msgType,
    // the message's subject, in both languages: an exercise's begins with its mark
    headline,
    exercise: alert.exercise === true,
    references: references.map((r) => r.identifier),
    alert,
  });
  const capDoc = `cap:${identifier}`;
  const jsonDoc = `json:${identifier}`;
  state.docs[capDoc] = xml;
  state.docs[jsonDoc] = json;
  (state.references[alert.id] ??= []).push({ sender: context.sender, identifier, sent });
  const issued: IssuedCap = { alertId: alert.id, site: alert.site, identifier, sent, msgType, status, headline, capDoc, jsonDoc };
  state.latest[alert.id] = issued;
  return { ...issued, references };
}
