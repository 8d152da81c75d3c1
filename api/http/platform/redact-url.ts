/** Query parameters that may hold personal data or credentials: their values never reach a log line. */
const REDACTED_PARAMS = new Set(['q', 'email', 'phone', 'name', 'address', 'code', 'state', 'token']);

/** The URL as logs may show it: the values of personal (and secret) query parameters replaced by `[redacted]`. */
export function redactUrl(url: string): string {
  const at = url.indexOf('?');
  if (at < 0) return url;
  const params = new URLSearchParams(url.slice(at + 1));
  let redacted = false;
  for (const key of new Set(params.keys()))
    if (REDACTED_PARAMS.has(key.toLowerCase())) {
      params.set(key, '[redacted]');
      redacted = true;
    }
  return redacted ? `${url.slice(0, at)}?${params.toString()}` : url;
}
