import type { NotificationMessage } from './channel.js';
import { label } from './labels.js';

export interface Digest {
  message: NotificationMessage;
  /** Every held message this digest stands for (all are marked sent with it). */
  includedIds: string[];
}

const SEVERITY_ORDER = ['critical', 'error', 'warning', 'info'] as const;

/**
 * Batches messages held by a rate limit into one. A single held message goes as it is (with
 * its buttons); several become a list, most severe first, cut at `maxLines` with a count of
 * the rest — nothing is dropped silently.
 */
export function buildDigest(
  held: readonly NotificationMessage[],
  digestId: string,
  maxLines = 20,
): Digest | null {
  if (held.length === 0) return null;
  if (held.length === 1) return { message: held[0]!, includedIds: [held[0]!.id] };
  const locale = held[0]!.locale;
  const rank = (m: NotificationMessage) =>
    m.severity === undefined ? 4 : SEVERITY_ORDER.indexOf(m.severity);
  const sorted = [...held].sort((a, b) => rank(a) - rank(b));
  const shown = sorted.slice(0, maxLines);
  const lines = shown.map((m) => {
    const sev =
      m.severity === undefined ? '' : `[${label(locale, `notify.severity.${m.severity}`)}] `;
    // Each page keeps its acknowledge link (as text: robots allow buttons for one page only).
    const ack = m.links.acknowledge
      ? ` ${label(locale, 'notify.actions.acknowledge')}: ${m.links.acknowledge}`
      : '';
    return `• ${sev}${m.title}${m.links.view ? ` ${m.links.view}` : ''}${ack}`;
  });
  if (sorted.length > shown.length)
    lines.push(label(locale, 'notify.digest.more', { count: sorted.length - shown.length }));
  const top = sorted[0]!.severity;
  const message: NotificationMessage = {
    id: digestId,
    kind: 'digest',
    locale,
    title: label(locale, 'notify.digest.title', { count: held.length }),
    body: lines.join('\n'),
    links: {},
    ...(top === undefined ? {} : { severity: top }),
  };
  return { message, includedIds: held.map((m) => m.id) };
}
