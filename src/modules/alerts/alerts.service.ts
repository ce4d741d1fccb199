import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { z } from 'zod';
import type { DialectName } from '../../db/database.js';
import { groupCommit } from '../../db/group-commit.js';
import type { DB } from '../../db/schema.js';
import { t } from '../../i18n/i18n.js';
import {
  enqueueJob,
  enqueueJobWithBatch,
  type JobHandler,
  type JobOutcomeWrite,
} from '../../jobs/job-engine.js';
import type { Clock } from '../../lib/clock.js';
import { randomToken, sha256 } from '../../lib/crypto.js';
import { invalid, notFound } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import { type Actor, recordAudit } from '../audit/audit.service.js';
import type { ChannelTarget, Locale, NotificationMessage } from '../notify/channel.js';
import { type createChannels, deliver } from '../notify/channel-registry.js';
import { decideRetry } from '../notify/retry-policy.js';
import { admit, digestJobHandler, limitedTarget, recordThrottle } from '../notify/digest-queue.js';
import type { SsrfPolicy } from '../notify/ssrf.js';
import { verifyActionLink, type ActionClaims } from './action-link.js';
import type {
  contactMethodInput,
  escalationPolicyInput,
  heartbeatInput,
  integrationInput,
  maintenanceWindowInput,
  notificationRuleInput,
  PageActionInput,
  serviceInput,
} from './alerts.schema.js';
import * as store from './alerts.store.js';
import { checkVerification, startVerification } from './contact-verification.js';
import {
  type EscalationEvent,
  type EscalationPolicy,
  type EscalationState,
  type EscalationStep,
  type EscalationTarget,
  type ResolveTargets,
  startEscalation,
  stepEscalation,
} from './escalation.js';
import { EMPTY_FLAP_STATE, type FlapState } from './flapping.js';
import { pageResolvesWith } from './grouping.js';
import { checkHeartbeat, type HeartbeatMonitor, recordPing } from './heartbeat.js';
import type { NormalisedEvent } from './intake/common.js';
import { parseJsonBody } from './intake/body.js';
import { type IntegrationKind, intakeResponse, normaliseIntake } from './intake/intake.js';
import {
  pagerDutyInvalid,
  pagerDutyRoutingKey,
  pagerDutyUnknownRoutingKey,
} from './intake/pagerduty.js';
import { decideIntake } from './intake-decision.js';
import type { MaintenanceWindow } from './maintenance.js';
import { planSends } from './notification-rules.js';
import type { OnDutyProvider } from './on-duty.js';
import { pageMessage } from './page-message.js';
import { recordDigestOnTimelines } from './digest-timeline.js';

export const ESCALATE_JOB = 'alerts.escalate';
export const SEND_JOB = 'notify.send';
export const HEARTBEAT_JOB = 'alerts.heartbeat_check';

export interface AlertsDeps {
  db: Kysely<DB>;
  dialect: DialectName;
  clock: Clock;
  log?: Logger;
  onDuty: OnDutyProvider;
  /** The members of a team (asked of the users module). */
  teamMembers: (teamId: string) => Promise<string[]>;
  userLocale: (userId: string) => Promise<Locale>;
  channels: ReturnType<typeof createChannels>;
  ssrf: SsrfPolicy;
  publicUrl: string;
  /** Length of a policy minute; only tests and drills shorten it. */
  minuteMs?: number;
  sendTimeoutMs?: number;
  /** The domain of alert mail addresses (alert+<key>@domain), when mail intake is set up. */
  mailDomain?: string;
}

interface SendPayload {
  pageId: string;
  userId: string;
  contactMethodId: string;
  sendKey: string;
  attempt: number;
}

interface Prepared {
  serviceId: string;
  policyJson: string;
  flap: { maxChanges: number; windowMs: number; stableMs: number };
  groupingWindowMs: number;
  resolve: ResolveTargets;
}

/**
 * What the units of one group-commit transaction read once and share: nothing in it changes
 * within the transaction except through these same units, which only add alerts and pages.
 */
interface BatchReads {
  lockedServices: Set<string>;
  maintenance?: { at: number; windows: MaintenanceWindow[] };
  rules: Map<string, Promise<[store.RuleRow[], store.ContactMethodRow[]]>>;
}

export type IntakeAnswer =
  { kind: 'unknown_key' } | { kind: 'answer'; status: number; body: unknown };

const MINUTE = 60_000;

/** A 32-character alphanumeric key: the format PagerDuty routing keys have. */
function newIntegrationKey(): string {
  return randomBytes(16).toString('hex');
}

const parseJson = <T>(s: string): T => JSON.parse(s) as T;

/** Memoises `load` per key for `ms` (failures are not kept); bounded by clearing. */
function ttlCache<K, V>(ms: number, load: (k: K) => Promise<V>) {
  const map = new Map<K, { at: number; value: Promise<V> }>();
  return {
    get(k: K): Promise<V> {
      const now = Date.now();
      const hit = map.get(k);
      if (hit && now - hit.at < ms && now >= hit.at) return hit.value;
      if (map.size > 10_000) map.clear();
      const value = load(k);
      map.set(k, { at: now, value });
      value.catch(() => map.delete(k));
      return value;
    },
  };
}

