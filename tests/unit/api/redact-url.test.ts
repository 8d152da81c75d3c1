import { redactUrl } from '../../../api/http/platform/redact-url.js';

describe('URLs as the access log shows them', () => {
  it.each([
    ['/v1/customers?q=ann%40example.com&limit=5', '/v1/customers?q=%5Bredacted%5D&limit=5'],
    ['/v1/customers?Email=a@b.c&phone=%2B44', '/v1/customers?Email=%5Bredacted%5D&phone=%5Bredacted%5D'],
    [
      '/v1/auth/oidc/corp/callback?code=abc&state=xyz',
      '/v1/auth/oidc/corp/callback?code=%5Bredacted%5D&state=%5Bredacted%5D',
    ],
    ['/v1/orders?status=confirmed&limit=20', '/v1/orders?status=confirmed&limit=20'],
    ['/v1/products/1', '/v1/products/1'],
  ])('%s is logged as %s', (url, logged) => {
    expect(redactUrl(url)).toBe(logged);
  });
});
