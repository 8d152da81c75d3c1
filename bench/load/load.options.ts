/** The load tool's command line: `npm run load -- [url] [--duration 60s] [--users 32] [--ramp 10s] ...`. */

export interface LoadOptions {
  /** The running server, without a trailing slash. */
  url: string;
  durationMs: number;
  users: number;
  /** Virtual users start evenly spread over this many milliseconds (0: all at once). */
  rampMs: number;
  /** Mean pause between one user's tasks (uniform between half and one and a half of it); 0 for none. */
  thinkMs: number;
  /** Products the tool registers for its run (one of them scarce, so that availability conflicts occur). */
  products: number;
  /** Where the JSON and HTML reports go. */
  outDir: string;
  adminEmail: string;
  adminPassword: string;
  currency: string;
  /** Seconds between samples of the projections' lag. */
  lagIntervalMs: number;
  /** How long one request may take before it counts as a network error. */
  timeoutMs: number;
}

export const USAGE = `npm run load -- [url] [options]

  url                   the running server (or LOAD_URL; default http://127.0.0.1:3000)
  --duration 60s        how long the mix runs (ms, s or m; a bare number is seconds)
  --users 32            virtual users, each a customer account of its own
  --ramp 0s             start the users evenly over this time
  --think 0ms           mean pause between one user's tasks (0: as fast as answers come)
  --products 12         products registered for the run (one of them scarce)
  --out reports/load    where <timestamp>.json and <timestamp>.html are written
  --lag-interval 1s     how often the projections' lag is sampled (GET /v1/projections)
  --timeout 10s         a request without an answer by then counts as a network error
  --admin-email, --admin-password   the admin the tool signs in as (or LOAD_ADMIN_EMAIL and
                        LOAD_ADMIN_PASSWORD, else ADMIN_EMAIL and ADMIN_PASSWORD, as the server takes them)
  --currency EUR        the deployment's currency (or LOAD_CURRENCY, else CURRENCY)`;

/** "60s", "1.5m", "500ms" or a bare number of seconds, in milliseconds. */
export function parseDuration(text: string, flag: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(text.trim());
  if (!match) throw new Error(`${flag}: "${text}" is not a duration (such as 500ms, 30s, 2m)`);
  const value = Number(match[1]);
  const unit = match[2] ?? 's';
  return Math.round(unit === 'ms' ? value : unit === 's' ? value * 1000 : value * 60_000);
}

function positiveInteger(text: string, flag: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${flag}: "${text}" is not a whole number above 0`);
  return value;
}

export function parseOptions(argv: string[], env: NodeJS.ProcessEnv): LoadOptions | 'help' {
  const flags = new Map<string, string>();
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') return 'help';
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(2, eq) : arg.slice(2);
    const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined) throw new Error(`--${name} needs a value`);
    flags.set(name, value);
  }
  const known = [
    'duration',
    'users',
    'ramp',
    'think',
    'products',
    'out',
    'lag-interval',
    'timeout',
    'admin-email',
    'admin-password',
    'currency',
  ];
  for (const name of flags.keys()) if (!known.includes(name)) throw new Error(`unknown option --${name}`);
  if (positional.length > 1) throw new Error(`one url at most, got ${positional.join(' ')}`);
  const url = (positional[0] ?? env.LOAD_URL ?? 'http://127.0.0.1:3000').replace(/\/+$/, '');
  if (!/^https?:\/\//.test(url)) throw new Error(`the url must start with http:// or https://, got ${url}`);
  const adminEmail = flags.get('admin-email') ?? env.LOAD_ADMIN_EMAIL ?? env.ADMIN_EMAIL;
  const adminPassword = flags.get('admin-password') ?? env.LOAD_ADMIN_PASSWORD ?? env.ADMIN_PASSWORD;
  if (!adminEmail || !adminPassword)
    throw new Error('an admin is needed: --admin-email and --admin-password (or LOAD_ADMIN_EMAIL/LOAD_ADMIN_PASSWORD)');
  const products = positiveInteger(flags.get('products') ?? '12', '--products');
  if (products < 2) throw new Error('--products: at least 2 (one of them is the scarce one)');
  return {
    url,
    durationMs: parseDuration(flags.get('duration') ?? '60s', '--duration'),
    users: positiveInteger(flags.get('users') ?? '32', '--users'),
    rampMs: parseDuration(flags.get('ramp') ?? '0s', '--ramp'),
    thinkMs: parseDuration(flags.get('think') ?? '0ms', '--think'),
    products,
    outDir: flags.get('out') ?? 'reports/load',
    adminEmail,
    adminPassword,
    currency: flags.get('currency') ?? env.LOAD_CURRENCY ?? env.CURRENCY ?? 'EUR',
    lagIntervalMs: Math.max(100, parseDuration(flags.get('lag-interval') ?? '1s', '--lag-interval')),
    timeoutMs: parseDuration(flags.get('timeout') ?? '10s', '--timeout'),
  };
}
