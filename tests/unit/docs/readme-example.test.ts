import { readFileSync } from 'node:fs';
import path from 'node:path';
import { allProjections } from '../../../projections/index.js';
import { weekdayDemandProjection } from '../../../projections/report/weekday-demand.projection.js';
import { PROJECT_ROOT } from '../../support/run-node-script.js';

/** The README's worked example of an analyst's projection is the file that ships, registered once. */
it('shows projections/report/weekday-demand.projection.ts as it is, and the file is registered', () => {
  const readme = readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8');
  const marker = '<!-- example: projections/report/weekday-demand.projection.ts -->';
  const block = /```ts\n([\s\S]*?)\n\s*```/.exec(readme.slice(readme.indexOf(marker)))![1];
  const shown = block
    .split('\n')
    .map((line) => line.replace(/^ {3}/, ''))
    .join('\n');
  const file = readFileSync(path.join(PROJECT_ROOT, 'projections/report/weekday-demand.projection.ts'), 'utf8');
  expect(readme).toContain(marker);
  expect(`${shown}\n`).toBe(file);
  expect(allProjections({ shopTimeZone: 'UTC' })).toContain(weekdayDemandProjection);
});
