import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { dingtalkFake } from '../../../test/fakes/dingtalk-fake.js';
import type { FakeHttpServer } from '../../../test/fakes/http-fake.js';
import { createChannels, deliver } from '../notify/channel-registry.js';
import { decideSend, EMPTY_RATE_STATE, RATE_LIMITS } from '../notify/rate-limit.js';
import { verifyActionLink } from './action-link.js';
import {
  startEscalation,
  stepEscalation,
  type EscalationPolicy,
  type ResolveTargets,
} from './escalation.js';
import { EMPTY_FLAP_STATE, DEFAULT_FLAP_SETTINGS } from './flapping.js';
import { decideIntake } from './intake-decision.js';
import { normaliseIntake } from './intake/intake.js';
import { planSends } from './notification-rules.js';
import { pageMessage } from './page-message.js';

// The pure parts composed the way the alerts service and its jobs will compose them: an
// Alertmanager webhook pages the on-duty technician on DingTalk, who acknowledges from the link.
const T0 = Date.UTC(2024, 4, 1, 18, 0, 0);
let fake: FakeHttpServer | undefined;
afterEach(async () => {
  await fake?.close();
});

describe('paging flow', () => {
  it('goes from a webhook to a DingTalk page and stops escalating on the link acknowledgement', async () => {
    fake = await dingtalkFake({ accessToken: 'tok', secret: 'SECx', now: () => T0 }).start();
    const body = JSON.parse(
      readFileSync(
        new URL('./intake/fixtures/alertmanager-v4-firing.json', import.meta.url),
        'utf8',
      ),
    ) as unknown;
    const intake = normaliseIntake('alertmanager', body, { now: T0, newDedupKey: () => 'x' });
    if (!intake.ok) throw new Error('refused');
    const event = intake.events[0]!;

    const decision = decideIntake({
      serviceId: 'svc',
      event,
      at: T0,
      openAlert: null,
      flapState: EMPTY_FLAP_STATE,
      flapSettings: DEFAULT_FLAP_SETTINGS,
      maintenance: [],
      openPages: [],
      groupingWindowMs: 300_000,
    });
    expect(decision.paging).toEqual({ kind: 'open' });

    const policy: EscalationPolicy = {
      levels: [
        { targets: [{ kind: 'post', id: 'night-tech' }], delayMinutes: 5, roundRobin: false },
        { targets: [{ kind: 'user', id: 'manager' }], delayMinutes: 10, roundRobin: false },
      ],
      repeat: 0,
    };
    const resolve: ResolveTargets = (t) =>
      t.kind === 'post' && t.id === 'night-tech' ? ['tech1'] : [];
    const start = startEscalation('page1', policy, T0, resolve);
    const notify = start.effects.find((e) => e.kind === 'notify');
    if (notify?.kind !== 'notify') throw new Error('no notify effect');

    const plan = planSends(
      notify.idempotencyKey,
      T0,
      [{ id: 'r1', contactMethodId: 'cm1', delayMinutes: 0 }],
      [{ id: 'cm1', kind: 'dingtalk', verified: true, disabled: false }],
    );
    const send = plan.sends[0]!;
    expect(decideSend(EMPTY_RATE_STATE, send.sendAt, RATE_LIMITS.dingtalk).decision).toBe('send');

    const message = pageMessage({
      page: {
        id: 'page1',
        summary: event.summary,
        serviceName: 'API',
        severity: event.severity,
        alertCount: 1,
      },
      userId: notify.userId,
      locale: 'zh',
      baseUrl: 'https://duty.example.com',
      linkSecret: 'link-secret',
      now: T0,
      sendKey: send.idempotencyKey,
    });
    const ctx = {
      now: T0,
      timeoutMs: 2_000,
      ssrf: { allow: ['127.0.0.1/32'], resolve: async () => [] },
    };
    const outcome = await deliver(
      createChannels({}),
      message,
      {
        kind: 'dingtalk',
        webhookUrl: `${fake.origin}/robot/send?access_token=tok`,
        secret: 'SECx',
      },
      ctx,
    );
    expect(outcome.status).toBe('delivered');

    const sent = fake.accepted[0]?.json as { actionCard: { btns: Array<{ actionURL: string }> } };
    const token = sent.actionCard.btns[0]!.actionURL.split('/a/')[1]!;
    const claims = verifyActionLink(token, 'link-secret', T0 + 60_000);
    if (!claims.ok) throw new Error(claims.reason);
    expect(claims.claims).toMatchObject({
      pageId: 'page1',
      action: 'acknowledge',
      userId: 'tech1',
    });

    const acked = stepEscalation(
      policy,
      start.state,
      { type: 'acknowledge', at: T0 + 60_000, userId: claims.claims.userId },
      resolve,
    );
    const timer = start.effects.find((e) => e.kind === 'schedule');
    if (timer?.kind !== 'schedule') throw new Error('no timer');
    const late = stepEscalation(
      policy,
      acked.state,
      { type: 'timer', at: timer.at, seq: timer.seq },
      resolve,
    );
    expect(late.effects).toEqual([]);
  });
});
