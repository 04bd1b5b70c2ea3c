export const USAGE = `usage: ketwin [start [--scenario <name>]] | edge | central [--sites <id,...>] | check [site.yaml ...] | audit head | audit verify [--head FILE] | report verify FILE [--sig FILE.sig] [--key PUBLIC.pem] | user add <name> <role> <site,...|*>
  | user unlock|disable|enable|remove <name> | user role <name> <role> <site,...|*>`;
