#!/usr/bin/env node
/**
 * Dependency audit of package-lock.json that works without the registry's audit endpoint.
 *
 *   node scripts/audit.mjs [--offline] [--level low|moderate|high|critical] [--lock FILE]
 *                          [--advisories FILE] [--accepted FILE]
 *   node scripts/audit.mjs --refresh DIR [--source TEXT]
 *
 * Every installed version in the lock file is matched against security/advisories.json, a snapshot
 * of OSV records (the format of the GitHub Advisory Database and osv.dev) for the packages the lock
 * names; unless --offline, `npm audit --package-lock-only` runs too, and when the endpoint cannot
 * be reached (no network, a proxy that refuses it) the run says so and stands on the snapshot. An
 * advisory at or above --level (default moderate) fails the run (exit 1) unless
 * security/audit-accepted.json accepts it with a reason until a date.
 * --refresh merges the OSV records found under DIR (an unpacked osv.dev npm export, or a clone of
 * the advisory database) that affect a package of the lock into the snapshot.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import semver from 'semver';

const LEVELS = ['low', 'moderate', 'high', 'critical'];
const STALE_DAYS = 90;

function parseArgs(argv) {
  const args = { offline: false, level: 'moderate', lock: 'package-lock.json' };
  args.advisories = 'security/advisories.json';
  args.accepted = 'security/audit-accepted.json';
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === '--offline') args.offline = true;
    else if (['--level', '--lock', '--advisories', '--accepted', '--refresh', '--source'].includes(flag))
      args[flag.slice(2)] = argv[++i];
    else throw new Error(`unknown argument ${flag}`);
  }
  if (!LEVELS.includes(args.level)) throw new Error(`--level must be one of ${LEVELS.join(', ')}`);
  return args;
}

const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));

/** Every package the lock installs: name, version, whether only for development. */
function lockedPackages(lockFile) {
  const lock = readJson(lockFile);
  return Object.entries(lock.packages ?? {})
    .filter(([where, entry]) => where !== '' && !entry.link && entry.version)
    .map(([where, entry]) => ({
      name: entry.name ?? where.slice(where.lastIndexOf('node_modules/') + 'node_modules/'.length),
      version: entry.version,
      where,
      dev: !!entry.dev,
    }));
}

/**
 * The version of a range event. Some records list several fixed versions in one event ("7.2.4, 6.11.4":
 * one per major line); for a locked version, the one of its major counts, else the highest.
 */
const eventVersion = (event, candidate) => {
  const raw = String(event.introduced ?? event.fixed ?? event.last_affected ?? event.limit);
  if (raw === '0') return '0.0.0';
  const listed = raw
    .split(',')
    .map((v) => v.trim())
    .filter((v) => semver.valid(v));
  if (listed.length <= 1) return listed[0] ?? null;
  return listed.find((v) => semver.major(v) === semver.major(candidate)) ?? semver.rsort(listed)[0];
};

/** OSV's rule: walk the range's events in version order; introduced opens, fixed and last_affected close. */
function inRange(version, range) {
  const events = range.events
    .filter((e) => eventVersion(e, version) !== null)
    .sort((a, b) => semver.compare(eventVersion(a, version), eventVersion(b, version)));
  let affected = false;
  for (const event of events) {
    const at = eventVersion(event, version);
    if (event.introduced !== undefined && semver.gte(version, at)) affected = true;
    else if (event.fixed !== undefined && semver.gte(version, at)) affected = false;
    else if (event.last_affected !== undefined && semver.gt(version, at)) affected = false;
  }
  return affected;
}

const severityOf = (advisory) => {
  const level = String(advisory.database_specific?.severity ?? 'moderate').toLowerCase();
  return LEVELS.includes(level) ? level : 'moderate';
};

/** The advisories of the snapshot that affect a locked package, one finding per package and advisory. */
function match(packages, advisories) {
  const byName = new Map();
  for (const advisory of advisories)
    for (const affected of advisory.affected ?? [])
      if (affected.package?.ecosystem === 'npm')
        byName.set(affected.package.name, [...(byName.get(affected.package.name) ?? []), { advisory, affected }]);
  const findings = [];
  for (const pkg of packages) {
    if (!semver.valid(pkg.version)) continue;
    for (const { advisory, affected } of byName.get(pkg.name) ?? []) {
      const hit =
        (affected.versions ?? []).includes(pkg.version) ||
        (affected.ranges ?? []).some((r) => (r.type === 'SEMVER' || r.type === 'ECOSYSTEM') && inRange(pkg.version, r));
      if (hit && !findings.some((f) => f.id === advisory.id && f.where === pkg.where))
        findings.push({ id: advisory.id, ...pkg, severity: severityOf(advisory), summary: advisory.summary });
    }
  }
  return findings;
}

