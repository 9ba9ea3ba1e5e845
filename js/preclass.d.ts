// Types of the preclass facade. Result and query types are written once, in
// the wasm module (src/wasm.rs), and re-exported here.
import type { Query, ClassifyOptions, Classification, Lookup, IndexInfo } from './preclass_wasm.js';
export type { Query, ClassifyOptions, Classification, Candidate, PathStep, Evidence, Question, Answer, Alert, Lookup, IndexInfo } from './preclass_wasm.js';

/** Options of `load`. Unknown options are rejected with the list of allowed ones. */
export interface LoadOptions {
  /** URL (or, in Node, a file path) of an index built by `preclass build-index`,
   *  e.g. `index.<hash>.pcx`. Default: the index embedded in the module. */
  indexUrl?: string | URL;
  /** An index already in memory. Takes precedence over `indexUrl`. */
  indexBytes?: Uint8Array | ArrayBuffer;
  /** Run the classifier in a Web Worker so typing never blocks the page. */
  worker?: boolean;
  /** Where `preclass_wasm_bg.wasm` is served, if not next to this file. */
  wasmUrl?: string | URL;
}

/** A loaded classifier. */
export interface Preclass {
  /** Ranked HS codes for a description string or a query object. Rejects with an
   *  `Error` for an empty or oversized query or unknown fields. */
  classify(query: Query | string, options?: ClassifyOptions): Promise<Classification>;
  /** Path, text and children of a code; rejects with the reason when invalid. */
  lookup(code: string): Promise<Lookup>;
  /** What the loaded index says about itself. */
  info(): Promise<IndexInfo>;
  /** One JSON Lines answer, as `preclass classify --jsonl` writes it (not in worker mode). */
  answerJsonLine?(line: Uint8Array, lineNo: number, top?: number): string;
  /** Frees the index (and ends the worker). */
  destroy(): void;
}

/** Loads the module and an index. Rejects with a clear `Error` when the index is
 *  not an index, was written by an incompatible version, or is corrupt. */
export function load(options?: LoadOptions): Promise<Preclass>;

/** The module's generator label and the index format version it reads. */
export function moduleInfo(options?: Pick<LoadOptions, 'wasmUrl'>): Promise<{ generator: string; formatVersion: number }>;
