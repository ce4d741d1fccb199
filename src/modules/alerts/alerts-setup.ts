import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Clock } from '../../lib/clock.js';
import { sha256 } from '../../lib/crypto.js';
import { invalid, notFound } from '../../lib/errors.js';
import type { LiveEvent } from '../../server/live.js';
import { type Actor, recordAudit } from '../audit/audit.service.js';
import { checkWebhookUrl, type SsrfPolicy } from '../notify/ssrf.js';
import type { AlertsService } from './alerts.service.js';

/**
 * What the web app's setup pages need beyond alerts.service.ts: rotating an integration's key,
 * a "send test alert" that goes through the real intake, and live updates on the `alerts`
 * topic. Kept apart from the intake hot path; it calls the service's exported functions.
 */

/** The generic integration "send test alert" goes through (one per service, key never shown). */
export const TEST_INTEGRATION_NAME = 'Dutydesk test alert';

export interface AlertsSetupDeps {
  db: Kysely<DB>;
  clock: Clock;
  alerts: AlertsService;
  publicUrl: string;
  mailDomain?: string;
}

function integrationUrl(base: string, kind: string, key: string): string | null {
  if (kind === 'pagerduty') return `${base}/v2/enqueue`;
  if (kind === 'email') return null;
  return `${base}/api/integrations/${key}/${kind}`;
}

export function createAlertsSetup(deps: AlertsSetupDeps) {
  const { db, clock, alerts } = deps;

  async function findIntegration(id: string) {
    return db.selectFrom('alert_integration').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /**
   * A new key for an integration. The old one is refused at once by this process; another
   * process (several api processes) may still take it for up to a second (its key cache).
   */
  async function rotateKey(actor: Actor, id: string) {
    const row = await findIntegration(id);
    if (!row) throw notFound('integration', id);
    const key = randomBytes(16).toString('hex');
    const now = clock.now();
    await db.transaction().execute(async (trx) => {
      await trx
        .updateTable('alert_integration')
        .set({ key_hash: sha256(key) })
        .where('id', '=', id)
        .execute();
      await recordAudit(trx, actor, now, {
        action: 'alerts.integration.rotate_key',
        entityType: 'alert_integration',
        entityId: id,
        before: null,
        after: { rotatedAt: now },
      });
    });
    alerts.forgetIntegrationKeys();
    return {
      id: row.id,
      serviceId: row.service_id,
      kind: row.kind,
      name: row.name,
      key,
      url: integrationUrl(deps.publicUrl, row.kind, key),
      ...(row.kind === 'email'
        ? { address: deps.mailDomain ? `alert+${key}@${deps.mailDomain}` : null }
        : {}),
      createdAt: row.created_at,
    };
  }

  /**
   * Sends a test alert to a service through the generic intake, exactly as a monitoring tool
   * would (key lookup, validation, group commit, dedup, paging). The service's test integration
   * is created on first use and gets a fresh key each time, so no key is ever kept in clear.
   */
  async function sendTestAlert(actor: Actor, serviceId: string, summary: string) {
    const service = (await alerts.listServices()).find((s) => s.id === serviceId);
    if (!service) throw notFound('service', serviceId);
    const existing = (await alerts.listIntegrations(serviceId)).find(
      (i) => i.kind === 'generic' && i.name === TEST_INTEGRATION_NAME,
    );
    const key = existing
      ? (await rotateKey(actor, existing.id)).key
      : (
          await alerts.createIntegration(actor, {
            serviceId,
            kind: 'generic',
            name: TEST_INTEGRATION_NAME,
          })
        ).key;
    const dedupKey = `test-${randomBytes(6).toString('hex')}`;
    const answer = await alerts.intake(
      'generic',
      key,
      JSON.stringify({
        summary,
        source: 'dutydesk-test',
        severity: 'warning',
        dedupKey,
        details: { test: true, by: actor.name ?? actor.userId },
      }),
    );
    if (answer.kind !== 'answer' || answer.status !== 202)
      throw new Error(`test alert refused by intake: ${JSON.stringify(answer)}`);
    const alert = await db
      .selectFrom('alert')
      .select(['id', 'page_id', 'suppressed'])
      .where('service_id', '=', serviceId)
      .where('dedup_key', '=', dedupKey)
      .orderBy('created_at', 'desc')
      .executeTakeFirst();
    return {
      dedupKey,
      alertId: alert?.id ?? null,
      pageId: alert?.page_id ?? null,
      suppressed: alert?.suppressed ?? null,
    };
  }

  return { rotateKey, sendTestAlert };
}

export type AlertsSetup = ReturnType<typeof createAlertsSetup>;

/**
 * Tells browsers on the `alerts` topic that something changed (they reload what they show).
 * Coalesced: at most one event per `everyMs`, so a flood of alerts costs a few events, not one
 * per alert (and on PostgreSQL not one NOTIFY per intake request).
 */
export function alertsLiveNotifier(
  publish: (event: LiveEvent) => Promise<void>,
  everyMs = 300,
): { changed: (pageId?: string) => void; close: () => void } {
  let timer: NodeJS.Timeout | undefined;
  let pending = new Set<string>();
  let closed = false;
  const flush = () => {
    timer = undefined;
    const ids = [...pending];
    pending = new Set();
    void publish({
      topic: 'alerts',
      type: 'alerts',
      ...(ids.length === 1 ? { id: ids[0] } : {}),
    }).catch(() => undefined);
  };
  return {
    changed(pageId) {
      if (closed) return;
      pending.add(pageId ?? '*');
      timer ??= setTimeout(flush, everyMs);
    },
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
    },
  };
}

