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
  /** Migration 2026-12-06-0040; default 1. */
  escalate_on_breach: number;
  /** Migration 2026-12-06-0050; null: the ticket group's calendar. */
  calendar_team_id: string | null;
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

export interface TicketSavedViewTable {
  id: string;
  owner_id: string;
  name: string;
  query_json: string;
  created_at: number;
  updated_at: number;
}

export interface TicketReplyTemplateTable {
  id: string;
  team_id: string | null;
  name: string;
  body: string;
  created_by: string | null;
  created_at: number;
  updated_at: number;
}

export interface TicketFollowUpTable {
  id: string;
  ticket_id: string;
  assignee_id: string;
  due_at: number;
  note: string | null;
  status: string;
  customer_said: string | null;
  outcome: string | null;
  created_by: string | null;
  created_at: number;
  done_at: number | null;
}

export interface TicketLinkTable {
  id: string;
  from_id: string;
  to_id: string;
  kind: string;
  created_by: string | null;
  created_at: number;
}

export interface TicketWatcherTable {
  ticket_id: string;
  user_id: string;
  added_by: string | null;
  created_at: number;
  /** 1: notices also by mail (default); 0: in the inbox only. */
  notify_mail: Generated<number>;
}

export interface TicketMergeTable {
  ticket_id: string;
  into_id: string;
  previous_status: string;
  merged_by: string | null;
  merged_at: number;
  previous_closed_at: number | null;
  /** JSON array of the user ids the merge added as the target's watchers. */
  moved_watcher_ids: string | null;
  undone_at: number | null;
  undone_by: string | null;
}

export interface TicketAlertLinkTable {
  id: string;
  ticket_id: string;
  page_id: string;
  created_by: string | null;
  created_at: number;
}

export interface TicketUploadTable {
  id: string;
  file_name: string;
  content_type: string;
  size_bytes: number;
  sha256: string;
  storage_key: string;
  uploaded_by: string;
  created_at: number;
}

export interface TicketSearchTable {
  ticket_id: string;
  doc: string;
}

export interface RosterShiftTypeTable {
  id: string;
  team_id: string;
  code: string;
  name: string;
  start_time: string;
  end_time: string;
  break_minutes: number;
  colour: string;
  night: number | null;
  created_at: number;
}

export interface RosterPostTable {
  id: string;
  team_id: string;
  name: string;
  shift_type_ids_json: string;
  cover_json: string;
  required_skills_json: string;
  created_at: number;
}

export interface RosterTeamSettingTable {
  team_id: string;
  rules_json: string;
  calendar_json: string;
  config_json: string;
  updated_at: number;
}

export interface RosterPersonTable {
  user_id: string;
  skills_json: string;
  default_post_id: string | null;
  updated_at: number;
}

export interface RosterTable {
  id: string;
  team_id: string;
  period_start: string;
  period_end: string;
  status: string; // draft | published | amended | closed
  published_at: number | null;
  published_by: string | null;
  created_at: number;
  updated_at: number;
}

export interface RosterAssignmentTable {
  id: string;
  roster_id: string;
  person_id: string;
  post_id: string;
  shift_type_id: string;
  date: string; // local date the shift starts
}

export interface RosterConfirmationTable {
  roster_id: string;
  person_id: string;
  published_at: number;
  confirmed_at: number | null;
}

export interface RosterAttendanceTable {
  assignment_id: string;
  person_id: string;
  check_in_at: number | null;
  check_out_at: number | null;
  arrival: string;
  departure: string;
  late_minutes: number;
  early_leave_minutes: number;
  updated_at: number;
}

export interface RosterSwapTable {
  id: string;
  roster_id: string;
  kind: string;
  assignment_id: string;
  counter_assignment_id: string | null;
  requester_id: string;
  substitute_id: string;
  reason: string;
  status: string;
  created_at: number;
  updated_at: number;
}

export interface RosterRequestEventTable {
  id: string;
  request_id: string;
  at: number;
  actor_id: string | null;
  action: string;
  from_status: string | null;
  to_status: string;
}

export interface RosterLeaveTable {
  id: string;
  person_id: string;
  kind: string;
  start_date: string;
  end_date: string;
  reason: string;
  status: string;
  created_at: number;
  updated_at: number;
}

export interface RosterOverrideTable {
  id: string;
  team_id: string;
  post_id: string;
  person_id: string;
  replaces_person_id: string | null;
  start_at: number;
  end_at: number;
  reason: string;
  created_by: string;
  created_at: number;
}

export interface RosterFeedTable {
  id: string;
  token_hash: string;
  kind: string; // person | post
  subject_id: string;
  created_by: string;
  created_at: number;
  revoked_at: number | null;
}