export function createAlertsService(deps: AlertsDeps) {
  const { db, dialect, clock } = deps;
  const minuteMs = deps.minuteMs ?? MINUTE;
  let linkSecret: Promise<string> | undefined;
  const secret = () => (linkSecret ??= store.ensureSetting(db, 'link_secret', randomToken()));
  const writer = groupCommit(db);
  // Keyed by the transaction object: a batch's reads die with it.
  const batchReads = new WeakMap<Kysely<DB>, BatchReads>();
  function readsOf(trx: Kysely<DB>): BatchReads {
    let r = batchReads.get(trx);
    if (!r) {
      r = { lockedServices: new Set(), rules: new Map() };
      batchReads.set(trx, r);
    }
    return r;
  }

  /** The policy as the state machine sees it, with delays in real minutes of this process. */
  function scaled(policy: EscalationPolicy): EscalationPolicy {
    if (minuteMs === MINUTE) return policy;
    return {
      ...policy,
      levels: policy.levels.map((l) => ({
        ...l,
        delayMinutes: (l.delayMinutes * minuteMs) / MINUTE,
      })),
    };
  }

  /** Looks up teams and posts before a transaction, so the state machine can stay pure. */
  async function resolverFor(targets: readonly EscalationTarget[], at: number) {
    const map = new Map<string, string[]>();
    for (const target of targets) {
      const k = `${target.kind}:${target.id}`;
      if (target.kind === 'user' || map.has(k)) continue;
      map.set(
        k,
        target.kind === 'team'
          ? await deps.teamMembers(target.id).catch(() => [])
          : await deps.onDuty.onDutyForPost(target.id, at),
      );
    }
    return (target: EscalationTarget): readonly string[] =>
      map.get(`${target.kind}:${target.id}`) ?? [];
  }

  const targetsOf = (policy: EscalationPolicy) => policy.levels.flatMap((l) => l.targets);

  async function prepare(serviceId: string, at: number): Promise<Prepared> {
    const service = await store.findService(db, serviceId);
    if (!service) throw notFound('service', serviceId);
    const policy = await store.findPolicy(db, service.escalation_policy_id);
    if (!policy) throw notFound('escalationPolicy', service.escalation_policy_id);
    const levels = parseJson<EscalationPolicy['levels']>(policy.levels_json);
    const p: EscalationPolicy = { levels, repeat: policy.repeat };
    const flap = parseJson<{ maxChanges: number; windowMinutes: number; stableMinutes: number }>(
      service.flap_json,
    );
    return {
      serviceId,
      policyJson: JSON.stringify(p),
      flap: {
        maxChanges: flap.maxChanges,
        windowMs: flap.windowMinutes * MINUTE,
        stableMs: flap.stableMinutes * MINUTE,
      },
      groupingWindowMs: service.grouping_window_minutes * MINUTE,
      resolve: await resolverFor(targetsOf(p), at),
    };
  }

  // ---- effects of the state machine ------------------------------------------------------------

  async function planNotify(
    trx: Kysely<DB>,
    pageId: string,
    userId: string,
    notifyKey: string,
    at: number,
  ): Promise<void> {
    const cache = readsOf(trx).rules;
    let read = cache.get(userId);
    if (!read) {
      read = Promise.all([store.listRules(trx, userId), store.listContactMethods(trx, userId)]);
      cache.set(userId, read);
    }
    const [rules, methods] = await read;
    const plan = planSends(
      notifyKey,
      at,
      rules.map((r) => ({
        id: r.id,
        contactMethodId: r.contact_method_id,
        delayMinutes: r.delay_minutes,
      })),
      methods.map((m) => ({
        id: m.id,
        kind: m.kind as ChannelTarget['kind'],
        verified: m.verified === 1,
        disabled: m.disabled === 1,
      })),
    );
    if (plan.sends.length === 0) {
      await store.insertTimelineWithBatch(trx, {
        pageId,
        at,
        type: 'no_contact_method',
        data: { userId, skippedRuleIds: plan.skippedRuleIds },
      });
      return;
    }
    const delayOf = new Map(rules.map((r) => [r.id, r.delay_minutes]));
    for (const send of plan.sends) {
      const payload: SendPayload = {
        pageId,
        userId,
        contactMethodId: send.contactMethodId,
        sendKey: send.idempotencyKey,
        attempt: 1,
      };
      await enqueueJobWithBatch(trx, dialect, clock, {
        kind: SEND_JOB,
        payload,
        runAt: at + (delayOf.get(send.ruleId) ?? 0) * minuteMs,
        idempotencyKey: `${SEND_JOB}:${send.idempotencyKey}:1`,
        maxAttempts: 5,
      });
    }
  }

  /** Persists a step of the state machine and turns its effects into rows and jobs. */
  async function applyStep(
    trx: Kysely<DB>,
    before: { id: string; status: string },
    step: EscalationStep,
    /** The page row was just inserted with this step's state (a new page): no update. */
    stored = false,
  ): Promise<void> {
    const s = step.state;
    const now = clock.now();
    if (!stored) await storeStep(trx, before, s, now);
    await applyEffects(trx, step, now);
  }

  async function storeStep(
    trx: Kysely<DB>,
    before: { id: string; status: string },
    s: EscalationState,
    now: number,
  ): Promise<void> {
    const change: Parameters<typeof store.updatePage>[2] = {
      status: s.status,
      escalation_json: JSON.stringify(s),
      updated_at: now,
    };
    if (s.status !== before.status) {
      if (s.status === 'acknowledged') change.acknowledged_at = now;
      if (s.status === 'resolved') change.resolved_at = now;
      if (s.status === 'triggered') change.acknowledged_at = null;
    }
    await store.updatePage(trx, before.id, change);
    if (s.status === 'resolved' && before.status !== 'resolved') {
      await trx
        .updateTable('alert')
        .set({ status: 'resolved', open_key: null, resolved_at: now, updated_at: now })
        .where('page_id', '=', before.id)
        .where('status', '!=', 'resolved')
        .execute();
    }
  }

  async function applyEffects(trx: Kysely<DB>, step: EscalationStep, now: number): Promise<void> {
    for (const e of step.effects) {
      switch (e.kind) {
        case 'timeline':
          await store.insertTimelineWithBatch(trx, {
            pageId: e.pageId,
            at: e.at,
            type: e.entry.type,
            data: e.entry,
          });
          break;
        case 'schedule':
          await enqueueJobWithBatch(trx, dialect, clock, {
            kind: ESCALATE_JOB,
            payload: { pageId: e.pageId, seq: e.seq },
            runAt: e.at,
            idempotencyKey: `${ESCALATE_JOB}:${e.pageId}:${e.seq}`,
            maxAttempts: 10,
          });
          break;
        case 'notify':
          await planNotify(trx, e.pageId, e.userId, e.idempotencyKey, now);
          break;
      }
    }
  }

  async function stepPage(
    trx: Kysely<DB>,
    pageId: string,
    event: EscalationEvent,
    resolve: ResolveTargets,
  ): Promise<boolean> {
    const page = await store.findPageForUpdate(trx, dialect, pageId);
    if (!page) return false;
    const policy = scaled(parseJson<EscalationPolicy>(page.policy_json));
    const state = parseJson<EscalationState>(page.escalation_json);
    const step = stepEscalation(policy, state, event, resolve);
    if (step.state === state && step.effects.length === 0) return false;
    await applyStep(trx, page, step);
    return true;
  }

  // ---- intake ------------------------------------------------------------------------------------

  async function applyEvent(
    trx: Kysely<DB>,
    p: Prepared,
    ev: NormalisedEvent,
    at: number,
  ): Promise<void> {
    const reads = readsOf(trx);
    if (!reads.lockedServices.has(p.serviceId)) {
      await store.lockService(trx, dialect, p.serviceId);
      reads.lockedServices.add(p.serviceId);
    }
    // One read for both (one round trip on PostgreSQL); the flap state counts only when needed.
    const found = await store.findOpenAlertAndFlap(trx, p.serviceId, ev.dedupKey);
    // A count an earlier event of this batch gave the alert is written only before the commit.
    const pendingCount = found.open && store.pendingAlertCount(trx, found.open.id);
    const open =
      found.open && pendingCount !== undefined
        ? { ...found.open, count: pendingCount }
        : found.open;
    const creating = open === undefined && ev.action === 'trigger';
    const needsFlap = creating || (open !== undefined && ev.action === 'resolve');
    const flapJson = needsFlap ? found.flapJson : undefined;
    const flapState: FlapState = flapJson ? parseJson<FlapState>(flapJson) : EMPTY_FLAP_STATE;
    // The windows ending after `at`, read once per batch (again only for an earlier `at`).
    if (creating && !(reads.maintenance && reads.maintenance.at <= at))
      reads.maintenance = {
        at,
        windows: (await store.listMaintenance(trx, at)).map((w) => ({
          id: w.id,
          serviceIds: w.service_ids_json === null ? null : parseJson<string[]>(w.service_ids_json),
          startsAt: w.starts_at,
          endsAt: w.ends_at,
        })),
      };
    const maintenance: MaintenanceWindow[] = creating ? reads.maintenance!.windows : [];
    // A grouping window of 0 turns grouping off: the open pages do not matter.
    const openPages =
      creating && p.groupingWindowMs > 0
        ? (await store.openPagesOfService(trx, p.serviceId)).map((r) => ({
            id: r.id,
            openedAt: r.opened_at,
            status: r.status as 'triggered' | 'acknowledged',
          }))
        : [];
    const d = decideIntake({
      serviceId: p.serviceId,
      event: ev,
      at,
      openAlert:
        open === undefined
          ? null
          : { id: open.id, status: open.status as 'triggered' | 'acknowledged', count: open.count },
      flapState,
      flapSettings: p.flap,
      maintenance,
      openPages,
      groupingWindowMs: p.groupingWindowMs,
    });
    const newFlap =
      d.flapState !== flapState
        ? { serviceId: p.serviceId, dedupKey: ev.dedupKey, stateJson: JSON.stringify(d.flapState) }
        : undefined;
    // A new alert writes its flap state with its own row (one statement on PostgreSQL).
    if (newFlap && d.dedup.kind !== 'create')
      await store.saveFlapState(trx, newFlap.serviceId, newFlap.dedupKey, newFlap.stateJson);
    switch (d.dedup.kind) {
      case 'create': {
        const alertId = newId();
        let pageId: string | null = null;
        let suppressed: string | null = null;
        let start: EscalationStep | undefined;
        let page: Parameters<typeof store.insertPage>[1] | undefined;
        if (d.paging.kind === 'open') {
          pageId = newId();
          // The escalation starts in the row as it is inserted (one statement, not two).
          start = startEscalation(
            pageId,
            scaled(parseJson<EscalationPolicy>(p.policyJson)),
            at,
            p.resolve,
          );
          page = {
            id: pageId,
            service_id: p.serviceId,
            summary: ev.summary,
            severity: ev.severity,
            status: 'triggered',
            alert_count: 1,
            policy_json: p.policyJson,
            escalation_json:
              start.state.status === 'triggered' ? JSON.stringify(start.state) : '{}',
            opened_at: at,
            acknowledged_at: null,
            resolved_at: null,
            updated_at: at,
          };
        } else if (d.paging.kind === 'join') {
          pageId = d.paging.pageId;
        } else if (d.paging.kind === 'suppressed') {
          suppressed = d.paging.reason;
        }
        const alert: Parameters<typeof store.insertAlert>[1] = {
          id: alertId,
          service_id: p.serviceId,
          dedup_key: ev.dedupKey,
          open_key: store.openKey(p.serviceId, ev.dedupKey),
          status: 'triggered',
          summary: ev.summary,
          source: ev.source,
          severity: ev.severity,
          details_json: JSON.stringify(ev.details),
          links_json: JSON.stringify(ev.links),
          count: 1,
          page_id: pageId,
          suppressed,
          occurred_at: ev.occurredAt,
          created_at: at,
          updated_at: at,
          resolved_at: null,
        };
        await store.insertNewAlert(trx, dialect, alert, page, newFlap);
        if (start !== undefined && pageId !== null) {
          await applyStep(
            trx,
            { id: pageId, status: 'triggered' },
            start,
            start.state.status === 'triggered',
          );
        } else if (d.paging.kind === 'join') {
          await trx
            .updateTable('page')
            .set((eb) => ({ alert_count: eb('alert_count', '+', 1), updated_at: at }))
            .where('id', '=', d.paging.pageId)
            .execute();
          await store.insertTimelineWithBatch(trx, {
            pageId: d.paging.pageId,
            at,
            type: 'alert_grouped',
            data: { alertId, summary: ev.summary },
          });
        }
        return;
      }
      case 'increment':
        await store.countAlertWithBatch(trx, d.dedup.alertId, d.dedup.count, at);
        return;
      case 'acknowledge':
        await store.updateAlert(trx, d.dedup.alertId, { status: 'acknowledged', updated_at: at });
        if (open?.page_id)
          await stepPage(
            trx,
            open.page_id,
            { type: 'acknowledge', at, userId: 'source' },
            p.resolve,
          );
        return;
      case 'resolve': {
        await store.updateAlert(trx, d.dedup.alertId, {
          status: 'resolved',
          open_key: null,
          resolved_at: at,
          updated_at: at,
        });
        // Auto-resolve: the page closes with its last alert.
        if (open?.page_id && pageResolvesWith(await store.alertStatusesOfPage(trx, open.page_id)))
          await stepPage(trx, open.page_id, { type: 'resolve', at, userId: null }, p.resolve);
        return;
      }
      case 'ignore':
        return;
    }
  }

  // What an intake needs of its service changes rarely; a second's staleness saves two reads
  // per request on the hot path.
  const preparedCache = new Map<string, { at: number; prepared: Promise<Prepared> }>();
  function preparedFor(serviceId: string, at: number): Promise<Prepared> {
    const hit = preparedCache.get(serviceId);
    if (hit && at - hit.at < 1000 && at >= hit.at) return hit.prepared;
    const prepared = prepare(serviceId, at);
    preparedCache.set(serviceId, { at, prepared });
    prepared.catch(() => preparedCache.delete(serviceId));
    return prepared;
  }

  /** Stores events of one service durably; resolves once they are committed. */
  async function recordEvents(serviceId: string, events: NormalisedEvent[]): Promise<void> {
    const at = clock.now();
    const prepared = await preparedFor(serviceId, at);
    // Group commit: committed together with whatever other writes are waiting (one fsync for
    // many requests); resolves only once committed. Events of one request apply in order, and
    // requests in the order they were queued, so dedup decides exactly as one at a time.
    await writer.run(async (trx) => {
      try {
        for (const ev of events) await applyEvent(trx, prepared, ev, at);
      } catch (error) {
        // Rolled back to this unit's savepoint, with any service lock it took (PostgreSQL):
        // the batch's later units must take it again.
        batchReads.delete(trx);
        throw error;
      }
    });
  }

  /**
   * For other modules (ticket SLA notices): one event on a service, whose page — when it opens
   * one — first notifies `firstUserIds` (waiting `firstDelayMinutes` for an acknowledgement) and
   * then follows the service's policy. Idempotent by `event.dedupKey` while the alert is open.
   */
  async function raise(
    serviceId: string,
    event: NormalisedEvent,
    opts: { firstUserIds?: readonly string[]; firstDelayMinutes?: number } = {},
  ): Promise<void> {
    const at = clock.now();
    const base = await prepare(serviceId, at);
    let prepared = base;
    if (opts.firstUserIds?.length) {
      const policy = parseJson<EscalationPolicy>(base.policyJson);
      const first = {
        targets: opts.firstUserIds.map((id) => ({ kind: 'user' as const, id })),
        delayMinutes: opts.firstDelayMinutes ?? policy.levels[0]?.delayMinutes ?? 15,
        roundRobin: false,
      };
      const p: EscalationPolicy = { ...policy, levels: [first, ...policy.levels] };
      prepared = {
        ...base,
        policyJson: JSON.stringify(p),
        resolve: await resolverFor(targetsOf(p), at),
      };
    }
    await writer.run(async (trx) => applyEvent(trx, prepared, event, at));
  }

  const integrationCache = new Map<
    string,
    { at: number; found: Promise<Awaited<ReturnType<typeof store.findIntegrationByKeyHash>>> }
  >();
  /** Bumped when keys change in this process: a lookup begun before is not cached after. */
  let keyGeneration = 0;
  async function findIntegration(key: string) {
    if (key.length === 0 || key.length > 200) return undefined;
    const hash = sha256(key);
    const now = clock.now();
    const hit = integrationCache.get(hash);
    if (hit && now - hit.at < 1000 && now >= hit.at) return hit.found;
    const generation = keyGeneration;
    const found = store.findIntegrationByKeyHash(db, hash);
    // Unknown keys are not cached: a flood of wrong keys must not grow the map.
    void found.then(
      (f) => {
        if (f && generation === keyGeneration) integrationCache.set(hash, { at: now, found });
      },
      () => undefined,
    );
    if (integrationCache.size > 10_000) integrationCache.clear();
    return found;
  }

  /**
   * An integration's key changed (rotated) and is committed: this process refuses the old key
   * at once. Other processes keep it for up to their cache's second.
   */
  function forgetIntegrationKeys(): void {
    keyGeneration++;
    integrationCache.clear();
  }

  /** An intake request: authenticate by key, validate, store, answer as the source expects. */
  async function intake(
    kind: Exclude<IntegrationKind, 'email'>,
    key: string | null,
    raw: string,
  ): Promise<IntakeAnswer> {
    const now = clock.now();
    const ctx = { now, newDedupKey: () => newId().replace(/-/g, '') };
    if (kind === 'pagerduty') {
      const parsed = parseJsonBody(raw);
      if (!parsed.ok)
        return { kind: 'answer', status: 400, body: pagerDutyInvalid([parsed.issue]) };
      const result = normaliseIntake('pagerduty', parsed.value, ctx);
      if (!result.ok) return { kind: 'answer', ...intakeResponse('pagerduty', result) };
      const integration = await findIntegration(pagerDutyRoutingKey(parsed.value) ?? '');
      if (!integration || integration.kind !== 'pagerduty')
        return { kind: 'answer', status: 400, body: pagerDutyUnknownRoutingKey() };
      await recordEvents(integration.serviceId, result.events);
      return { kind: 'answer', ...intakeResponse('pagerduty', result) };
    }
    const integration = await findIntegration(key ?? '');
    if (!integration || integration.kind !== kind) return { kind: 'unknown_key' };
    const parsed = parseJsonBody(raw);
    if (!parsed.ok)
      return {
        kind: 'answer',
        ...intakeResponse(kind, { ok: false, issues: [parsed.issue] }),
      };
    const result = normaliseIntake(kind, parsed.value, ctx);
    if (result.ok) await recordEvents(integration.serviceId, result.events);
    return { kind: 'answer', ...intakeResponse(kind, result) };
  }

  /**
   * An alert by email to alert+<key>@…, handed over by the mail intake already parsed. Stored
   * like any intake (group commit, dedup by subject); resolves once durable.
   */
  async function intakeEmail(
    key: string,
    mail: { from: string; subject: string; text: string; messageId?: string },
  ): Promise<
    | { ok: true; dedupKeys: string[] }
    | { ok: false; reason: 'unknown_key' }
    | { ok: false; reason: 'invalid'; field: string; message: string }
  > {
    const integration = await findIntegration(key);
    if (!integration || integration.kind !== 'email') return { ok: false, reason: 'unknown_key' };
    const now = clock.now();
    const result = normaliseIntake(
      'email',
      {
        from: mail.from,
        subject: mail.subject,
        text: mail.text.slice(0, 256 * 1024),
        ...(mail.messageId ? { messageId: mail.messageId } : {}),
        receivedAt: now,
      },
      { now, newDedupKey: () => newId().replace(/-/g, '') },
    );
    if (!result.ok) {
      const issue = result.issues[0];
      return {
        ok: false,
        reason: 'invalid',
        field: issue?.path ?? 'body',
        message: issue?.message ?? '',
      };
    }
    await recordEvents(integration.serviceId, result.events);
    return { ok: true, dedupKeys: result.events.map((e) => e.dedupKey) };
  }

  /** Whether an email integration has this key (the SMTP listener asks at RCPT TO). */
  async function hasEmailIntegration(key: string): Promise<boolean> {
    return (await findIntegration(key))?.kind === 'email';
  }

  // ---- configuration -----------------------------------------------------------------------------

  async function createPolicy(actor: Actor, input: z.infer<typeof escalationPolicyInput>) {
    const now = clock.now();
    const row = {
      id: newId(),
      name: input.name,
      description: input.description,
      repeat: input.repeat,
      levels_json: JSON.stringify(input.levels),
      created_at: now,
      updated_at: now,
    };
    await db.transaction().execute(async (trx) => {
      await store.insertPolicy(trx, row);
      await recordAudit(trx, actor, now, {
        action: 'alerts.policy.create',
        entityType: 'escalation_policy',
        entityId: row.id,
        before: null,
        after: input,
      });
    });
    return policyView(row);
  }

  async function updatePolicy(
    actor: Actor,
    id: string,
    input: z.infer<typeof escalationPolicyInput>,
  ) {
    const now = clock.now();
    const before = await store.findPolicy(db, id);
    if (!before) throw notFound('escalationPolicy', id);
    const row = {
      ...before,
      name: input.name,
      description: input.description,
      repeat: input.repeat,
      levels_json: JSON.stringify(input.levels),
      updated_at: now,
    };
    await db.transaction().execute(async (trx) => {
      await store.updatePolicy(trx, row);
      await recordAudit(trx, actor, now, {
        action: 'alerts.policy.update',
        entityType: 'escalation_policy',
        entityId: id,
        before: policyView(before),
        after: input,
      });
    });
    return policyView(row);
  }

  async function createService(actor: Actor, input: z.infer<typeof serviceInput>) {
    const now = clock.now();
    if (!(await store.findPolicy(db, input.escalationPolicyId)))
      throw invalid('escalationPolicyId', 'errors.notFound', {
        entity: 'escalationPolicy',
        id: input.escalationPolicyId,
      });
    const row = {
      id: newId(),
      name: input.name,
      escalation_policy_id: input.escalationPolicyId,
      grouping_window_minutes: input.groupingWindowMinutes,
      flap_json: JSON.stringify(input.flap),
      created_at: now,
      updated_at: now,
    };
    await db.transaction().execute(async (trx) => {
      await store.insertService(trx, row);
      await recordAudit(trx, actor, now, {
        action: 'alerts.service.create',
        entityType: 'alert_service',
        entityId: row.id,
        before: null,
        after: input,
      });
    });
    return serviceView(row);
  }

  /** Creates an integration; the key is returned this once and only its hash is kept. */
  async function createIntegration(actor: Actor, input: z.infer<typeof integrationInput>) {
    const now = clock.now();
    if (!(await store.findService(db, input.serviceId)))
      throw invalid('serviceId', 'errors.notFound', { entity: 'service', id: input.serviceId });
    const key = newIntegrationKey();
    const row = {
      id: newId(),
      service_id: input.serviceId,
      kind: input.kind,
      name: input.name,
      key_hash: sha256(key),
      created_at: now,
    };
    await db.transaction().execute(async (trx) => {
      await store.insertIntegration(trx, row);
      await recordAudit(trx, actor, now, {
        action: 'alerts.integration.create',
        entityType: 'alert_integration',
        entityId: row.id,
        before: null,
        after: input,
      });
    });
    const base = deps.publicUrl;
    const url =
      input.kind === 'pagerduty'
        ? `${base}/v2/enqueue`
        : input.kind === 'email'
          ? null
          : `${base}/api/integrations/${key}/${input.kind}`;
    return {
      id: row.id,
      serviceId: row.service_id,
      kind: input.kind,
      name: row.name,
      key,
      url,
      ...(input.kind === 'email'
        ? { address: deps.mailDomain ? `alert+${key}@${deps.mailDomain}` : null }
        : {}),
      createdAt: now,
    };
  }

  async function createMaintenance(actor: Actor, input: z.infer<typeof maintenanceWindowInput>) {
    const now = clock.now();
    const row = {
      id: newId(),
      name: input.name,
      service_ids_json: input.serviceIds === null ? null : JSON.stringify(input.serviceIds),
      starts_at: input.startsAt,
      ends_at: input.endsAt,
      created_at: now,
    };
    await db.transaction().execute(async (trx) => {
      await store.insertMaintenance(trx, row);
      await recordAudit(trx, actor, now, {
        action: 'alerts.maintenance.create',
        entityType: 'maintenance_window',
        entityId: row.id,
        before: null,
        after: input,
      });
    });
    return { id: row.id, ...input };
  }

  async function createHeartbeat(actor: Actor, input: z.infer<typeof heartbeatInput>) {
    const now = clock.now();
    if (!(await store.findService(db, input.serviceId)))
      throw invalid('serviceId', 'errors.notFound', { entity: 'service', id: input.serviceId });
    const key = newIntegrationKey();
    const row = {
      id: newId(),
      service_id: input.serviceId,
      name: input.name,
      key_hash: sha256(key),
      interval_seconds: input.intervalSeconds,
      grace_seconds: input.graceSeconds,
      last_ping_at: null,
      down: 0,
      created_at: now,
    };
    await db.transaction().execute(async (trx) => {
      await store.insertHeartbeat(trx, row);
      await recordAudit(trx, actor, now, {
        action: 'alerts.heartbeat.create',
        entityType: 'heartbeat_monitor',
        entityId: row.id,
        before: null,
        after: input,
      });
    });
    return {
      id: row.id,
      ...input,
      key,
      pingUrl: `${deps.publicUrl}/api/heartbeats/${key}/ping`,
    };
  }

  const monitorOf = (r: store.HeartbeatRow): HeartbeatMonitor => ({
    id: r.id,
    name: r.name,
    intervalSeconds: r.interval_seconds,
    graceSeconds: r.grace_seconds,
    createdAt: r.created_at,
    lastPingAt: r.last_ping_at,
    down: r.down === 1,
  });

  /** A heartbeat ping; false when the key is unknown. */
  async function ping(key: string): Promise<boolean> {
    const row = key.length > 200 ? undefined : await store.findHeartbeatByKeyHash(db, sha256(key));
    if (!row) return false;
    const now = clock.now();
    const { decision } = recordPing(monitorOf(row), now);
    const prepared = decision.kind === 'resolve' ? await prepare(row.service_id, now) : null;
    await db.transaction().execute(async (trx) => {
      await store.updateHeartbeat(trx, row.id, { last_ping_at: now, down: 0 });
      if (decision.kind === 'resolve' && prepared)
        await applyEvent(trx, prepared, decision.event, now);
    });
    return true;
  }

  async function checkHeartbeats(): Promise<void> {
    const now = clock.now();
    for (const row of await store.listHeartbeats(db)) {
      const decision = checkHeartbeat(monitorOf(row), now);
      if (decision.kind !== 'raise') continue;
      const prepared = await prepare(row.service_id, now);
      await db.transaction().execute(async (trx) => {
        await store.updateHeartbeat(trx, row.id, { down: 1 });
        await applyEvent(trx, prepared, decision.event, now);
      });
    }
  }

  // ---- contact methods ---------------------------------------------------------------------------

  async function createContactMethod(
    actor: Actor,
    userId: string,
    input: z.infer<typeof contactMethodInput>,
  ) {
    const now = clock.now();
    const row = {
      id: newId(),
      user_id: userId,
      name: input.name,
      kind: input.target.kind,
      target_json: JSON.stringify(input.target),
      verified: 0,
      disabled: 0,
      verification_json: null,
      created_at: now,
    };
    await db.transaction().execute(async (trx) => {
      await store.insertContactMethod(trx, row);
      await recordAudit(trx, actor, now, {
        action: 'alerts.contact_method.create',
        entityType: 'contact_method',
        entityId: row.id,
        before: null,
        after: { name: input.name, kind: input.target.kind },
      });
    });
    return contactView(row);
  }

  async function ownMethod(userId: string, id: string) {
    const m = await store.findContactMethod(db, id);
    if (!m || m.user_id !== userId) throw notFound('contactMethod', id);
    return m;
  }

  /** Sends a fresh code through the method; the code itself is never stored. */
  async function startContactVerification(userId: string, id: string) {
    const m = await ownMethod(userId, id);
    const now = clock.now();
    const { code, pending } = startVerification(id, await secret(), now);
    await store.setVerification(db, id, {
      verified: m.verified,
      verification_json: JSON.stringify(pending),
    });
    const locale = await deps.userLocale(userId);
    const message: NotificationMessage = {
      id: `verify:${id}:${now}`,
      kind: 'verification',
      locale,
      title: 'Dutydesk',
      body: t(locale, 'notify.verification.body', { code, minutes: 15 }),
      links: {},
    };
    const outcome = await deliver(deps.channels, message, parseJson<ChannelTarget>(m.target_json), {
      now,
      timeoutMs: deps.sendTimeoutMs ?? 10_000,
      ssrf: deps.ssrf,
    });
    if (outcome.status !== 'delivered')
      throw invalid('contactMethodId', 'alerts.errors.channelUnavailable', {
        reason: outcome.error ?? outcome.status,
      });
    return { sent: true, expiresAt: pending.expiresAt };
  }

  async function verifyContactMethod(actor: Actor, userId: string, id: string, code: string) {
    const m = await ownMethod(userId, id);
    if (m.verification_json === null)
      throw invalid('code', 'alerts.errors.verificationFailed', { reason: 'not_started' });
    const result = checkVerification(
      parseJson(m.verification_json),
      code,
      await secret(),
      clock.now(),
    );
    if (!result.ok) {
      await store.setVerification(db, id, {
        verified: m.verified,
        verification_json: JSON.stringify(result.pending),
      });
      throw invalid('code', 'alerts.errors.verificationFailed', { reason: result.reason });
    }
    await db.transaction().execute(async (trx) => {
      await store.setVerification(trx, id, { verified: 1, verification_json: null });
      await recordAudit(trx, actor, clock.now(), {
        action: 'alerts.contact_method.verify',
        entityType: 'contact_method',
        entityId: id,
        before: { verified: m.verified === 1 },
        after: { verified: true },
      });
    });
    return contactView({ ...m, verified: 1, verification_json: null });
  }

  async function addRule(
    actor: Actor,
    userId: string,
    input: z.infer<typeof notificationRuleInput>,
  ) {
    await ownMethod(userId, input.contactMethodId).catch(() => {
      throw invalid('contactMethodId', 'errors.notFound', {
        entity: 'contactMethod',
        id: input.contactMethodId,
      });
    });
    const now = clock.now();
    const row = {
      id: newId(),
      user_id: userId,
      contact_method_id: input.contactMethodId,
      delay_minutes: input.delayMinutes,
      created_at: now,
    };
    await db.transaction().execute(async (trx) => {
      await store.insertRule(trx, row);
      await recordAudit(trx, actor, now, {
        action: 'alerts.notification_rule.create',
        entityType: 'notification_rule',
        entityId: row.id,
        before: null,
        after: input,
      });
    });
    return { id: row.id, contactMethodId: row.contact_method_id, delayMinutes: row.delay_minutes };
  }

  async function listRules(userId: string) {
    return (await store.listRules(db, userId)).map((r) => ({
      id: r.id,
      contactMethodId: r.contact_method_id,
      delayMinutes: r.delay_minutes,
    }));
  }

  async function removeRule(actor: Actor, userId: string, id: string) {
    await db.transaction().execute(async (trx) => {
      if ((await store.deleteRule(trx, userId, id)) === 0) throw notFound('notificationRule', id);
      await recordAudit(trx, actor, clock.now(), {
        action: 'alerts.notification_rule.delete',
        entityType: 'notification_rule',
        entityId: id,
        before: { id },
        after: null,
      });
    });
  }

  // ---- pages -------------------------------------------------------------------------------------

  function toEvent(action: PageActionInput, at: number, userId: string): EscalationEvent {
    switch (action.type) {
      case 'acknowledge':
        return { type: 'acknowledge', at, userId };
      case 'resolve':
        return { type: 'resolve', at, userId };
      case 'escalate_now':
        return { type: 'escalate_now', at, userId };
      case 'snooze':
        return { type: 'snooze', at, userId, until: at + action.minutes * minuteMs };
      case 'reassign':
        return { type: 'reassign', at, userId, to: action.to };
      case 'add_responders':
        return { type: 'add_responders', at, userId, targets: action.targets };
    }
  }

  async function act(actor: Actor, userId: string, pageId: string, action: PageActionInput) {
    const page = await store.findPage(db, pageId);
    if (!page) throw notFound('page', pageId);
    const now = clock.now();
    const extra =
      action.type === 'reassign'
        ? action.to
        : action.type === 'add_responders'
          ? action.targets
          : [];
    const resolve = await resolverFor(
      [...targetsOf(parseJson<EscalationPolicy>(page.policy_json)), ...extra],
      now,
    );
    await db.transaction().execute(async (trx) => {
      const changed = await stepPage(trx, pageId, toEvent(action, now, userId), resolve);
      if (changed)
        await recordAudit(trx, actor, now, {
          action: `alerts.page.${action.type}`,
          entityType: 'page',
          entityId: pageId,
          before: { status: page.status },
          after: action,
        });
    });
    return getPage(pageId);
  }

  async function escalateJob(payload: { pageId: string; seq: number }): Promise<void> {
    const page = await store.findPage(db, payload.pageId);
    if (!page) return;
    const state = parseJson<EscalationState>(page.escalation_json);
    // A stale timer (acknowledged, escalated by hand, resolved) does nothing.
    if (state.seq !== payload.seq) return;
    const now = clock.now();
    const resolve = await resolverFor(
      targetsOf(parseJson<EscalationPolicy>(page.policy_json)),
      now,
    );
    await db.transaction().execute(async (trx) => {
      await stepPage(trx, payload.pageId, { type: 'timer', at: now, seq: payload.seq }, resolve);
    });
  }

  // A message needs the service's name and the person's language: both change rarely, and a
  // few seconds' staleness saves three reads per send.
  const serviceNames = ttlCache(5000, (id: string) => store.findService(db, id));
  const locales = ttlCache(5000, (userId: string) => deps.userLocale(userId));
  /**
   * A send's reads, together. On SQLite the one connection is held by the group-commit
   * transaction most of the time under load, so each read alone would wait for a batch: they
   * join it as one unit instead (one wait, not four). On PostgreSQL they read from the pool.
   */
  // Admissions to a rate-limited robot: group-committed on SQLite, a transaction on PostgreSQL.
  const sendWrite = <T>(unit: (trx: Kysely<DB>) => Promise<T>): Promise<T> =>
    dialect === 'sqlite' ? writer.run(unit) : db.transaction().execute(unit);
  const sendRead = <T>(unit: (trx: Kysely<DB>) => Promise<T>): Promise<T> =>
    dialect === 'sqlite' ? writer.run(unit) : unit(db);

  /**
   * Delivers one planned send. Its outcome (timeline row, retry job) is returned to the job
   * engine, which commits it with the job's completion: claim, reads and outcome are the
   * send's only waits on the database (and an admission when the channel is rate-limited).
   */
  /** A send's reads; null when there is nothing to send (already delivered, page gone). */
  async function readSend(trx: Kysely<DB>, p: SendPayload) {
    // One statement (delivered/held, page, contact method), not four.
    const found = await store.findSend(trx, p.pageId, p.contactMethodId, p.sendKey);
    if (!found || found.delivered) return null;
    const { page } = found;
    const method = page.status === 'triggered' ? found.method : undefined;
    return { page, method, held: method ? found.held : false };
  }

  async function sendJob(p: SendPayload, preloaded: unknown): Promise<JobOutcomeWrite | undefined> {
    const read =
      preloaded !== undefined
        ? (preloaded as Awaited<ReturnType<typeof readSend>>)
        : await sendRead((trx) => readSend(trx, p));
    if (!read) return undefined;
    const { page, method } = read;
    const now = clock.now();
    if (page.status !== 'triggered')
      return (trx) =>
        store.insertTimelineWithBatch(trx, {
          pageId: p.pageId,
          at: now,
          type: 'notification_cancelled',
          sendKey: p.sendKey,
          data: { userId: p.userId, pageStatus: page.status },
        });
    if (!method || method.verified !== 1 || method.disabled === 1)
      return (trx) =>
        store.insertTimelineWithBatch(trx, {
          pageId: p.pageId,
          at: now,
          type: 'notification_skipped',
          sendKey: p.sendKey,
          data: { userId: p.userId, contactMethodId: p.contactMethodId },
        });
    // Already held for a digest by an earlier try: the digest carries it.
    if (read.held) return undefined;
    const service = await serviceNames.get(page.service_id);
    const message = pageMessage({
      page: {
        id: page.id,
        summary: page.summary,
        serviceName: service?.name ?? '',
        severity: page.severity as 'critical',
        alertCount: page.alert_count,
      },
      userId: p.userId,
      locale: await locales.get(p.userId),
      baseUrl: deps.publicUrl,
      linkSecret: await secret(),
      now,
      sendKey: p.sendKey,
    });
    // A robot at its rate limit: the message waits for the target's digest (notify/digest-queue).
    // The slot is taken (committed) before the message goes out.
    const target = parseJson<ChannelTarget>(method.target_json);
    if (limitedTarget(target) !== null) {
      const admitted = await sendWrite(async (trx) => {
        const a = await admit(trx, dialect, clock, target, message, {
          pageId: p.pageId,
          sendKey: p.sendKey,
        });
        if (a.kind === 'held')
          await store.insertTimeline(trx, {
            pageId: p.pageId,
            at: now,
            type: 'notification_held',
            sendKey: p.sendKey,
            data: {
              userId: p.userId,
              contactMethodId: method.id,
              channel: method.kind,
              until: a.releaseAt,
            },
          });
        return a;
      });
      if (admitted.kind === 'held') return undefined;
    }
    const handedAt = clock.now();
    const outcome = await deliver(deps.channels, message, target, {
      now: handedAt,
      timeoutMs: deps.sendTimeoutMs ?? 10_000,
      ssrf: deps.ssrf,
    });
    const after = clock.now();
    const decision = decideRetry(outcome, p.attempt, after);
    // The outcome's row is written with its batch's other timeline rows (one statement before the
    // commit). No unit of the batch can miss a "delivered" row that way: the only other run of
    // this send key would be this job claimed again, and the job engine marks it finished at once
    // (not deferred), in this same unit.
    return async (trx) => {
      await store.insertTimelineWithBatch(trx, {
        pageId: p.pageId,
        at: after,
        type: outcome.status === 'delivered' ? 'notification_delivered' : 'notification_failed',
        sendKey: p.sendKey,
        data: {
          userId: p.userId,
          contactMethodId: method.id,
          channel: method.kind,
          attempt: p.attempt,
          handedAt,
          outcome,
          next: decision,
        },
      });
      // The provider throttled the robot (DingTalk's 10-minute block after 20 a minute, when
      // another sender shares it): later messages to it wait for the digest, not refused too.
      if (outcome.status === 'retryable_error' && outcome.retryAfterMs !== undefined)
        await recordThrottle(trx, dialect, clock, target, outcome);
      if (decision.kind === 'retry') {
        await enqueueJob(trx, dialect, clock, {
          kind: SEND_JOB,
          payload: { ...p, attempt: p.attempt + 1 },
          runAt: decision.at,
          idempotencyKey: `${SEND_JOB}:${p.sendKey}:${p.attempt + 1}`,
          maxAttempts: 5,
        });
      }
    };
  }

  const jobs: JobHandler[] = [
    {
      kind: ESCALATE_JOB,
      maxAttempts: 10,
      run: (payload) => escalateJob(payload as { pageId: string; seq: number }),
    },
    {
      kind: SEND_JOB,
      maxAttempts: 5,
      run: (payload, ctx) => sendJob(payload as SendPayload, ctx.preloaded),
      // SQLite: the reads join the claiming transaction (one wait for the connection, not two).
      ...(dialect === 'sqlite'
        ? { preload: (trx: Kysely<DB>, payload: unknown) => readSend(trx, payload as SendPayload) }
        : {}),
    },
    { kind: HEARTBEAT_JOB, maxAttempts: 3, run: () => checkHeartbeats() },
    digestJobHandler({
      db,
      dialect,
      clock,
      channels: deps.channels,
      ssrf: deps.ssrf,
      ...(deps.sendTimeoutMs === undefined ? {} : { timeoutMs: deps.sendTimeoutMs }),
      onDigest: recordDigestOnTimelines,
    }),
  ];

  // ---- action links ----------------------------------------------------------------------------

  async function verifyLink(
    token: string,
  ): Promise<{ ok: true; claims: ActionClaims } | { ok: false; reason: string }> {
    const r = verifyActionLink(token, await secret(), clock.now());
    return r.ok ? r : { ok: false, reason: r.reason };
  }

  // ---- views -------------------------------------------------------------------------------------

  async function getPage(id: string) {
    const page = await store.findPage(db, id);
    if (!page) throw notFound('page', id);
    const [alerts, timeline] = await Promise.all([
      store.alertsOfPage(db, id),
      store.timelineOfPage(db, id),
    ]);
    return {
      ...pageView(page),
      alerts: alerts.map(alertView),
      timeline: timeline.map((e) => ({
        id: e.id,
        at: e.at,
        type: e.type,
        data: parseJson<Record<string, unknown>>(e.data_json),
      })),
    };
  }

  return {
    intake,
    intakeEmail,
    hasEmailIntegration,
    forgetIntegrationKeys,
    recordEvents,
    raise,
    createPolicy,
    updatePolicy,
    listPolicies: async () => (await store.listPolicies(db)).map(policyView),
    createService,
    listServices: async () => (await store.listServices(db)).map(serviceView),
    createIntegration,
    listIntegrations: async (serviceId: string) =>
      (await store.listIntegrations(db, serviceId)).map((r) => ({
        id: r.id,
        serviceId: r.service_id,
        kind: r.kind,
        name: r.name,
        createdAt: r.created_at,
      })),
    createMaintenance,
    listMaintenance: async () =>
      (await store.listMaintenance(db, clock.now())).map((w) => ({
        id: w.id,
        name: w.name,
        serviceIds: w.service_ids_json === null ? null : parseJson<string[]>(w.service_ids_json),
        startsAt: w.starts_at,
        endsAt: w.ends_at,
      })),
    createHeartbeat,
    listHeartbeats: async () =>
      (await store.listHeartbeats(db)).map((r) => ({
        id: r.id,
        serviceId: r.service_id,
        name: r.name,
        intervalSeconds: r.interval_seconds,
        graceSeconds: r.grace_seconds,
        lastPingAt: r.last_ping_at,
        down: r.down === 1,
      })),
    ping,
    checkHeartbeats,
    createContactMethod,
    listContactMethods: async (userId: string) =>
      (await store.listContactMethods(db, userId)).map(contactView),
    startContactVerification,
    verifyContactMethod,
    addRule,
    listRules,
    removeRule,
    act,
    getPage,
    listPages: async (q: { status?: string; limit: number }) =>
      (await store.listPages(db, q)).map(pageView),
    listAlerts: async (q: { serviceId?: string; limit: number }) =>
      (await store.listAlerts(db, q)).map(alertView),
    verifyLink,
    jobs,
  };
}

