export type NotifyErrorCode =
  | 'INVALID_SUBSCRIBERS' // a subscribers file or list that does not validate
  | 'MISSING_SECRET' // a subscriber's secretEnv names an unset environment variable
  | 'DUPLICATE_SUBSCRIBER' // two subscribers (file or site contacts) share an id
  | 'INVALID_OPTIONS' // createNotifier options that cannot work
  | 'JOURNAL_FAILED'; // the delivery journal could not be read or written

export class NotifyError extends Error {
  readonly code: NotifyErrorCode;
  constructor(code: NotifyErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'NotifyError';
    this.code = code;
  }
}
