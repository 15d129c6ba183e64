/** The roles an access token can carry; accounts store one of them, guards check them. */
export const ROLES = ['admin', 'customer'] as const;
export type Role = (typeof ROLES)[number];
