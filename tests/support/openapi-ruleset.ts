/**
 * The Spectral ruleset /openapi.json is linted with in `npm test` (tests/integration/api/openapi-lint.api.test.ts):
 * Spectral's own OpenAPI rules, every one that matters at error level, and Rentlog's rules for what
 * the platform derives for every route (api/http/platform/openapi-route.ts). A route added in a way
 * that skips the platform, or a change to the platform that drops something, fails here by name.
 */
import { Document, Spectral, createRulesetFunction, type RulesetDefinition } from '@stoplight/spectral-core';
import { truthy } from '@stoplight/spectral-functions';
import * as Parsers from '@stoplight/spectral-parsers';
import { oas } from '@stoplight/spectral-rulesets';

const OPERATIONS = '$.paths[*][get,put,post,delete,options,head,patch,trace]';

interface Operation {
  summary?: string;
  security?: Array<Record<string, string[]>>;
  'x-access'?: 'anyone' | 'signed-in' | string[];
  parameters?: Array<{ in: string; name: string }>;
  requestBody?: unknown;
  responses?: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }>;
}

/** The problem statuses every route of a class answers (what the platform's hooks do to it). */
const routeClassStatuses = createRulesetFunction<Operation, null>(
  { input: null, options: null },
  (operation, _, ctx) => {
    const [, url, method] = ctx.path as string[];
    const responses = operation.responses ?? {};
    const headers = (operation.parameters ?? []).filter((p) => p.in === 'header').map((p) => p.name.toLowerCase());
    const access = operation['x-access'];
    const needs: Array<[boolean, number, string]> = [
      [access !== 'anyone', 401, 'it needs a signed-in caller'],
      [Array.isArray(access), 403, 'it needs a role'],
      [url.startsWith('/v1/'), 429, 'every /v1 route is rate limited'],
      [operation.requestBody !== undefined, 400, 'its body is validated'],
      [operation.requestBody !== undefined, 413, 'its body has a size limit'],
      [operation.requestBody !== undefined, 415, 'its body must be JSON'],
      [url.startsWith('/v1/') && method !== 'get', 409, 'it changes state (CONCURRENCY_CONFLICT)'],
      [headers.includes('idempotency-key'), 409, 'it takes Idempotency-Key (IDEMPOTENCY_IN_PROGRESS)'],
      [headers.includes('idempotency-key'), 422, 'it takes Idempotency-Key (IDEMPOTENCY_KEY_REUSED)'],
      [headers.includes('x-min-position'), 503, 'it takes X-Min-Position (READ_MODEL_LAGGING)'],
      [headers.includes('if-match'), 412, 'it takes If-Match'],
    ];
    const missing = needs
      .filter(([applies, status]) => applies && !(String(status) in responses))
      .map(([, status, why]) => ({ message: `${method.toUpperCase()} ${url} must document ${status}: ${why}` }));
    if (url.includes('{') && !('404' in responses) && !('410' in responses))
      missing.push({ message: `${method.toUpperCase()} ${url} must document 404 (or 410): its path names a resource` });
    return missing;
  },
);

/** Every problem answer is `application/problem+json` with the one Problem schema; 2xx/3xx never are. */
const problemShape = createRulesetFunction<Operation, null>({ input: null, options: null }, (operation, _, ctx) => {
  const [, url, method] = ctx.path as string[];
  return Object.entries(operation.responses ?? {}).flatMap(([status, answer]) => {
    const problem = answer.content?.['application/problem+json'];
    const where = `${method.toUpperCase()} ${url} ${status}`;
    if (Number(status) < 400)
      return problem
        ? [{ message: `${where}: a success is not a problem`, path: [...ctx.path, 'responses', status] }]
        : [];
    if (url === '/health/ready' && status === '503') return [];
    if (!problem || Object.keys(answer.content ?? {}).length !== 1)
      return [{ message: `${where} must be application/problem+json only`, path: [...ctx.path, 'responses', status] }];
    if (problem.schema?.$ref !== '#/components/schemas/Problem')
      return [{ message: `${where} must use #/components/schemas/Problem`, path: [...ctx.path, 'responses', status] }];
    return [];
  });
});

/** Who may call is declared, and the security agrees with it (none for open routes, else the bearer scheme). */
const securityMatchesAccess = createRulesetFunction<Operation, null>(
  { input: null, options: null },
  (operation, _, ctx) => {
    const [, url, method] = ctx.path as string[];
    const where = `${method.toUpperCase()} ${url}`;
    const access = operation['x-access'];
    if (access === undefined) return [{ message: `${where} must declare x-access (the route's access config)` }];
    if (!Array.isArray(operation.security)) return [{ message: `${where} must declare security ([] when open)` }];
    const open = operation.security.length === 0;
    if (access === 'anyone' ? !open : !operation.security.some((s) => 'bearer' in s))
      return [
        {
          message: `${where}: security ${JSON.stringify(operation.security)} does not match x-access ${JSON.stringify(access)}`,
        },
      ];
    return [];
  },
);

