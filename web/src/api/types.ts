// Objects of the HTTP API contract (see the server's OpenAPI document at /api/docs/json).

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
export type Locale = 'zh' | 'en';

export interface TeamRef {
  id: string;
  name: string;
}

export interface Me {
  id: string;
  username: string;
  displayName: string;
  email: string | null;
  phone: string | null;
  locale: Locale;
  roles: Role[];
  teams: TeamRef[];
  mustChangePassword: boolean;
  permissions: string[];
}

export interface User {
  id: string;
  username: string;
  displayName: string;
  email: string | null;
  phone: string | null;
  locale: Locale;
  roles: Role[];
  disabled: boolean;
  teams: TeamRef[];
  createdAt: number;
}

export interface TeamMember {
  id: string;
  username: string;
  displayName: string;
}

export interface Team {
  id: string;
  name: string;
  timeZone: string;
  description: string | null;
  members: TeamMember[];
  createdAt: number;
}

export interface ApiToken {
  id: string;
  name: string;
  scopes: string[];
  createdAt: number;
  lastUsedAt: number | null;
  expiresAt: number | null;
  revokedAt: number | null;
}

export interface AuditEvent {
  id: string;
  at: number;
  actorId: string | null;
  actorName: string | null;
  ip: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  before: unknown;
  after: unknown;
}

export interface Meta {
  roles: Role[];
  permissions: { key: string; roles: Role[] }[];
  version: string;
}

export interface Session {
  user: Me;
  csrfToken: string;
}

export interface Items<T> {
  items: T[];
}

export interface AuditPage {
  items: AuditEvent[];
  nextBefore: number | null;
}

/** The error envelope every failing endpoint returns. */
export interface ErrorEnvelope {
  code: string;
  message: string;
  field?: string;
}
