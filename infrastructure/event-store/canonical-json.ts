/**
 * Canonical JSON of a JSON value, as RFC 8785 (JCS) orders it: object keys sorted by UTF-16 code units,
 * no whitespace, strings and numbers as ECMAScript's JSON.stringify writes them. It differs from JCS
 * only where JCS refuses and JSON.stringify does not: a lone surrogate in a string (written escaped, as
 * JSON.stringify does), NaN and Infinity (null), undefined members (left out). The event store keeps
 * what JSON.stringify writes, so what is hashed is what a reader can hash again. (The `canonicalize`
 * package throws on lone surrogates, which a client can send in any string field, and its releases
 * that are still fixed need Node 22.)
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function')
    return canonicalJson((value as { toJSON(): unknown }).toJSON());
  if (Array.isArray(value))
    return `[${value.map((v) => (v === undefined || typeof v === 'function' ? 'null' : canonicalJson(v))).join(',')}]`;
  const members: string[] = [];
  for (const key of Object.keys(value).sort()) {
    const member = (value as Record<string, unknown>)[key];
    if (member === undefined || typeof member === 'function' || typeof member === 'symbol') continue;
    members.push(`${JSON.stringify(key)}:${canonicalJson(member)}`);
  }
  return `{${members.join(',')}}`;
}
