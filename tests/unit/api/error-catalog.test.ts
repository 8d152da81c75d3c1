/**
 * One error catalog (after Fastify's test/internals/errors.test.js): every code is declared once, in a
 * `*.errors.ts` module (or the HTTP layer's http.errors.ts); the catalog gives each its status and
 * title; nothing throws a code written inline; and docs/errors.md (generated from the catalog) lists
 * exactly the catalog.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { errorCodeGroups } from '../../../application/shared/error-codes.js';
import { errorCatalog } from '../../../api/http/platform/error-catalog.js';
import { HttpErrors } from '../../../api/http/platform/http.errors.js';
import { ERRORS_DOC, errorsDoc } from '../../../scripts/errors-doc.js';
import { PROJECT_ROOT } from '../../support/run-node-script.js';

const declared = new Map<string, string>(); // code -> where
for (const [group, codes] of Object.entries({ ...errorCodeGroups, HttpErrors })) {
  for (const [name, code] of Object.entries(codes)) {
    expect(declared.has(code) ? `${code} declared twice (${declared.get(code)} and ${group}.${name})` : '').toBe('');
    declared.set(code, `${group}.${name}`);
  }
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) return sources(full);
    return full.endsWith('.ts') ? [full] : [];
  });
}
const productCode = ['domain', 'application', 'infrastructure', 'projections', 'api', 'bin'].flatMap((d) =>
  sources(path.join(PROJECT_ROOT, d)),
);
const declaring = (file: string) => file.endsWith('.errors.ts') || file.endsWith('error-catalog.ts');

describe('the error catalog', () => {
  it('has an entry for every declared code and no other, each with a 4xx/5xx status and a title', () => {
    expect(Object.keys(errorCatalog).sort()).toEqual([...declared.keys()].sort());
    for (const [code, entry] of Object.entries(errorCatalog)) {
      expect(code).toMatch(/^[A-Z][A-Z0-9_]*$/);
      expect(entry.status).toBeGreaterThanOrEqual(400);
      expect(entry.status).toBeLessThan(600);
      expect(entry.title.length).toBeGreaterThan(5);
    }
  });

  it('is the only source of codes: no code is written inline outside the module that declares it', () => {
    const inline: string[] = [];
    for (const file of productCode.filter((f) => !declaring(f))) {
      const text = readFileSync(file, 'utf8');
      for (const [literal] of text.matchAll(/'[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+'/g)) {
        if (declared.has(literal.slice(1, -1))) inline.push(`${path.relative(PROJECT_ROOT, file)}: ${literal}`);
      }
      for (const [call] of text.matchAll(/new [A-Z]\w*Error\(\s*['`][A-Z_]+['`]/g))
        inline.push(`${path.relative(PROJECT_ROOT, file)}: ${call}`);
    }
    expect(inline).toEqual([]);
  });

  it('knows every code the source throws: each `<Group>Errors.<name>` names a declared code', () => {
    const groups: Record<string, Record<string, string>> = { ...errorCodeGroups, HttpErrors };
    const unknown: string[] = [];
    for (const file of productCode) {
      for (const [, group, name] of readFileSync(file, 'utf8').matchAll(/\b([A-Z]\w*Errors)\.(\w+)/g)) {
        if (!groups[group]?.[name]) unknown.push(`${path.relative(PROJECT_ROOT, file)}: ${group}.${name}`);
      }
    }
    expect(unknown).toEqual([]);
  });

  it('is what docs/errors.md lists, code for code and status for status, and the other way round', () => {
    const doc = readFileSync(ERRORS_DOC, 'utf8');
    const rows = [...doc.matchAll(/^\| `([A-Z0-9_]+)` \| (\d{3}) \|/gm)].map(
      ([, code, status]) => [code, Number(status)] as const,
    );
    expect(rows.length).toBe(Object.keys(errorCatalog).length);
    expect(Object.fromEntries(rows)).toEqual(
      Object.fromEntries(Object.entries(errorCatalog).map(([code, e]) => [code, e.status])),
    );
  });

  it('docs/errors.md is exactly what `npm run docs:errors` generates from the catalog (run it after a change)', () => {
    expect(readFileSync(ERRORS_DOC, 'utf8')).toBe(errorsDoc());
  });

  it('the README says where the codes are', () => {
    const readme = readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8');
    expect(readme.slice(readme.indexOf('## Error codes'))).toMatch(/\(docs\/errors\.md\)/);
  });
});
