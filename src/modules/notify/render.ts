import type { NotificationMessage } from './channel.js';
import { label } from './labels.js';

export interface ActionLink {
  text: string;
  url: string;
  primary: boolean;
}

/** Acknowledge / resolve / view, in that order, labelled in the message's language. */
export function actionLinks(m: NotificationMessage): ActionLink[] {
  const out: ActionLink[] = [];
  if (m.links.acknowledge)
    out.push({
      text: label(m.locale, 'notify.actions.acknowledge'),
      url: m.links.acknowledge,
      primary: true,
    });
  if (m.links.resolve)
    out.push({
      text: label(m.locale, 'notify.actions.resolve'),
      url: m.links.resolve,
      primary: false,
    });
  if (m.links.view)
    out.push({ text: label(m.locale, 'notify.actions.view'), url: m.links.view, primary: false });
  return out;
}

export function severityLabel(m: NotificationMessage): string | undefined {
  return m.severity === undefined ? undefined : label(m.locale, `notify.severity.${m.severity}`);
}

/** Plain text for SMS, email text parts and voice. */
export function plainText(m: NotificationMessage): string {
  const sev = severityLabel(m);
  const lines = [sev === undefined ? m.title : `[${sev}] ${m.title}`];
  if (m.body !== '') lines.push(m.body);
  for (const l of actionLinks(m)) lines.push(`${l.text}: ${l.url}`);
  return lines.join('\n');
}

/** Truncates to a byte budget (robots count UTF-8 bytes) without splitting a character. */
export function truncateBytes(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text, 'utf8') <= maxBytes) return text;
  let out = '';
  let used = 0;
  for (const ch of text) {
    const n = Buffer.byteLength(ch, 'utf8');
    if (used + n > maxBytes - 3) break;
    out += ch;
    used += n;
  }
  return `${out}…`;
}

/** Markdown with characters that would start markup escaped (DingTalk, WeCom, Feishu lark_md). */
export function escapeMarkdown(text: string): string {
  return text.replace(/([\\`*_[\]<>#])/g, '\\$1');
}