/** `npm audit` of the lock: its findings, or null with the reason when the endpoint did not answer. */
function npmAudit(lockFile) {
  const run = spawnSync('npm', ['audit', '--package-lock-only', '--json'], {
    cwd: path.dirname(path.resolve(lockFile)),
    encoding: 'utf8',
    timeout: 120_000,
  });
  let report;
  try {
    report = JSON.parse(run.stdout);
  } catch {
    return { unreachable: (run.stderr || run.error?.message || 'no answer').trim().split('\n')[0] };
  }
  if (!report.vulnerabilities) return { unreachable: report.message ?? report.error?.summary ?? 'no report' };
  return {
    findings: Object.values(report.vulnerabilities).flatMap((v) =>
      v.via
        .filter((via) => typeof via === 'object')
        .map((via) => ({
          id: /GHSA-[\w-]+/.exec(via.url ?? '')?.[0] ?? String(via.source),
          name: via.name,
          version: v.range,
          where: v.nodes?.[0] ?? via.name,
          severity: via.severity,
          summary: via.title,
        })),
    ),
  };
}

function audit(args) {
  const packages = lockedPackages(args.lock);
  const snapshot = readJson(args.advisories);
  const accepted = (() => {
    try {
      return readJson(args.accepted).accepted ?? [];
    } catch (error) {
      if (error.code === 'ENOENT') return [];
      throw error;
    }
  })();
  const ageDays = Math.floor((Date.now() - Date.parse(snapshot.refreshedAt)) / 86_400_000);
  const say = (line) => process.stdout.write(`${line}\n`);
  say(
    `audit: ${packages.length} packages in ${args.lock}; snapshot of ${snapshot.refreshedAt.slice(0, 10)} ` +
      `(${snapshot.advisories.length} advisories, ${snapshot.source})`,
  );
  if (ageDays > STALE_DAYS) say(`audit: warning: the snapshot is ${ageDays} days old; refresh it (docs/operations.md)`);
  let findings = match(packages, snapshot.advisories);
  if (!args.offline) {
    const online = npmAudit(args.lock);
    if (online.findings) {
      say(`audit: npm audit answered: ${online.findings.length} findings`);
      findings = [
        ...findings,
        ...online.findings.filter((f) => !findings.some((g) => g.id === f.id && g.name === f.name)),
      ];
    } else say(`audit: npm audit could not reach the registry's audit endpoint (${online.unreachable}); offline only`);
  }
  const today = new Date().toISOString().slice(0, 10);
  const threshold = LEVELS.indexOf(args.level);
  let failed = 0;
  for (const f of findings.sort((a, b) => LEVELS.indexOf(b.severity) - LEVELS.indexOf(a.severity))) {
    const ok = accepted.find((a) => a.id === f.id && a.package === f.name);
    const blocking = LEVELS.indexOf(f.severity) >= threshold && !(ok && ok.until >= today);
    if (blocking) failed++;
    const note = ok
      ? ok.until >= today
        ? ` accepted until ${ok.until}: ${ok.reason}`
        : ` acceptance expired ${ok.until}`
      : '';
    say(
      `${blocking ? 'FAIL' : 'note'} ${f.severity} ${f.id} ${f.name}@${f.version} (${f.where}${f.dev ? ', dev' : ''}) ${f.summary}${note}`,
    );
  }
  say(`audit: ${findings.length} advisories match, ${failed} at or above ${args.level} not accepted`);
  return failed === 0 ? 0 : 1;
}

function* jsonFiles(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* jsonFiles(file);
    else if (entry.name.endsWith('.json')) yield file;
  }
}

const KEPT = ['id', 'modified', 'published', 'aliases', 'summary', 'affected', 'database_specific'];

function refresh(args) {
  const names = new Set(lockedPackages(args.lock).map((p) => p.name));
  const snapshot = (() => {
    try {
      return readJson(args.advisories);
    } catch {
      return { advisories: [] };
    }
  })();
  const byId = new Map(snapshot.advisories.map((a) => [a.id, a]));
  let added = 0;
  for (const file of jsonFiles(args.refresh)) {
    const record = readJson(file);
    const affected = (record.affected ?? []).filter((a) => a.package?.ecosystem === 'npm' && names.has(a.package.name));
    if (!record.id || record.withdrawn || affected.length === 0) continue;
    const previous = byId.get(record.id);
    if (previous && previous.modified >= record.modified) continue;
    const kept = Object.fromEntries(KEPT.filter((k) => record[k] !== undefined).map((k) => [k, record[k]]));
    const advisory = { ...kept, affected, url: `https://github.com/advisories/${record.id}` };
    byId.set(record.id, advisory);
    added++;
  }
  const out = {
    about: 'OSV records of advisories that affect packages of package-lock.json; read by scripts/audit.mjs',
    source: args.source ?? snapshot.source ?? 'OSV records',
    refreshedAt: new Date().toISOString(),
    advisories: [...byId.values()].sort((a, b) => a.id.localeCompare(b.id)),
  };
  writeFileSync(args.advisories, `${JSON.stringify(out, null, 2)}\n`);
  process.stdout.write(`audit: ${added} advisories added or updated; ${out.advisories.length} in ${args.advisories}\n`);
  return 0;
}

try {
  const args = parseArgs(process.argv.slice(2));
  process.exit(args.refresh ? refresh(args) : audit(args));
} catch (error) {
  process.stderr.write(`audit: ${error.message}\n`);
  process.exit(2);
}
