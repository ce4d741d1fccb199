/**
 * Search for queries shorter than three characters. SQLite FTS5's trigram tokenizer and pg_trgm
 * cannot match a one- or two-character term (故障, 断网, 网, "5G"), yet those are the commonest
 * Chinese searches. So tickets get a second index: every distinct 1- and 2-character substring of
 * their normalised searchable text (no whitespace inside), stored as a posting list per token
 * (SQLite: FTS5 table `ticket_short`; PostgreSQL: `ticket_search.tokens` under GIN). A short term is then one exact token lookup, with neither
 * false negatives nor false positives against a plain substring test of the normalised text.
 *
 * Size: distinct unigrams + distinct bigrams per ticket, about twice the text length at most; a
 * 2,000-character description gives at most ~4,000 rows. Terms of 3+ characters keep using the
 * trigram index; a query mixing both is the intersection of its terms.
 */

/** NFKC (full-width letters and digits become ASCII) then lower case; the index and queries share it. */
export function normaliseForSearch(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

const SPACE = /\s/u;

/** The distinct 1- and 2-code-point tokens of a text, for the short-token index. */
export function shortTokens(text: string): string[] {
  const chars = Array.from(normaliseForSearch(text));
  const out = new Set<string>();
  for (let i = 0; i < chars.length; i++) {
    const a = chars[i]!;
    if (SPACE.test(a)) continue;
    out.add(a);
    const b = chars[i + 1];
    if (b !== undefined && !SPACE.test(b)) out.add(a + b);
  }
  return [...out];
}

/**
 * A short token as one ASCII word for SQLite's FTS5 `ascii` tokenizer (table `ticket_short`):
 * the hexadecimal code points joined by `x` ("故障" → "6545x969c"). Injective, and free of the
 * characters FTS5 treats as separators or query syntax.
 */
export function encodeShortToken(token: string): string {
  return Array.from(token, (c) => c.codePointAt(0)!.toString(16)).join('x');
}

export type SearchTerm =
  | { readonly kind: 'trigram'; readonly text: string }
  | { readonly kind: 'token'; readonly token: string };

export interface SearchPlan {
  /** Every term must match (AND); empty means the query had nothing to search for. */
  readonly terms: readonly SearchTerm[];
}

/** Terms of a query longer than this many characters are refused as abuse. */
export const MAX_QUERY_LENGTH = 200;

/**
 * Splits a query on whitespace into terms: 3+ characters go to the trigram index, 1–2 characters
 * to the token table. Duplicate terms are dropped.
 */
export function planSearch(query: string): SearchPlan {
  const seen = new Set<string>();
  const terms: SearchTerm[] = [];
  for (const raw of normaliseForSearch(query.slice(0, MAX_QUERY_LENGTH)).split(/\s+/u)) {
    if (!raw || seen.has(raw)) continue;
    seen.add(raw);
    terms.push(
      Array.from(raw).length >= 3 ? { kind: 'trigram', text: raw } : { kind: 'token', token: raw },
    );
  }
  return { terms };
}

/**
 * What the store's query means, for tests and for the in-memory fallback: a document matches when
 * every term is found — token terms in its token set, trigram terms as substrings.
 */
export function matchesPlan(plan: SearchPlan, text: string, tokens: ReadonlySet<string>): boolean {
  const norm = normaliseForSearch(text);
  return plan.terms.every((t) =>
    t.kind === 'token' ? tokens.has(t.token) : norm.includes(t.text),
  );
}
