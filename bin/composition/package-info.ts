import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface PackageInfo {
  name: string;
  version: string;
}

/**
 * Rentlog's name and version from its package.json: the nearest one above this file, which is the
 * project's both from the sources (bin/composition/) and from the build (dist/bin/composition/).
 */
export function packageInfo(from: string = fileURLToPath(import.meta.url)): PackageInfo {
  for (let dir = path.dirname(from); ; dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (existsSync(file)) {
      const { name, version } = JSON.parse(readFileSync(file, 'utf8')) as Partial<PackageInfo>;
      return { name: name ?? 'rentlog', version: version ?? '0.0.0' };
    }
    if (path.dirname(dir) === dir) return { name: 'rentlog', version: '0.0.0' };
  }
}
