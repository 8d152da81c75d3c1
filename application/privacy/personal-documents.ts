import type { Doc } from '../ports/read-store.port.js';

/**
 * Which fields of a read model's documents are personal data: the read store keeps them encrypted
 * under the data subject's key (infrastructure/read-store/sealed.read-store.ts) and opens them when a
 * document is read, so projections and queries see plain values and the files never hold them.
 * A sealed field cannot be filtered or sorted on; `blind` derives keyed hashes to find documents by.
 */
export interface PersonalDocFields {
  /** The data subject of a document (`customer:<id>`, `user:<id>`); null: the document holds none. */
  subject(doc: Doc): string | null;
  /** Paths (dotted, `[]` for every element of an array) of the personal values. */
  sealed: readonly string[];
  /** Keyed hashes of personal values: `into` gets the hash of `from` (each word of it, with `words`). */
  blind?: ReadonlyArray<{ into: string; from: string; purpose: string; words?: boolean }>;
}

/** Words of a name or a search, as the blind index keys them: lower-cased, split on anything not a letter or digit. */
export const wordsOf = (text: string): string[] => [
  ...new Set(
    text
      .normalize('NFKC')
      .toLowerCase()
      .split(/[^\p{L}\p{N}]+/u)
      .filter(Boolean),
  ),
];
