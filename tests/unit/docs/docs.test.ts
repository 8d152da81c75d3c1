/**
 * The documentation stands on its own and stays true to the code: README.md and docs/*.md link only
 * to files inside the repository, every repository path they name exists, and the configuration
 * table of docs/operations.md (and .env.example) names every variable Rentlog reads.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { CONFIG_VARIABLES } from '../../../infrastructure/config/config.js';
import { PROJECT_ROOT } from '../../support/run-node-script.js';

const DOCS = ['README.md', ...readdirSync(path.join(PROJECT_ROOT, 'docs')).map((f) => `docs/${f}`)].filter((f) =>
  f.endsWith('.md'),
);
const read = (file: string) => readFileSync(path.join(PROJECT_ROOT, file), 'utf8');

describe('the documentation', () => {
  it('is README.md and the five pages of docs/', () => {
    expect(DOCS.sort()).toEqual([
      'README.md',
      'docs/api.md',
      'docs/architecture.md',
      'docs/errors.md',
      'docs/operations.md',
      'docs/performance.md',
    ]);
  });

  it.each(DOCS)('%s links only to files inside the repository, and they exist', (file) => {
    const broken: string[] = [];
    for (const [, target] of read(file).matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^(https?:|mailto:|#)/.test(target)) continue;
      const resolved = path.resolve(path.dirname(path.join(PROJECT_ROOT, file)), target.split('#')[0]);
      if (!resolved.startsWith(PROJECT_ROOT) || !existsSync(resolved)) broken.push(target);
    }
    expect(broken).toEqual([]);
    expect(read(file)).not.toMatch(/\.\.\/shared/);
  });

  it.each(DOCS)('%s names only repository paths that exist', (file) => {
    const missing: string[] = [];
    const tops = 'domain|application|infrastructure|projections|api|bin|tests|bench|scripts|docs|\\.ci|\\.github';
    for (const [, name] of read(file).matchAll(new RegExp(`\`((?:${tops})/[A-Za-z0-9._/-]+)\``, 'g')))
      if (!existsSync(path.join(PROJECT_ROOT, name))) missing.push(name);
    expect(missing).toEqual([]);
  });

  it('docs/operations.md and .env.example name every variable Rentlog reads', () => {
    const ops = read('docs/operations.md');
    const table = ops.slice(ops.indexOf('## Configuration'), ops.indexOf('## Logs'));
    const env = read('.env.example');
    expect(CONFIG_VARIABLES.length).toBeGreaterThan(30);
    expect(CONFIG_VARIABLES.filter((v) => !table.includes(`\`${v}\``))).toEqual([]);
    expect(CONFIG_VARIABLES.filter((v) => !new RegExp(`^#? ?${v}=`, 'm').test(env))).toEqual([]);
  });
});
