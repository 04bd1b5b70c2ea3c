export type StandardErrorCode = 'STANDARD_READ' | 'STANDARD_YAML' | 'STANDARD_SCHEMA' | 'STANDARD_DUPLICATE' | 'STANDARD_REFERENCE' | 'STANDARD_EXPRESSION' | 'STANDARD_TEMPLATE';

export interface StandardIssue {
  code: StandardErrorCode;
  /** the clause the mistake is in, when it is in one */
  clause?: string;
  /** path of the offending key, e.g. "clauses[2].expression" */
  field: string;
  message: string;
  /** 1-based line in the file, when known */
  line?: number;
}

/** A standard file that cannot be used; names the file, the clause, the field and why. */
export class StandardError extends Error {
  override readonly name = 'StandardError';
  /** the code of the first issue */
  readonly code: StandardErrorCode;
  constructor(
    readonly file: string,
    readonly issues: StandardIssue[],
  ) {
    super(
      `${file}: invalid standard\n` +
        issues.map((i) => `  ${i.clause ? `clause ${i.clause}, ` : ''}${i.field || '(root)'}${i.line ? ` (line ${i.line})` : ''}: ${i.message}`).join('\n'),
    );
    this.code = issues[0]?.code ?? 'STANDARD_SCHEMA';
  }
}
