/**
 * The ESLint config of `npm test` (eslint.config.js) carries eslint-plugin-security's rules as errors:
 * code with each kind of finding, linted as if it were a file of the project, fails.
 */
import path from 'node:path';
import { ESLint } from 'eslint';

const root = path.resolve(import.meta.dirname, '../../..');
const eslint = new ESLint({ cwd: root });

async function findings(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return result.messages.filter((m) => m.severity === 2).map((m) => m.ruleId ?? m.message);
}

it.each([
  ['application/shared/example.ts', 'export const run = (code: string) => eval(code);', 'detect-eval-with-expression'],
  ['application/shared/example.ts', 'export const pattern = /^(a+)+$/;', 'detect-unsafe-regex'],
  [
    'infrastructure/example.ts',
    'export const pattern = (text: string) => new RegExp(text);',
    'detect-non-literal-regexp',
  ],
  [
    'infrastructure/example.ts',
    "import crypto from 'node:crypto';\nexport const bytes = () => crypto.pseudoRandomBytes(16);",
    'detect-pseudoRandomBytes',
  ],
  [
    'api/http/platform/example.ts',
    "import { readFileSync } from 'node:fs';\nexport const read = (name: string) => readFileSync(name);",
    'detect-non-literal-fs-filename',
  ],
  ['bin/example.ts', 'export const load = (name: string) => require(name) as unknown;', 'detect-non-literal-require'],
  ['api/http/platform/example.ts', 'export const text = "admin\u202e";', 'detect-bidi-characters'],
])('%s: %s fails with security/%s', async (file, code, rule) => {
  expect(await findings(file, code)).toContain(`security/${rule}`);
});

it('passes the same file without the finding', async () => {
  expect(await findings('application/shared/example.ts', 'export const pattern = /^a+$/;')).toEqual([]);
});
