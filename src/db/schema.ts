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

export interface EscalationPolicyTable {
  id: string;
  name: string;
  description: string;
  repeat: number;
  levels_json: string;
  created_at: number;
  updated_at: number;
}

export interface AlertServiceTable {
  id: string;
  name: string;
  escalation_policy_id: string;
  grouping_window_minutes: number;
  flap_json: string;
  created_at: number;
  updated_at: number;
}

export interface AlertIntegrationTable {
  id: string;
  service_id: string;
  kind: string;
  name: string;
  key_hash: string;
  created_at: number;
}

export interface ContactMethodTable {
  id: string;
  user_id: string;
  name: string;
  kind: string;
  target_json: string;
  verified: number;
  disabled: number;
  verification_json: string | null;
  created_at: number;
}

export interface NotificationRuleTable {
  id: string;
  user_id: string;
  contact_method_id: string;
  delay_minutes: number;
  created_at: number;
}

export interface MaintenanceWindowTable {
  id: string;
  name: string;
  service_ids_json: string | null;
  starts_at: number;
  ends_at: number;
  created_at: number;
}

export interface HeartbeatMonitorTable {
  id: string;
  service_id: string;
  name: string;
  key_hash: string;
  interval_seconds: number;
  grace_seconds: number;
  last_ping_at: number | null;
  down: number;
  created_at: number;
}

export interface PageTable {
  id: string;
  service_id: string;
  summary: string;
  severity: string;
  status: string;
  alert_count: number;
  policy_json: string;
  escalation_json: string;
  opened_at: number;
  acknowledged_at: number | null;
  resolved_at: number | null;
  updated_at: number;
}

export interface AlertTable {
  id: string;
  service_id: string;
  dedup_key: string;
  open_key: string | null;
  status: string;
  summary: string;
  source: string;
  severity: string;
  details_json: string;
  links_json: string;
  count: number;
  page_id: string | null;
  suppressed: string | null;
  occurred_at: number;
  created_at: number;
  updated_at: number;
  resolved_at: number | null;
}

export interface AlertFlapTable {
  service_id: string;
  dedup_key: string;
  state_json: string;
}

export interface PageTimelineTable {
  id: string;
  page_id: string;
  at: number;
  type: string;
  send_key: string | null;
  data_json: string;
}

export interface AlertSettingTable {
  key: string;
  value: string;
}

export interface DB {
  alert_setting: AlertSettingTable;
  escalation_policy: EscalationPolicyTable;
  alert_service: AlertServiceTable;
  alert_integration: AlertIntegrationTable;
  contact_method: ContactMethodTable;
  notification_rule: NotificationRuleTable;
  maintenance_window: MaintenanceWindowTable;
  heartbeat_monitor: HeartbeatMonitorTable;
  page: PageTable;
  alert: AlertTable;
  alert_flap: AlertFlapTable;
  page_timeline: PageTimelineTable;
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
