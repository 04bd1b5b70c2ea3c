/**
 * A drill, siren test, inspection or certificate recorded through ketwin (versioned, hashed), as the standard's
 * evidence clauses read it. model's EvidenceRecord is the same kind of fact as a site file states it.
 */
export interface RecordedEvidence {
  site: string;
  /** drill, siren-test, inspection, certificate, … */
  kind: string;
  /** an asset id, or the site id for site-wide records */
  subject: string;
  doneAt: number;
  by: string;
  validUntil?: number;
  /** an attachment: file name, document number or URL */
  reference?: string;
  notes?: string;
  /** the drill or test met its goals; true when left out */
  passed?: boolean;
  /** figures recorded (a valve's stroke seconds, a day's online rate); none when left out */
  values?: Record<string, number>;
  /** set by the store: 1 for the first upload under (site, kind, subject, doneAt), then 2, 3, … */
  version?: number;
  /** who uploaded this version (a user name), and when */
  recordedBy?: string;
  recordedAt?: number;
  /** set by the store: sha256 (hex) of the record's content (evidenceHash) */
  hash?: string;
}

/** Evidence records entered through ketwin, append-only: a correction is the record's next version. */
export interface EvidenceStore {
  /**
   * Append-only: a record under an existing (site, kind, subject, doneAt) becomes its next version
   * (the same content again is not a new version). Returns the records as stored, with version and hash.
   */
  writeEvidence(records: readonly RecordedEvidence[]): Promise<RecordedEvidence[]>;
  /** The latest version of each record of a site (optionally of one kind / subject) done at or before `asOf`, newest first. */
  evidence(site: string, filter?: { kind?: string; subject?: string; asOf?: number }): Promise<RecordedEvidence[]>;
  /** Every version of one record, oldest first. */
  evidenceVersions(site: string, kind: string, subject: string, doneAt: number): Promise<RecordedEvidence[]>;
}
