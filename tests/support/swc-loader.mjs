/**
 * Node ESM loader hooks (registered by swc-register.mjs):
 * - resolve: a path import `./x.js` (relative, absolute or file:) that does not exist resolves to
 *   `./x.ts` (the NodeNext convention the sources use);
 * - load: `.ts` files are compiled with @swc/core, with the same options as jest.config.js
 *   (legacy decorators + decorator metadata, es2022, ES modules).
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { transformSync } from '@swc/core';

const SWC_OPTIONS = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
    target: 'es2022',
    keepClassNames: true,
  },
  module: { type: 'es6' },
  sourceMaps: 'inline',
  swcrc: false,
};

export async function resolve(specifier, context, nextResolve) {
  try {
    return await nextResolve(specifier, context);
  } catch (error) {
    const pathLike = /^(\.{1,2}\/|\/|file:)/.test(specifier);
    if (error?.code === 'ERR_MODULE_NOT_FOUND' && pathLike && specifier.endsWith('.js')) {
      const candidate = new URL(`${specifier.slice(0, -3)}.ts`, context.parentURL ?? `file://${process.cwd()}/`);
      if (candidate.protocol === 'file:' && existsSync(fileURLToPath(candidate))) {
        return { url: candidate.href, format: 'module', shortCircuit: true };
      }
    }
    throw error;
  }
}

export async function load(url, context, nextLoad) {
  if (url.startsWith('file:') && (url.endsWith('.ts') || url.endsWith('.mts'))) {
    const filename = fileURLToPath(url);
    const source = await readFile(filename, 'utf8');
    const { code } = transformSync(source, { ...SWC_OPTIONS, filename });
    return { format: 'module', source: code, shortCircuit: true };
  }
  return nextLoad(url, context);
}
