// What the web app asks of an alert, from the model's one home of it (a plain module: no schema code).
export { awaitingClose } from '../../../../model/results.ts';
