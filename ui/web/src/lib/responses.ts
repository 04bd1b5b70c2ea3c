// The rescue teams' report words, from their one home (model/responses.ts: a plain module, no schema code).
export { RESPONSE_STATUSES, isResponseStatus, type ResponseStatus } from '../../../../model/responses.ts';
