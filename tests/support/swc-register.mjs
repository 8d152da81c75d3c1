/**
 * Lets plain Node (20+) run the project's TypeScript, e.g. for child processes and end-to-end tests:
 *   node --import ./tests/support/swc-register.mjs path/to/script.ts
 * See swc-loader.mjs for what the hooks do.
 */
import { register } from 'node:module';

register('./swc-loader.mjs', import.meta.url);