/**
 * The alerts service with live updates: intake, page actions and the paging jobs announce a
 * change on the `alerts` topic once they are done (after their commit).
 */
export function withLiveUpdates(
  alerts: AlertsService,
  changed: (pageId?: string) => void,
): AlertsService {
  return {
    ...alerts,
    async intake(...args) {
      const answer = await alerts.intake(...args);
      if (answer.kind === 'answer' && answer.status < 300) changed();
      return answer;
    },
    async intakeEmail(...args) {
      const answer = await alerts.intakeEmail(...args);
      if (answer.ok) changed();
      return answer;
    },
    async raise(...args) {
      await alerts.raise(...args);
      changed();
    },
    async act(...args) {
      const page = await alerts.act(...args);
      changed(page.id);
      return page;
    },
    jobs: alerts.jobs.map((job) => ({
      ...job,
      async run(payload, ctx) {
        const outcome = await job.run(payload, ctx);
        const pageId = (payload as { pageId?: unknown } | null)?.pageId;
        // The outcome commits with the job's completion, well within the notifier's 300 ms.
        changed(typeof pageId === 'string' ? pageId : undefined);
        return outcome;
      },
    })),
  };
}

const URL_FIELDS = ['webhookUrl', 'url', 'endpoint'] as const;

/**
 * A webhook-type contact method is refused when it is added (not only when a page is sent)
 * if its URL points at loopback, link-local or private ranges the admin has not allowed: the
 * 400 names the field (`target.webhookUrl`…) and the reason. A host that does not resolve yet
 * is let through; the check runs again before every send.
 */
export function withContactUrlCheck(alerts: AlertsService, ssrf: SsrfPolicy): AlertsService {
  return {
    ...alerts,
    async createContactMethod(actor, userId, input) {
      const target = input.target as Record<string, unknown>;
      for (const field of URL_FIELDS) {
        const url = target[field];
        if (typeof url !== 'string') continue;
        const check = await checkWebhookUrl(url, ssrf);
        if (!check.ok && check.reason !== 'unresolvable')
          throw invalid(`target.${field}`, 'notify.errors.ssrf', {
            url,
            reason: check.address ? `${check.reason} ${check.address}` : check.reason,
          });
      }
      return alerts.createContactMethod(actor, userId, input);
    },
  };
}
