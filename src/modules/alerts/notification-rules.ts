import type { ChannelKind } from '../notify/channel.js';

/** A way to reach a person; only verified methods are ever used for paging. */
export interface ContactMethod {
  id: string;
  kind: ChannelKind;
  verified: boolean;
  disabled: boolean;
}

/** "SMS at 0 min, voice at 3 min": one step of a person's notification rules. */
export interface NotificationRule {
  id: string;
  contactMethodId: string;
  delayMinutes: number;
}

export interface PlannedSend {
  contactMethodId: string;
  kind: ChannelKind;
  ruleId: string;
  sendAt: number;
  /** The notify key plus the rule step: a retried job never sends the same step twice. */
  idempotencyKey: string;
}

export interface SendPlan {
  sends: PlannedSend[];
  /** Rules skipped because their method is unverified, disabled or gone (shown to the person). */
  skippedRuleIds: string[];
}

/**
 * The sends for one notification of one person, in time order. Each send job checks the page
 * before sending, so steps due after an acknowledgement are dropped there, not here.
 */
export function planSends(
  notifyKey: string,
  at: number,
  rules: readonly NotificationRule[],
  methods: readonly ContactMethod[],
): SendPlan {
  const byId = new Map(methods.map((m) => [m.id, m]));
  const sends: PlannedSend[] = [];
  const skippedRuleIds: string[] = [];
  const seen = new Set<string>();
  for (const rule of rules) {
    const m = byId.get(rule.contactMethodId);
    if (m === undefined || !m.verified || m.disabled) {
      skippedRuleIds.push(rule.id);
      continue;
    }
    const delay = Math.max(0, Math.floor(rule.delayMinutes));
    // Two rules for the same method at the same minute would send the same message twice.
    const dupe = `${m.id}@${delay}`;
    if (seen.has(dupe)) continue;
    seen.add(dupe);
    sends.push({
      contactMethodId: m.id,
      kind: m.kind,
      ruleId: rule.id,
      sendAt: at + delay * 60_000,
      idempotencyKey: `${notifyKey}:${rule.id}`,
    });
  }
  sends.sort((a, b) => a.sendAt - b.sendAt || a.ruleId.localeCompare(b.ruleId));
  return { sends, skippedRuleIds };
}
