import { z } from 'zod';
import { INTEGRATION_KINDS } from './intake/intake.js';

const id = z.string().min(1).max(64);
const target = z.strictObject({ kind: z.enum(['user', 'team', 'post']), id });

/** An escalation policy as an admin edits it. */
export const escalationPolicyInput = z.strictObject({
  name: z.string().trim().min(1).max(120),
  description: z.string().max(2000).default(''),
  repeat: z.number().int().min(0).max(9).default(0),
  levels: z
    .array(
      z.strictObject({
        targets: z.array(target).min(1).max(20),
        delayMinutes: z
          .number()
          .int()
          .min(1)
          .max(24 * 60),
        roundRobin: z.boolean().default(false),
      }),
    )
    .min(1)
    .max(10),
});
export type EscalationPolicyInput = z.infer<typeof escalationPolicyInput>;

/** A service: where alerts land, which policy pages, and how alerts are grouped. */
export const serviceInput = z.strictObject({
  name: z.string().trim().min(1).max(120),
  escalationPolicyId: id,
  groupingWindowMinutes: z
    .number()
    .int()
    .min(0)
    .max(24 * 60)
    .default(5),
  flap: z
    .strictObject({
      maxChanges: z.number().int().min(2).max(100),
      windowMinutes: z
        .number()
        .int()
        .min(1)
        .max(24 * 60),
      stableMinutes: z
        .number()
        .int()
        .min(1)
        .max(24 * 60),
    })
    .default({ maxChanges: 5, windowMinutes: 10, stableMinutes: 15 }),
});

export const integrationInput = z.strictObject({
  serviceId: id,
  kind: z.enum(INTEGRATION_KINDS),
  name: z.string().trim().min(1).max(120),
});

const phone = z.string().regex(/^\+[1-9]\d{6,14}$/, 'E.164, e.g. +8613800138000');
// Any host, IP addresses included: where a webhook may point is the SSRF guard's call at send time.
const webhookUrl = z.url({ protocol: /^https?$/ }).max(2048);
const secret = z.string().min(1).max(256);

/** A contact method as a person adds it; the address is validated per kind. */
export const contactMethodInput = z.strictObject({
  name: z.string().trim().min(1).max(80),
  target: z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('email'), address: z.email() }),
    z.strictObject({ kind: z.literal('sms'), phone }),
    z.strictObject({ kind: z.literal('voice'), phone }),
    z.strictObject({ kind: z.literal('dingtalk'), webhookUrl, secret: secret.optional() }),
    z.strictObject({ kind: z.literal('wecom'), webhookUrl }),
    z.strictObject({ kind: z.literal('feishu'), webhookUrl, secret: secret.optional() }),
    z.strictObject({ kind: z.literal('slack'), webhookUrl }),
    z.strictObject({ kind: z.literal('webhook'), url: webhookUrl, secret }),
    z.strictObject({
      kind: z.literal('webpush'),
      endpoint: z.httpUrl().max(2048),
      p256dh: z.base64url().length(87),
      auth: z.base64url().length(22),
    }),
  ]),
});

export const notificationRuleInput = z.strictObject({
  contactMethodId: id,
  delayMinutes: z
    .number()
    .int()
    .min(0)
    .max(24 * 60),
});

export const maintenanceWindowInput = z
  .strictObject({
    name: z.string().trim().min(1).max(120),
    serviceIds: z.array(id).min(1).nullable(),
    startsAt: z.number().int().nonnegative(),
    endsAt: z.number().int().nonnegative(),
  })
  .refine((w) => w.endsAt > w.startsAt, {
    path: ['endsAt'],
    message: 'alerts.errors.maintenanceRange',
  });

export const heartbeatInput = z.strictObject({
  serviceId: id,
  name: z.string().trim().min(1).max(120),
  intervalSeconds: z
    .number()
    .int()
    .min(30)
    .max(7 * 24 * 3600),
  graceSeconds: z
    .number()
    .int()
    .min(0)
    .max(24 * 3600)
    .default(60),
});

export const pageActionInput = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('acknowledge') }),
  z.strictObject({ type: z.literal('resolve') }),
  z.strictObject({ type: z.literal('escalate_now') }),
  z.strictObject({
    type: z.literal('snooze'),
    minutes: z
      .number()
      .int()
      .min(1)
      .max(24 * 60),
  }),
  z.strictObject({ type: z.literal('reassign'), to: z.array(target).min(1).max(20) }),
  z.strictObject({ type: z.literal('add_responders'), targets: z.array(target).min(1).max(20) }),
]);
export type PageActionInput = z.infer<typeof pageActionInput>;