export interface DutySegmentTable {
  id: string;
  roster_id: string | null;
  override_id: string | null;
  team_id: string;
  post_id: string;
  person_id: string;
  start_at: number;
  end_at: number;
  source: string; // assignment | override
  ref_id: string | null;
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

export interface MailInboundTable {
  id: string;
  received_at: number;
  source: string; // smtp | imap
  remote_address: string | null;
  envelope_from: string | null;
  envelope_to_json: string;
  imap_key: string | null;
  size_bytes: number;
  raw: Buffer | null;
  from_address: string | null;
  subject: string | null;
  message_id: string | null;
  route: string | null;
  status: string; // received | done | ignored | held | discarded
  reason: string | null;
  field: string | null;
  outcome_json: string | null;
  error: string | null;
  runs: number;
  processed_at: number | null;
}

export interface TicketAttachmentTable {
  id: string;
  ticket_id: string;
  event_id: string | null;
  file_name: string;
  content_type: string;
  size_bytes: number;
  sha256: string;
  storage_key: string;
  content_id: string | null;
  visibility: string; // public | internal
  source: string; // web | mail
  uploaded_by: string | null;
  created_at: number;
}

export interface TicketAttachmentIntentTable {
  id: string;
  storage_key: string;
  created_at: number;
}

export interface TicketMailMessageTable {
  id: string;
  ticket_id: string;
  message_id: string;
  direction: string; // in | out
  inbound_id: string | null;
  event_id: string | null;
  kind: string; // in: opened | reply; out: received | reply | resolved | closed
  recipient: string | null;
  status: string; // received | sent | skipped
  created_at: number;
  sent_at: number | null;
}

export interface TicketMailThreadTable {
  ticket_id: string;
  address: string;
  name: string | null;
  locale: string;
  quiet: number;
  created_at: number;
}

export interface SolverRequestTable {
  id: string;
  person_id: string;
  date: string;
  kind: string;
  shift_type_id: string | null;
  note: string;
  created_at: number;
}

export interface SolverRunTable {
  id: string;
  roster_id: string;
  kind: string;
  status: string;
  time_limit_ms: number;
  keep_existing: number;
  actor_json: string;
  stop_requested: number;
  objective: number | null;
  progress_json: string;
  result_json: string | null;
  created_at: number;
  started_at: number | null;
  finished_at: number | null;
  updated_at: number;
  /** Best roster so far (resume after kill -9); added by 2026-12-06-0020. */
  incumbent_json?: string | null;
}

export interface DB {
  mail_inbound: MailInboundTable;
  ticket_attachment: TicketAttachmentTable;
  ticket_attachment_intent: TicketAttachmentIntentTable;
  ticket_mail_message: TicketMailMessageTable;
  ticket_mail_thread: TicketMailThreadTable;
  ticket: TicketTable;
  ticket_category: TicketCategoryTable;
  ticket_sla_policy: TicketSlaPolicyTable;
  ticket_setting: TicketSettingTable;
  ticket_sequence: TicketSequenceTable;
  ticket_event: TicketEventTable;
  ticket_search: TicketSearchTable;
  ticket_saved_view: TicketSavedViewTable;
  ticket_reply_template: TicketReplyTemplateTable;
  ticket_follow_up: TicketFollowUpTable;
  ticket_link: TicketLinkTable;
  ticket_watcher: TicketWatcherTable;
  ticket_merge: TicketMergeTable;
  ticket_alert_link: TicketAlertLinkTable;
  ticket_upload: TicketUploadTable;
  roster_shift_type: RosterShiftTypeTable;
  roster_post: RosterPostTable;
  roster_team_setting: RosterTeamSettingTable;
  roster_person: RosterPersonTable;
  roster: RosterTable;
  roster_assignment: RosterAssignmentTable;
  roster_confirmation: RosterConfirmationTable;
  roster_attendance: RosterAttendanceTable;
  roster_swap: RosterSwapTable;
  roster_request_event: RosterRequestEventTable;
  roster_leave: RosterLeaveTable;
  roster_override: RosterOverrideTable;
  roster_feed: RosterFeedTable;
  duty_segment: DutySegmentTable;
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
  magic_link: MagicLinkTable;
  solver_request: SolverRequestTable;
  solver_run: SolverRunTable;
  notify_rate_state: NotifyRateStateTable;
  notify_held: NotifyHeldTable;
}

/** A requester's sign-in link (ADR 0006): only the token's SHA-256 is kept. */
export interface MagicLinkTable {
  id: string;
  email: string;
  ip: string;
  user_id: string | null;
  locale: string;
  requested_at: number;
  expires_at: number;
  token_hash: string | null;
  mailed_at: number | null;
  used_at: number | null;
}

export interface NotifyRateStateTable {
  target_key: string;
  state_json: string;
  updated_at: number;
}

export interface NotifyHeldTable {
  id: string;
  target_key: string;
  target_json: string;
  message_json: string;
  page_id: string | null;
  send_key: string | null;
  held_at: number;
  release_at: number;
  digest_id: string | null;
  sent_at: number | null;
}
