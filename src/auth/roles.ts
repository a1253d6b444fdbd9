import type { OperatorRole } from '../db/store.ts';

/**
 * What a console route needs. `admin` may do everything; `privacy` handles people (contacts,
 * privacy requests, erasure); `viewer` only reads. `self` is what every signed-in operator may
 * do that changes no data (sign out, end their own session, run the ledger check); `public`
 * needs no session (sign-in, setup).
 */
export type Permission = 'public' | 'self' | 'read' | 'contacts' | 'requests' | 'suppressions' | 'settings' | 'operators';

const GRANTS: Record<OperatorRole, ReadonlySet<Permission>> = {
  admin: new Set<Permission>(['self', 'read', 'contacts', 'requests', 'suppressions', 'settings', 'operators']),
  privacy: new Set<Permission>(['self', 'read', 'contacts', 'requests']),
  viewer: new Set<Permission>(['self', 'read']),
};

export const OPERATOR_ROLES: readonly OperatorRole[] = ['admin', 'privacy', 'viewer'];

export function allows(role: OperatorRole, permission: Permission): boolean {
  return permission === 'public' || GRANTS[role].has(permission);
}
