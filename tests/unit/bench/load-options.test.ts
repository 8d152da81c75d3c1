import { parseDuration, parseOptions } from '../../../bench/load/load.options.js';

const ADMIN = { LOAD_ADMIN_EMAIL: 'a@example.com', LOAD_ADMIN_PASSWORD: 'some-long-password' };

describe('npm run load: its command line', () => {
  it('reads durations in ms, s and m, a bare number as seconds', () => {
    expect([parseDuration('500ms', 'x'), parseDuration('30s', 'x'), parseDuration('1.5m', 'x')]).toEqual([
      500, 30_000, 90_000,
    ]);
    expect(parseDuration('45', 'x')).toBe(45_000);
    expect(() => parseDuration('soon', '--duration')).toThrow('--duration: "soon" is not a duration');
  });

  it('defaults to 32 users for 60 s against LOAD_URL, else 127.0.0.1:3000', () => {
    const options = parseOptions([], ADMIN);
    expect(options).toEqual(
      expect.objectContaining({ url: 'http://127.0.0.1:3000', users: 32, durationMs: 60_000, rampMs: 0 }),
    );
    expect(parseOptions([], { ...ADMIN, LOAD_URL: 'http://shop:8080/' })).toEqual(
      expect.objectContaining({ url: 'http://shop:8080' }),
    );
  });

  it('takes the url as its argument and the flags in either form', () => {
    const options = parseOptions(['http://h:1', '--users', '3', '--ramp=2s', '--duration', '5s'], ADMIN);
    expect(options).toEqual(expect.objectContaining({ url: 'http://h:1', users: 3, rampMs: 2_000, durationMs: 5_000 }));
  });

  it('falls back to the server’s ADMIN_EMAIL and ADMIN_PASSWORD, and needs an admin', () => {
    expect(parseOptions([], { ADMIN_EMAIL: 'b@example.com', ADMIN_PASSWORD: 'pw-pw-pw-pw-pw' })).toEqual(
      expect.objectContaining({ adminEmail: 'b@example.com' }),
    );
    expect(() => parseOptions([], {})).toThrow('an admin is needed');
  });

  it('refuses unknown flags, bad numbers and a second url', () => {
    expect(() => parseOptions(['--userz', '3'], ADMIN)).toThrow('unknown option --userz');
    expect(() => parseOptions(['--users', '0'], ADMIN)).toThrow('--users: "0" is not a whole number above 0');
    expect(() => parseOptions(['http://a', 'http://b'], ADMIN)).toThrow('one url at most');
    expect(parseOptions(['--help'], ADMIN)).toBe('help');
  });
});
