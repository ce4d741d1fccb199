import type { Locale, NotificationMessage } from '../notify/channel.js';
import { ACTION_LINK_TTL_MS, signActionLink } from './action-link.js';
import type { Severity } from './intake/common.js';

export interface PageForMessage {
  id: string;
  summary: string;
  serviceName: string;
  severity: Severity;
  alertCount: number;
}

/**
 * The message one person receives for a page: summary, service, and acknowledge/resolve links
 * signed for that person, valid for a day. `sendKey` (the planned send's idempotency key)
 * becomes the message id.
 */
export function pageMessage(args: {
  page: PageForMessage;
  userId: string;
  locale: Locale;
  baseUrl: string;
  linkSecret: string;
  now: number;
  sendKey: string;
}): NotificationMessage {
  const { page, userId, baseUrl, linkSecret, now } = args;
  const base = baseUrl.replace(/\/+$/, '');
  const expiresAt = now + ACTION_LINK_TTL_MS;
  const link = (action: 'acknowledge' | 'resolve') =>
    `${base}/a/${signActionLink({ pageId: page.id, action, userId, expiresAt }, linkSecret)}`;
  const count = page.alertCount > 1 ? ` (+${page.alertCount - 1})` : '';
  return {
    id: args.sendKey,
    kind: 'page',
    locale: args.locale,
    title: `${page.summary}${count}`,
    body: page.serviceName,
    severity: page.severity,
    pageId: page.id,
    links: {
      acknowledge: link('acknowledge'),
      resolve: link('resolve'),
      view: `${base}/pages/${page.id}`,
    },
  };
}
