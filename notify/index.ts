// Entry point of notify/: outbound delivery to rescue teams and emergency platforms.
export { createNotifier, type Notifier, type NotifierOptions, type NotifyStore, type NotifySite } from './notifier.ts';
export { NotifyError, type NotifyErrorCode } from './errors.ts';
export { systemClock, createManualClock, type NotifyClock, type ManualClock } from './clock.ts';
export {
  verifySignature,
  signatureOf,
  signHeaders,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  IDEMPOTENCY_HEADER,
  SUBSCRIBER_ID_HEADER,
  DEFAULT_TOLERANCE_S,
  type SignatureCheck,
  type VerifyInput,
  type SignedFor,
} from './webhook/signature.ts';
export { loadSubscribers, parseSubscribers, subscriberSchema, type SubscriberConfig } from './webhook/subscribers.ts';
export { DEFAULT_RETRY, type RetryPolicy } from './webhook/retry.ts';
export { DELIVERY_ATTEMPT_HEADER, SUBSCRIBER_HEADER, type SubscriberStatus } from './webhook/subscriber-worker.ts';
export { buildCapDocument, capStatus, CAP_NAMESPACE, CAP_MEDIA_TYPE, type CapDocumentInput, type CapMsgType, type CapStatus, type CapReference } from './cap/cap-document.ts';
export { capIdentifier, DEFAULT_AGENCY_CODE, DEFAULT_REGION_CODE } from './cap/identifier.ts';
export { buildAtomFeed, type FeedEntry } from './cap/atom-feed.ts';
export type { CapFeedRequest } from './cap/feed.ts';
export type { EscalationState } from './journal.ts';
