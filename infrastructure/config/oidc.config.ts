import { Ajv } from 'ajv';
import { ConfigError } from './config-error.js';

/** One OpenID provider users may sign in with, as configured. */
export interface OidcProviderConfig {
  /** Its name in the routes, `/v1/auth/oidc/<name>/start`. */
  name: string;
  /** Its Issuer Identifier: discovery reads `<issuer>/.well-known/openid-configuration`. */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The scopes asked for, space-separated; `openid` among them. */
  scopes: string;
}

export const OIDC_PROVIDER_NAME = '[a-z][a-z0-9]{0,31}';

/** The variables of one provider: `OIDC_<NAME>_ISSUER` and so on. */
const providerSchema = {
  type: 'object',
  required: ['ISSUER', 'CLIENT_ID', 'CLIENT_SECRET'],
  properties: {
    ISSUER: { type: 'string', pattern: '^https?://[^\\s?#]+$' },
    CLIENT_ID: { type: 'string', minLength: 1, maxLength: 512 },
    CLIENT_SECRET: { type: 'string', minLength: 1, maxLength: 4096 },
    SCOPES: { type: 'string', pattern: '^(\\S+ )*\\S+$', default: 'openid email profile' },
  },
} as const;

const FIELDS = Object.keys(providerSchema.properties) as Array<keyof typeof providerSchema.properties>;
const validate = new Ajv({ useDefaults: true, allErrors: false }).compile<Record<string, string>>(providerSchema);

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * The providers OIDC_PROVIDERS names (already checked against OIDC_PROVIDER_NAME), each from its
 * `OIDC_<NAME>_*` variables. An issuer is https, or http on a loopback address outside production (a
 * provider on the same machine, as in the tests). A client secret is never echoed.
 */
export function loadOidcProviders(
  names: string | undefined,
  env: NodeJS.ProcessEnv,
  production: boolean,
): OidcProviderConfig[] {
  const listed = names ? names.split(',') : [];
  if (new Set(listed).size !== listed.length)
    throw new ConfigError(`Invalid configuration: OIDC_PROVIDERS=${JSON.stringify(names)} names a provider twice`);
  return listed.map((name) => {
    const variable = (field: string) => `OIDC_${name.toUpperCase()}_${field}`;
    const values: Record<string, string> = {};
    for (const field of FIELDS) {
      const raw = env[variable(field)];
      if (raw !== undefined && raw !== '') values[field] = raw;
    }
    if (!validate(values)) {
      const error = validate.errors![0];
      const missing = error.params.missingProperty as string | undefined;
      if (missing)
        throw new ConfigError(`Invalid configuration: ${variable(missing)} must be set (OIDC_PROVIDERS names ${name})`);
      const field = error.instancePath.replace(/^\//, '');
      const shown = field === 'CLIENT_SECRET' ? '(hidden)' : JSON.stringify(values[field]);
      throw new ConfigError(`Invalid configuration: ${variable(field)}=${shown} ${error.message ?? 'is not valid'}`);
    }
    const issuer = new URL(values.ISSUER);
    if (issuer.protocol === 'http:' && (production || !LOOPBACK.has(issuer.hostname))) {
      throw new ConfigError(
        `Invalid configuration: ${variable('ISSUER')}=${JSON.stringify(values.ISSUER)} must be https (http only on a loopback address outside production)`,
      );
    }
    if (!values.SCOPES.split(' ').includes('openid')) {
      throw new ConfigError(
        `Invalid configuration: ${variable('SCOPES')}=${JSON.stringify(values.SCOPES)} must include openid`,
      );
    }
    return {
      name,
      issuer: values.ISSUER,
      clientId: values.CLIENT_ID,
      clientSecret: values.CLIENT_SECRET,
      scopes: values.SCOPES,
    };
  });
}
