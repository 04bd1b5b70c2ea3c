export interface SiteIssue {
  /** dotted path of the offending key, e.g. "points[3].asset" */
  path: string;
  message: string;
  /** 1-based line in the file, when known */
  line?: number;
}

/** A site definition that cannot be used; names the file, the key and why. */
export class SiteDefinitionError extends Error {
  override readonly name = 'SiteDefinitionError';
  constructor(
    readonly code: 'SITE_YAML' | 'SITE_SCHEMA' | 'SITE_READ',
    readonly file: string,
    readonly issues: SiteIssue[],
  ) {
    super(`${file}: invalid site definition\n` + issues.map((i) => `  ${i.path || '(root)'}${i.line ? ` (line ${i.line})` : ''}: ${i.message}`).join('\n'));
  }
}

export function formatPath(path: readonly PropertyKey[]): string {
  return path.map((key, i) => (typeof key === 'number' ? `[${key}]` : `${i === 0 ? '' : '.'}${String(key)}`)).join('');
}
