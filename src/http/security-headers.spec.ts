import { apiSecurityHeaders, browserSecurityHeaders } from './security-headers.js';

describe('browserSecurityHeaders', () => {
  it('carries Helmet’s defaults', () => {
    expect(browserSecurityHeaders()).toMatchObject({
      'content-security-policy': expect.stringContaining("default-src 'self'"),
      'strict-transport-security': expect.stringContaining('max-age='),
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'SAMEORIGIN',
      'referrer-policy': 'no-referrer',
    });
  });

  it('never advertises the server stack', () => {
    expect(browserSecurityHeaders()).not.toHaveProperty('x-powered-by');
  });
});

describe('apiSecurityHeaders', () => {
  it('is the OWASP REST set: nothing framed, loaded or sniffed, HTTPS only, no Referer', () => {
    expect(apiSecurityHeaders()).toEqual({
      'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
      'strict-transport-security': browserSecurityHeaders()['strict-transport-security'],
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'referrer-policy': 'no-referrer',
    });
  });

  it('is less than half the bytes of the browser set', () => {
    const bytes = (headers: Record<string, string>) =>
      Object.entries(headers).reduce(
        (sum, [name, value]) => sum + name.length + value.length + 4,
        0,
      );
    expect(bytes(apiSecurityHeaders()) * 2).toBeLessThan(bytes(browserSecurityHeaders()));
  });
});
