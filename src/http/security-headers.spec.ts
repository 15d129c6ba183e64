import { securityHeaders } from './security-headers.js';

describe('securityHeaders', () => {
  it('carries Helmet’s defaults', () => {
    expect(securityHeaders()).toMatchObject({
      'content-security-policy': expect.stringContaining("default-src 'self'"),
      'strict-transport-security': expect.stringContaining('max-age='),
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'SAMEORIGIN',
      'referrer-policy': 'no-referrer',
    });
  });

  it('never advertises the server stack', () => {
    expect(securityHeaders()).not.toHaveProperty('x-powered-by');
  });
});
