/**
 * package.json's `engines.node` is the oldest Node that every production dependency accepts: it said
 * >=20.11 while the mongodb 7.9 driver needs >=20.19. The lock file records each package's own range.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../support/run-node-script.js';

type Version = [number, number, number];

const parse = (text: string): Version => {
  const [a, b, c] = text.split('.').map((n) => Number.parseInt(n, 10));
  return [a || 0, b || 0, c || 0];
};
const compare = (x: Version, y: Version): number => x[0] - y[0] || x[1] - y[1] || x[2] - y[2];

/** Whether `v` satisfies an npm range of the forms found in the lock file (`>=x.y.z`, `^x.y`, `x.x`, `a || b`, ...). */
function satisfies(v: Version, range: string): boolean {
  return range.split('||').some((alternative) =>
    alternative
      .trim()
      .replace(/([<>=^~]+)\s+/g, '$1')
      .split(/\s+/)
      .filter(Boolean)
      .every((comparator) => {
        const m = /^(>=|<=|>|<|\^|~|=)?v?(\d+|\*)(?:\.(\d+|x|\*))?(?:\.(\d+|x|\*))?$/.exec(comparator);
        if (!m) throw new Error(`range form not understood: ${comparator} in ${range}`);
        const [, op = '', major, minor, patch] = m;
        if (major === '*') return true;
        const wild = (s?: string) => s === undefined || s === 'x' || s === '*';
        const base = parse([major, wild(minor) ? '0' : minor, wild(patch) ? '0' : patch].join('.'));
        const next: Version = wild(minor) ? [base[0] + 1, 0, 0] : wild(patch) ? [base[0], base[1] + 1, 0] : base;
        switch (op) {
          case '>=':
            return compare(v, base) >= 0;
          case '>':
            return compare(v, base) > 0;
          case '<=':
            return compare(v, next) < 0 || compare(v, base) <= 0;
          case '<':
            return compare(v, base) < 0;
          case '^':
            return compare(v, base) >= 0 && v[0] === base[0];
          case '~':
            return compare(v, base) >= 0 && v[0] === base[0] && v[1] === base[1];
          default:
            return compare(v, base) >= 0 && (compare(v, next) < 0 || (!wild(patch) && compare(v, base) === 0));
        }
      }),
  );
}

/**
 * Declared for Node 22, never loaded here: Nest's own copy of file-type, which only its file-upload
 * validators import (lazily); Rentlog's uploads judge types with file-type 21 (Node 20), at the top level.
 */
const NOT_LOADED = new Set(['node_modules/@nestjs/common/node_modules/file-type']);

describe('engines.node', () => {
  const pkg = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as {
    engines: { node: string };
  };
  const lock = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { dev?: boolean; engines?: { node?: string } }>;
  };
  const minimum = parse(/^>=\s*(\d+(?:\.\d+){0,2})$/.exec(pkg.engines.node)![1]);

  it('is a plain minimum that this Node satisfies', () => {
    expect(satisfies(parse(process.versions.node), pkg.engines.node)).toBe(true);
    expect(satisfies([20, 11, 0], '>=20.19.0')).toBe(false);
    expect(satisfies([20, 19, 0], '^20.19.0 || >=22.12.0')).toBe(true);
    expect(satisfies([20, 19, 0], '20.x || 22.x')).toBe(true);
    expect(satisfies([20, 19, 0], '>=16 || 14 >=14.17')).toBe(true);
  });

  it('is accepted by every production dependency in the lock file', () => {
    const refusing = Object.entries(lock.packages)
      .filter(([name, p]) => name !== '' && !p.dev && p.engines?.node && !NOT_LOADED.has(name))
      .filter(([, p]) => !satisfies(minimum, p.engines!.node!))
      .map(([name, p]) => `${name} wants ${p.engines!.node}`);
    expect(refusing).toEqual([]);
  });
});
