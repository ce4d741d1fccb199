import { describe, expect, it } from 'vitest';
import {
  contactMethodInput,
  escalationPolicyInput,
  maintenanceWindowInput,
  pageActionInput,
} from './alerts.schema.js';

describe('alerts input schemas', () => {
  it('accepts a two-level policy and refuses an empty one or unknown fields', () => {
    const ok = escalationPolicyInput.safeParse({
      name: '核心交易',
      levels: [
        { targets: [{ kind: 'post', id: 'night-tech' }], delayMinutes: 5 },
        { targets: [{ kind: 'team', id: 'dba' }], delayMinutes: 10, roundRobin: true },
      ],
      repeat: 2,
    });
    expect(ok.success).toBe(true);
    expect(escalationPolicyInput.safeParse({ name: 'x', levels: [] }).success).toBe(false);
    expect(
      escalationPolicyInput.safeParse({
        name: 'x',
        levels: [{ targets: [{ kind: 'user', id: 'u' }], delayMinutes: 5 }],
        colour: 1,
      }).success,
    ).toBe(false);
  });

  it('validates contact method addresses per kind', () => {
    expect(
      contactMethodInput.safeParse({ name: 'm', target: { kind: 'sms', phone: '+8613800138000' } })
        .success,
    ).toBe(true);
    expect(
      contactMethodInput.safeParse({ name: 'm', target: { kind: 'sms', phone: '13800138000' } })
        .success,
    ).toBe(false);
    expect(
      contactMethodInput.safeParse({
        name: 'm',
        target: { kind: 'dingtalk', webhookUrl: 'ftp://x' },
      }).success,
    ).toBe(false);
    expect(
      contactMethodInput.safeParse({
        name: 'm',
        target: { kind: 'webhook', url: 'https://x.example/h' },
      }).success,
    ).toBe(false);
  });

  it('refuses a maintenance window that ends before it starts and an unknown page action', () => {
    const r = maintenanceWindowInput.safeParse({
      name: 'w',
      serviceIds: null,
      startsAt: 10,
      endsAt: 5,
    });
    expect(r.success).toBe(false);
    if (!r.success) expect(r.error.issues[0]?.path).toEqual(['endsAt']);
    expect(pageActionInput.safeParse({ type: 'delete' }).success).toBe(false);
    expect(pageActionInput.safeParse({ type: 'snooze', minutes: 30 }).success).toBe(true);
  });
});
