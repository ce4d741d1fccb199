import type { HandlerOutcome, InboundMessage, MailHandler } from '../mail/mail.service.js';
import type { MailRoute } from '../mail/mail-routing.js';
import type { AlertsService } from './alerts.service.js';

/**
 * Alerts by email: mail to alert+<key>@<our domain> is an alert for the service of that email
 * integration (subject = summary and dedup key; "RESOLVED"/"恢复" subjects resolve). The mail
 * intake refuses unknown keys at RCPT TO; bounces to an alert address are ignored.
 */
export function alertMailHandler(
  alerts: Pick<AlertsService, 'intakeEmail' | 'hasEmailIntegration'>,
): MailHandler {
  return {
    accepts: async (route: MailRoute) =>
      route.kind === 'alerts' && alerts.hasEmailIntegration(route.key),
    async handle(msg: InboundMessage, route: MailRoute): Promise<HandlerOutcome> {
      if (route.kind !== 'alerts') return { status: 'held', reason: 'no_route', field: 'to' };
      if (msg.envelopeFrom === '') return { status: 'ignored', reason: 'bounce' };
      const result = await alerts.intakeEmail(route.key, {
        from: msg.fromAddress ?? msg.envelopeFrom ?? 'unknown',
        subject: msg.subject,
        text: msg.text,
        ...(msg.messageId ? { messageId: msg.messageId } : {}),
      });
      if (result.ok) return { status: 'done', summary: { dedupKeys: result.dedupKeys } };
      if (result.reason === 'unknown_key')
        return { status: 'held', reason: 'unknown_integration', field: 'to' };
      return { status: 'held', reason: 'invalid', field: result.field };
    },
  };
}
