import type { Priority } from './priority.js';
import type { SlaPolicy } from './sla-clock.js';
import type { TicketType } from './ticket-state.js';

/**
 * Which open tickets an SLA policy change can move (the `tickets.sla_recompute` job recomputes
 * them). Pure; the store's query is the same condition in SQL.
 *
 * Only one policy changed, so a ticket's chosen policy can differ before and after only if that
 * policy was chosen before (then the ticket's stored `sla_policy_id` is it) or is chosen after
 * (then it is active and its `match` fits the ticket). A ticket that stays under it is in the
 * first set, which also covers changed targets, calendar or warning point. Property-tested.
 */

export interface RecomputeTicket {
  slaPolicyId: string | null;
  type: TicketType;
  priority: Priority;
  customerId: string | null;
}

export interface ChangedPolicy {
  id: string;
  active: boolean;
  match: SlaPolicy['match'];
}

export function matchesPolicy(match: SlaPolicy['match'], t: RecomputeTicket): boolean {
  return (
    (match.type === undefined || match.type === t.type) &&
    (match.priority === undefined || match.priority === t.priority) &&
    (match.customerId === undefined || match.customerId === t.customerId)
  );
}

export function needsRecompute(policy: ChangedPolicy, t: RecomputeTicket): boolean {
  return t.slaPolicyId === policy.id || (policy.active && matchesPolicy(policy.match, t));
}
