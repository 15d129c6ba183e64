import { startTestApp, type TestApp } from './support/test-app.js';

// jest.config.js allows https://app.example.com as the one CORS origin.
const ALLOWED = 'https://app.example.com';

describe('security headers and CORS', () => {
  let api: TestApp;
  beforeAll(async () => {
    api = await startTestApp();
  });
  afterAll(() => api.close());

  it.each([
    ['a success', '/api/v1/status'],
    ['a 401 problem', '/api/v1/users/me'],
    ['a 404 problem', '/api/v1/nothing-here'],
    ['the OpenAPI document', '/docs-json'],
  ])('sends the API security headers on %s, and no X-Powered-By', async (_, path) => {
    const { headers } = await api.request('GET', path);
    expect(headers.get('content-security-policy')).toBe(
      "default-src 'none'; frame-ancestors 'none'",
    );
    expect(headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
    expect(headers.get('x-content-type-options')).toBe('nosniff');
    expect(headers.get('x-frame-options')).toBe('DENY');
    expect(headers.get('referrer-policy')).toBe('no-referrer');
    expect(headers.get('x-powered-by')).toBeNull();
    // Page-only headers stay off JSON answers (docs/decisions/0116-api-security-headers.md).
    expect(headers.get('cross-origin-opener-policy')).toBeNull();
    expect(headers.get('origin-agent-cluster')).toBeNull();
  });

  it.each([
    ['Swagger UI', '/docs'],
    ['its assets', '/docs/swagger-ui.css'],
  ])('sends Helmet’s full browser set on %s', async (_, path) => {
    const { status, headers } = await api.request('GET', path);
    expect(status).toBe(200);
    expect(headers.get('content-security-policy')).toMatch(/default-src 'self'/);
    expect(headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
    expect(headers.get('x-content-type-options')).toBe('nosniff');
    expect(headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(headers.get('referrer-policy')).toBe('no-referrer');
    expect(headers.get('cross-origin-opener-policy')).toBe('same-origin');
    expect(headers.get('x-powered-by')).toBeNull();
  });

  it('allows a listed origin, with the headers a client needs to read', async () => {
    const reply = await api.request('GET', '/api/v1/status', undefined, { origin: ALLOWED });
    expect(reply.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(reply.headers.get('access-control-expose-headers')).toMatch(/Retry-After/);
  });

  it('answers a preflight from a listed origin', async () => {
    const reply = await api.request('OPTIONS', '/api/v1/customers', undefined, {
      origin: ALLOWED,
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'authorization,content-type',
    });
    expect(reply.status).toBe(204);
    expect(reply.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(reply.headers.get('access-control-allow-methods')).toMatch(/POST/);
    expect(reply.headers.get('access-control-allow-headers')).toMatch(/Authorization/i);
  });

  it('gives no CORS permission to any other origin', async () => {
    const reply = await api.request('GET', '/api/v1/status', undefined, {
      origin: 'https://evil.example.com',
    });
    expect(reply.headers.get('access-control-allow-origin')).toBeNull();
    const preflight = await api.request('OPTIONS', '/api/v1/customers', undefined, {
      origin: 'https://evil.example.com',
      'access-control-request-method': 'DELETE',
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
  });
});