/** OpenAPI ignores an Authorization header parameter: credentials are security schemes only. */
const noCredentialParameters = createRulesetFunction<{ in: string; name: string }, null>(
  { input: null, options: null },
  (parameter) =>
    parameter.in === 'header' && ['authorization', 'x-api-key'].includes(parameter.name.toLowerCase())
      ? [{ message: `${parameter.name} is a security scheme, not a parameter` }]
      : [],
);

const schemes = createRulesetFunction<
  Record<string, { type?: string; scheme?: string; in?: string; name?: string }>,
  null
>({ input: null, options: null }, (declared) => [
  ...(declared?.bearer?.type === 'http' && declared.bearer.scheme === 'bearer'
    ? []
    : [{ message: 'components.securitySchemes.bearer must be the http bearer scheme (Authorization)' }]),
  ...(declared?.apiKey?.type === 'apiKey' && declared.apiKey.in === 'header' && declared.apiKey.name === 'X-API-Key'
    ? []
    : [{ message: 'components.securitySchemes.apiKey must be the X-API-Key header' }]),
]);

export const rentlogRuleset: RulesetDefinition = {
  extends: [[oas as RulesetDefinition, 'recommended']],
  rules: {
    // Spectral's own, raised to errors: each is something a client generator or Swagger UI trips on.
    'operation-operationId': 'error',
    'operation-operationId-unique': 'error',
    'operation-operationId-valid-in-url': 'error',
    'operation-description': 'error',
    'operation-tags': 'error',
    'operation-tag-defined': 'error',
    'operation-success-response': 'error',
    'operation-parameters': 'error',
    'path-params': 'error',
    'oas3-operation-security-defined': 'error',
    'oas3-valid-media-example': 'error',
    'oas3-valid-schema-example': 'error',
    'oas3-unused-component': 'error',
    'info-description': 'error',
    'tag-description': 'error',
    'typed-enum': 'error',
    'duplicated-entry-in-enum': 'error',
    'no-$ref-siblings': 'error',
    // Not for this API: no contact or licence to publish, and the document is served by the API it
    // describes, so Swagger UI calls the host it came from (no `servers`).
    'info-contact': 'off',
    'oas3-api-servers': 'off',
    'rentlog-operation-summary': {
      description: 'Every operation has a summary (the one line Swagger UI shows)',
      given: OPERATIONS,
      severity: 'error',
      then: { field: 'summary', function: truthy },
    },
    'rentlog-security-matches-access': {
      description: 'Every operation declares who may call it, and its security agrees',
      given: OPERATIONS,
      severity: 'error',
      message: '{{error}}',
      then: { function: securityMatchesAccess },
    },
    'rentlog-route-class-statuses': {
      description: 'Every operation documents the problems its route class can answer',
      given: OPERATIONS,
      severity: 'error',
      message: '{{error}}',
      then: { function: routeClassStatuses },
    },
    'rentlog-problem-shape': {
      description: 'Problems are application/problem+json with the Problem schema',
      given: OPERATIONS,
      severity: 'error',
      message: '{{error}}',
      resolved: false,
      then: { function: problemShape },
    },
    'rentlog-no-credential-parameters': {
      description: 'Authorization and X-API-Key are security schemes, not header parameters',
      given: `${OPERATIONS}.parameters[*]`,
      severity: 'error',
      message: '{{error}}',
      then: { function: noCredentialParameters },
    },
    'rentlog-security-schemes': {
      description: 'The bearer and X-API-Key schemes are declared',
      given: '$.components',
      severity: 'error',
      message: '{{error}}',
      then: { field: 'securitySchemes', function: schemes },
    },
  },
};

export interface LintResult {
  code: string;
  message: string;
  path: string;
  severity: 'error' | 'warning' | 'info' | 'hint';
}

const SEVERITIES = ['error', 'warning', 'info', 'hint'] as const;

/** Spectral's findings on an OpenAPI document, with this ruleset. */
export async function lintOpenApi(document: unknown): Promise<LintResult[]> {
  const spectral = new Spectral();
  spectral.setRuleset(rentlogRuleset);
  const results = await spectral.run(new Document(JSON.stringify(document, null, 2), Parsers.Json, 'openapi.json'));
  return results.map((r) => ({
    code: String(r.code),
    message: r.message,
    path: r.path.join('.'),
    severity: SEVERITIES[r.severity],
  }));
}
