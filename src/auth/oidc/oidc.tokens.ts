/** Injection token of the OIDC_* settings (oidc-settings.ts). */
export const OIDC_SETTINGS = Symbol('OidcSettings');
