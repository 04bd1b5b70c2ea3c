/** A site's daily safety commitment (安全承诺), as signed. */
export interface SafetyCommitment {
  site: string;
  /** the site's local date, YYYY-MM-DD */
  day: string;
  /** the user who signed */
  signedBy: string;
  signedAt: number;
  /** declares every major hazard of the site normal */
  allNormal: boolean;
  /** the signer's own words */
  statement: string;
  /** the live facts the form was filled from (open incidents, stale safety points, overdue duties, lightning) */
  facts: Record<string, unknown>;
}

/** Daily safety commitments: one per site and local day, never changed once signed. */
export interface CommitmentStore {
  /** Stores the commitment; undefined (nothing stored) when the site's day is signed already. */
  signCommitment(commitment: SafetyCommitment): Promise<SafetyCommitment | undefined>;
  /** The commitments signed for `day` (of the given sites, or every site), by site. */
  commitmentsOn(day: string, sites?: readonly string[]): Promise<SafetyCommitment[]>;
  /** A site's commitments, newest day first, at most `limit`. */
  siteCommitments(site: string, limit: number): Promise<SafetyCommitment[]>;
}
