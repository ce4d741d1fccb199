import { DateTime } from 'luxon';
import { conflict, forbidden, invalid } from '../../lib/errors.js';
import { nextWorkingInstant, type BusinessCalendar } from './business-calendar.js';
import type { Actor, TicketStatus, TicketType } from './ticket-state.js';

/**
 * After closing: the satisfaction survey (1–5 and a comment) and the follow-up visit (回访), a call
 * by the service desk to check the fix held and hear the customer out.
 */

export interface SurveyTicket {
  readonly status: TicketStatus;
  readonly requesterId: string | null;
  readonly surveyedAt: number | null;
}

/**
 * Who may record a survey: the requester on their own closed ticket, or a service agent / duty
 * manager / admin taking it down during the follow-up call. Only once per closing.
 */
export function assertSurveyAllowed(ticket: SurveyTicket, actor: Actor): void {
  const byStaff = ['service_agent', 'duty_manager', 'admin'].includes(actor.role);
  const byRequester =
    actor.role === 'requester' && actor.userId !== null && actor.userId === ticket.requesterId;
  if (!byStaff && !byRequester)
    throw forbidden('tickets.errors.surveyForbidden', { role: actor.role });
  if (ticket.status !== 'closed')
    throw conflict(
      'survey_not_closed',
      'tickets.errors.surveyNotClosed',
      { status: ticket.status },
      'status',
    );
  if (ticket.surveyedAt !== null)
    throw conflict('survey_done', 'tickets.errors.surveyDone', {}, 'score');
}

export interface FollowUpRule {
  /** Scores at or below this call for a visit, e.g. 3. */
  readonly scoreAtOrBelow: number;
  /** Ticket types always visited (complaints, by default). */
  readonly alwaysForTypes: readonly TicketType[];
  /** Visit when the customer has not answered the survey by then. */
  readonly whenUnanswered: boolean;
  /** Working days after closing by which the visit is due. */
  readonly afterDays: number;
}

export const DEFAULT_FOLLOW_UP_RULE: FollowUpRule = {
  scoreAtOrBelow: 3,
  alwaysForTypes: ['complaint'],
  whenUnanswered: false,
  afterDays: 2,
};

/** True when a closed ticket needs a follow-up visit under the rule. */
export function needsFollowUp(
  ticket: { type: TicketType; score: number | null },
  rule: FollowUpRule = DEFAULT_FOLLOW_UP_RULE,
): boolean {
  if (rule.alwaysForTypes.includes(ticket.type)) return true;
  if (ticket.score === null) return rule.whenUnanswered;
  return ticket.score <= rule.scoreAtOrBelow;
}

/**
 * When the follow-up visit is due: `afterDays` local days after closing, moved to the next
 * working instant of the desk's calendar (a visit is a call during office hours).
 */
export function followUpDueAt(
  closedAt: number,
  cal: BusinessCalendar,
  zone: string,
  rule: FollowUpRule = DEFAULT_FOLLOW_UP_RULE,
): number {
  if (!Number.isInteger(rule.afterDays) || rule.afterDays < 0)
    throw invalid('afterDays', 'tickets.errors.quietDays', { value: rule.afterDays });
  const day = DateTime.fromMillis(closedAt, { zone }).plus({ days: rule.afterDays }).toMillis();
  return nextWorkingInstant(cal, day);
}
