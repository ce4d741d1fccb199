import type { Generated } from 'kysely';

/**
 * The tables of every module, as Kysely sees them. Names are singular snake_case; ids are
 * text (UUIDv7); instants are integers (ms since epoch, UTC); booleans are 0/1 integers and
 * JSON is text, so one definition serves SQLite and PostgreSQL alike.
 */
export interface UserTable {
  id: string;
  username: string;
  display_name: string;
  email: string | null;
  phone: string | null;
  password_hash: string | null;
  locale: string;
  disabled: number;
  must_change_password: number;
  created_at: number;
  updated_at: number;
}

export interface UserRoleTable {
  user_id: string;
  role: string;
}

export interface TeamTable {
  id: string;
  name: string;
  time_zone: string;
  description: string | null;
  created_at: number;
  updated_at: number;
}

export interface TeamMemberTable {
  team_id: string;
  user_id: string;
}

export interface SessionTable {
  id: string; // sha256 of the cookie value
  user_id: string;
  csrf_token: string;
  created_at: number;
  expires_at: number;
  last_seen_at: number;
  ip: string | null;
  user_agent: string | null;
}

export interface ApiTokenTable {
  id: string;
  user_id: string;
  name: string;
  token_hash: string;
  scopes: string; // JSON array of permission keys
  created_at: number;
  last_used_at: number | null;
  expires_at: number | null;
  revoked_at: number | null;
}

export interface LoginAttemptTable {
  id: Generated<number>;
  username: string;
  ip: string;
  at: number;
  success: number;
}

export interface AuditEventTable {
  id: string;
  at: number;
  actor_id: string | null;
  actor_name: string | null;
  ip: string | null;
  request_id: string | null;
  action: string;
  entity_type: string;
  entity_id: string | null;
  before_json: string | null;
  after_json: string | null;
}

export interface JobTable {
  id: string;
  kind: string;
  payload: string; // JSON
  status: string; // pending | running | done | dead
  run_at: number;
  attempts: number;
  max_attempts: number;
  idempotency_key: string | null;
  locked_by: string | null;
  locked_until: number | null;
  last_error: string | null;
  created_at: number;
  updated_at: number;
  finished_at: number | null;
}

export interface NotificationTable {
  id: string;
  user_id: string;
  kind: string;
  message_key: string;
  params_json: string;
  link: string | null;
  created_at: number;
  read_at: number | null;
  email_status: string | null; // null (no mail wanted) | queued | sent | skipped | failed
}

export interface TicketCategoryTable {
  id: string;
  parent_id: string | null;
  name: string;
  active: number;
  created_at: number;
  updated_at: number;
}

export interface TicketSlaPolicyTable {
  id: string;
  name: string;
  match_json: string;
  targets_json: string;
  warn_at_percent: number;
  pause_statuses_json: string | null;
  active: number;
  created_at: number;
}

export interface TicketSettingTable {
  key: string;
  value_json: string;
  updated_at: number;
}

export interface TicketSequenceTable {
  day: string;
  last: number;
}

export interface TicketTable {
  id: string;
  number: string;
  type: string;
  channel: string;
  category_id: string;
  title: string;
  description: string;
  impact: string;
  urgency: string;
  priority: string;
  status: string;
  level: string;
  requester_id: string | null;
  caller_name: string | null;
  caller_contact: string | null;
  caller_key: string | null;
  organisation: string | null;
  assignee_id: string | null;
  group_id: string | null;
  tags_json: string;
  sla_policy_id: string | null;
  sla_next_at: number | null;
  sla_due_at: number | null;
  sla_breached: number;
  created_by: string | null;
  created_at: number;
  updated_at: number;
  resolved_at: number | null;
  closed_at: number | null;
  last_customer_at: number | null;
  survey_score: number | null;
  survey_comment: string | null;
  surveyed_at: number | null;
}

export interface TicketEventTable {
  id: string;
  ticket_id: string;
  at: number;
  kind: string;
  actor_id: string | null;
  actor_role: string | null;
  visibility: string; // public | internal
  body: string | null;
  data_json: string;
  dedupe_key: string | null;
}

export interface TicketTokenTable {
  token: string;
  ticket_id: string;
}

export interface TicketSearchTable {
  ticket_id: string;
  doc: string;
}

export interface DB {
  ticket: TicketTable;
  ticket_category: TicketCategoryTable;
  ticket_sla_policy: TicketSlaPolicyTable;
  ticket_setting: TicketSettingTable;
  ticket_sequence: TicketSequenceTable;
  ticket_event: TicketEventTable;
  ticket_token: TicketTokenTable;
  ticket_search: TicketSearchTable;
  notification: NotificationTable;
  user: UserTable;
  user_role: UserRoleTable;
  team: TeamTable;
  team_member: TeamMemberTable;
  session: SessionTable;
  api_token: ApiTokenTable;
  login_attempt: LoginAttemptTable;
  audit_event: AuditEventTable;
  job: JobTable;
}
