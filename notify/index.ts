// Entry point of notify/ (outbound delivery: CAP 1.2, signed webhooks, escalation).
// Nothing is delivered yet: issue 8 builds it on the alerts the engine raises and db/ stores.
export {};
