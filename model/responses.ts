/** What a rescue team reports on an incident, in the order it usually comes: the one home of these words. */
export const RESPONSE_STATUSES = ['acknowledged', 'en-route', 'on-scene'] as const;
export type ResponseStatus = (typeof RESPONSE_STATUSES)[number];

export function isResponseStatus(value: unknown): value is ResponseStatus {
  return (RESPONSE_STATUSES as readonly unknown[]).includes(value);
}
