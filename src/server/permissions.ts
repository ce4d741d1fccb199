/**
 * THE permission table: every route names one key from here (or `public` / `signedIn`), and
 * the server decides allow/deny from this table alone, before any data is read. A route
 * without a rule cannot be registered (see app.ts), and a test walks every route × role.
 */
export const ROLES = [
  'admin',
  'duty_admin',
  'duty_manager',
  'technician',
  'service_agent',
  'security_guard',
  'expert',
  'supervisor',
  'leadership',
  'requester',
] as const;

export type Role = (typeof ROLES)[number];

/** Everyone who works on the duty team (everybody but customers). */
const STAFF: readonly Role[] = ROLES.filter((r) => r !== 'requester');

export const PERMISSIONS = {
  'users.read': ['admin', 'duty_admin', 'duty_manager', 'supervisor'],
  'users.manage': ['admin'],
  'teams.read': STAFF,
  'teams.manage': ['admin'],
  'audit.read': ['admin', 'supervisor'],
  'jobs.read': ['admin'],
  // Service desk: agents, technicians, experts and duty managers work tickets; supervisors and
  // leadership read them; security guards report faults (create) without reading the desk;
  // requesters use only the portal routes, and there only their own tickets (checked per ticket).
  'tickets.read': [
    'admin',
    'duty_manager',
    'technician',
    'service_agent',
    'expert',
    'supervisor',
    'leadership',
  ],
  'tickets.work': ['admin', 'duty_manager', 'technician', 'service_agent', 'expert'],
  'tickets.create': [
    'admin',
    'duty_manager',
    'technician',
    'service_agent',
    'expert',
    'security_guard',
  ],
  'tickets.export': ['admin', 'duty_manager', 'supervisor'],
  'tickets.admin': ['admin', 'duty_manager'],
  'tickets.portal': ['requester'],
  'roster.read': STAFF,
  'roster.manage': ['admin', 'duty_admin'],
  'roster.override': ['duty_manager'],
  'roster.self': STAFF,
  'alerts.read': STAFF,
  'alerts.respond': [
    'admin',
    'duty_admin',
    'duty_manager',
    'technician',
    'service_agent',
    'security_guard',
    'expert',
  ],
  'alerts.manage': ['admin', 'duty_manager'],
  // Inbound mail as received, held mail to reprocess or discard: it may hold anyone's data.
  'mail.admin': ['admin'],
  // Downloading a ticket's attachment: staff who read tickets, and requesters (their own
  // tickets' public attachments, checked per attachment).
  'tickets.attachment': [
    'admin',
    'duty_manager',
    'technician',
    'service_agent',
    'expert',
    'supervisor',
    'leadership',
    'requester',
  ],
  // Uploading a file to attach when creating a ticket or replying (then named in attachmentIds).
  'tickets.upload': [
    'admin',
    'duty_manager',
    'technician',
    'service_agent',
    'expert',
    'security_guard',
    'requester',
  ],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

/** What a route requires: a permission key, any signed-in user, or nothing at all. */
export type RouteAccess = Permission | 'signedIn' | 'public';

export function isPermission(key: string): key is Permission {
  return Object.hasOwn(PERMISSIONS, key);
}

export function rolesAllow(roles: readonly Role[], permission: Permission): boolean {
  const allowed: readonly Role[] = PERMISSIONS[permission];
  return roles.some((r) => allowed.includes(r));
}

export function permissionsOf(roles: readonly Role[]): Permission[] {
  return (Object.keys(PERMISSIONS) as Permission[]).filter((p) => rolesAllow(roles, p));
}

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}
