import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { FastifyInstance } from 'fastify';
import { HttpError, HttpErrors } from '../platform/http.errors.js';
import { DASHBOARD_CSS, DASHBOARD_HTML, DASHBOARD_JS } from './dashboard.assets.js';

/**
 * What the page may load: its own scripts, styles and API, nothing inline and nothing from elsewhere
 * (uPlot draws on canvas and sizes its elements through the CSSOM, which a CSP leaves alone).
 */
export const DASHBOARD_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const require = createRequire(import.meta.url);
/** uPlot's two files, resolved from its npm package (fixed names: no request picks a path). */
const UPLOT_JS = require.resolve('uplot/dist/uPlot.iife.min.js');
const UPLOT_CSS = require.resolve('uplot/dist/uPlot.min.css');
// eslint-disable-next-line security/detect-non-literal-fs-filename -- one of the two fixed paths above
const uplotFile = (file: typeof UPLOT_JS | typeof UPLOT_CSS) => readFileSync(file, 'utf8');

/**
 * `GET /dashboard`, a page for staff, analysts and admins (it signs in against the API, which checks
 * the roles), and its assets under `/dashboard/assets/`: its script and stylesheet, and uPlot's, from
 * the npm package, read once at start. No CDN.
 */
export function installDashboardPage(app: FastifyInstance): void {
  const assets: Record<string, { type: string; body: string }> = {
    'dashboard.js': { type: 'text/javascript; charset=utf-8', body: DASHBOARD_JS },
    'dashboard.css': { type: 'text/css; charset=utf-8', body: DASHBOARD_CSS },
    'uplot.js': { type: 'text/javascript; charset=utf-8', body: uplotFile(UPLOT_JS) },
    'uplot.css': { type: 'text/css; charset=utf-8', body: uplotFile(UPLOT_CSS) },
  };
  app.get('/dashboard', { schema: { hide: true } }, async (_request, reply) => {
    reply.type('text/html; charset=utf-8').header('content-security-policy', DASHBOARD_CSP);
    return DASHBOARD_HTML;
  });
  app.get<{ Params: { file: string } }>(
    '/dashboard/assets/:file',
    { schema: { hide: true } },
    async (request, reply) => {
      const asset = Object.hasOwn(assets, request.params.file) ? assets[request.params.file] : undefined;
      if (!asset) throw new HttpError(HttpErrors.routeNotFound, `No dashboard asset ${request.params.file}`);
      reply.type(asset.type).header('content-security-policy', DASHBOARD_CSP);
      return asset.body;
    },
  );
}