export type AlertsService = ReturnType<typeof createAlertsService>;

function policyView(r: store.PolicyRow) {
  return {
    id: r.id,
    name: r.name,
    description: r.description,
    repeat: r.repeat,
    levels: parseJson<z.infer<typeof escalationPolicyInput>['levels']>(r.levels_json),
    updatedAt: r.updated_at,
  };
}

function serviceView(r: store.ServiceRow) {
  return {
    id: r.id,
    name: r.name,
    escalationPolicyId: r.escalation_policy_id,
    groupingWindowMinutes: r.grouping_window_minutes,
    flap: parseJson<{ maxChanges: number; windowMinutes: number; stableMinutes: number }>(
      r.flap_json,
    ),
  };
}

/** A contact method without its secrets (robot signing secrets, webhook secrets). */
function contactView(r: store.ContactMethodRow) {
  const target = parseJson<Record<string, unknown>>(r.target_json);
  const address =
    target.address ?? target.phone ?? target.webhookUrl ?? target.url ?? target.endpoint;
  return {
    id: r.id,
    name: r.name,
    kind: r.kind,
    address: typeof address === 'string' ? address : '',
    verified: r.verified === 1,
    disabled: r.disabled === 1,
  };
}

function pageView(r: store.PageRow) {
  const s = parseJson<Partial<EscalationState>>(r.escalation_json);
  return {
    id: r.id,
    serviceId: r.service_id,
    summary: r.summary,
    severity: r.severity,
    status: r.status,
    alertCount: r.alert_count,
    level: s.level ?? 0,
    openedAt: r.opened_at,
    acknowledgedAt: r.acknowledged_at,
    resolvedAt: r.resolved_at,
  };
}

function alertView(r: store.AlertRow) {
  return {
    id: r.id,
    serviceId: r.service_id,
    dedupKey: r.dedup_key,
    status: r.status,
    summary: r.summary,
    source: r.source,
    severity: r.severity,
    count: r.count,
    pageId: r.page_id,
    suppressed: r.suppressed,
    createdAt: r.created_at,
    resolvedAt: r.resolved_at,
  };
}
