import type { FastifyInstance } from 'fastify';

/** The pages a person or a client may want first, each listed when the app serves it. */
const CANDIDATES = {
  docs: '/docs',
  openapi: '/openapi.json',
  dashboard: '/dashboard',
  health: '/health/ready',
} as const;

export const indexSchema = {
  tags: ['platform'],
  summary: 'What this is, and where to go next',
  response: {
    200: {
      type: 'object',
      required: ['name', 'version', 'links'],
      properties: {
        name: { type: 'string' },
        description: { type: 'string' },
        version: { type: 'string' },
        links: {
          type: 'object',
          description: 'Only the pages this deployment serves',
          properties: Object.fromEntries(Object.keys(CANDIDATES).map((k) => [k, { type: 'string' }])),
        },
      },
    },
  },
} as const;

/**
 * `GET /`: what a person opens first in a browser. A small JSON index (name, version, links to the
 * docs, the OpenAPI document, the dashboard when there is one, readiness) instead of a 404. The links
 * are taken from the routes the app has, once it is ready.
 */
export function installIndex(app: FastifyInstance, info: { version: string }): void {
  let links: Record<string, string> | undefined;
  app.get('/', { schema: indexSchema }, async () => {
    links ??= Object.fromEntries(Object.entries(CANDIDATES).filter(([, url]) => app.hasRoute({ method: 'GET', url })));
    return {
      name: 'Rentlog',
      description: 'Event-sourced rental management: catalog, customers, orders, payments, audit',
      version: info.version,
      links,
    };
  });
}
