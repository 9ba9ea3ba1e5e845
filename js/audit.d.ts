// Types of the audit trail (audit.js).
import type { Query, Candidate } from './preclass_wasm.js';

/** The hash of "no record before": 64 zeros. */
export const GENESIS: string;

/** What the user decided. */
export interface Decision {
  /** "chosen" (a suggestion), "typed" (a code typed in) or "none" (none of these). */
  kind: 'chosen' | 'typed' | 'none';
  /** The code declared; null for "none". */
  code: string | null;
}

/** A stored record. */
export interface AuditRecord {
  /** 1, 2, 3, ... in the order recorded. */
  seq: number;
  /** ISO 8601 time of the decision. */
  time: string;
  /** SHA-256 of the previous record's line (64 zeros for the first). */
  prev: string;
  /** The inputs. */
  query: Query;
  /** The candidates shown: code, score, confidence and alerts ("scheme code"). */
  candidates: Array<{ code: string; score: number; confidence: number; alerts: string[] }>;
  /** The index used. */
  index: { checksum: string; edition: string; generator: string } | null;
  /** The decision. */
  decision: Decision;
  /** The user's note. */
  note: string;
  /** SHA-256 of this record's line without the hash. */
  hash: string;
  /** The exported line (in list() results). */
  line?: string;
}

/** The outcome of verifying a chain. */
export type Verification =
  | { ok: true; records: number; head: string }
  | { ok: false; record: number; seq?: number; reason: string };

/** The audit log kept in this browser's IndexedDB. */
export interface AuditLog {
  /** Appends a decision, chained to the last record. */
  record(entry: { query: Query; candidates: Candidate[]; index: AuditRecord['index']; decision: Decision; note?: string }): Promise<AuditRecord>;
  /** Records, optionally between two ISO times (inclusive). */
  list(range?: { from?: string; to?: string }): Promise<AuditRecord[]>;
  /** The log as JSON Lines (the verifiable form; `preclass audit verify` reads it). */
  exportJsonl(): Promise<string>;
  /** The log as CSV; its `record` column keeps it verifiable. */
  exportCsv(): Promise<string>;
  /** Verifies the stored chain. */
  verify(): Promise<Verification>;
  /** Replaces the log by an exported one, after verifying it (rejects when it does not verify). */
  importLog(text: string): Promise<Verification>;
  /** Deletes every record. */
  clear(): Promise<void>;
  /** Closes the database. */
  close(): void;
}

/** Opens the audit log stored in this browser. */
export function openAuditLog(options?: { name?: string }): Promise<AuditLog>;
/** Seals a record (with seq and prev) into its exported line. */
export function sealRecord(record: Omit<AuditRecord, 'hash' | 'line'>): Promise<{ line: string; hash: string }>;
/** Verifies record lines in order. */
export function verifyLines(lines: string[]): Promise<Verification>;
/** Minimal CSV (RFC 4180) reader: rows of fields. */
export function parseCsv(text: string, sep?: string): string[][];
/** The record lines of an exported log (JSON Lines or CSV with a `record` column). */
export function logLines(text: string): string[];
