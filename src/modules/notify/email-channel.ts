import { createTransport } from 'nodemailer';
import type { DeliveryOutcome, NotificationChannel, NotificationMessage } from './channel.js';
import { actionLinks, plainText, severityLabel } from './render.js';

export interface SmtpConfig {
  host: string;
  port: number;
  /** TLS from the first byte (port 465); otherwise STARTTLS when offered. */
  secure: boolean;
  /** Refuse to send without STARTTLS. */
  requireTls?: boolean;
  auth?: { user: string; pass: string };
  from: string;
  /** Connection, greeting and socket timeout. */
  timeoutMs?: number;
}

function escapeHtml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

export function emailHtml(m: NotificationMessage): string {
  const sev = severityLabel(m);
  const buttons = actionLinks(m)
    .map(
      (l) =>
        `<a href="${escapeHtml(l.url)}" style="display:inline-block;padding:8px 16px;margin-right:8px;border-radius:4px;text-decoration:none;${l.primary ? 'background:#1677ff;color:#fff' : 'border:1px solid #d9d9d9;color:#000'}">${escapeHtml(l.text)}</a>`,
    )
    .join('');
  return `<div style="font-family:sans-serif"><h2>${sev === undefined ? '' : `[${escapeHtml(sev)}] `}${escapeHtml(m.title)}</h2><p style="white-space:pre-wrap">${escapeHtml(m.body)}</p><p>${buttons}</p></div>`;
}

/** SMTP reply codes: 4xx is "try again later", 5xx is final. */
export function classifySmtpError(e: unknown): DeliveryOutcome {
  const err = e as { responseCode?: number; code?: string; message?: string };
  const error = `${err.code ?? 'smtp'}: ${String(err.message ?? e).slice(0, 300)}`;
  if (typeof err.responseCode === 'number') {
    return { status: err.responseCode >= 500 ? 'permanent_error' : 'retryable_error', error };
  }
  if (err.code === 'EAUTH' || err.code === 'EENVELOPE') return { status: 'permanent_error', error };
  return { status: 'retryable_error', error };
}

/** Email by SMTP through nodemailer; one pooled-free transport per configuration. */
export function emailChannel(config: SmtpConfig): NotificationChannel<'email'> {
  const transport = createTransport({
    host: config.host,
    port: config.port,
    secure: config.secure,
    requireTLS: config.requireTls ?? false,
    connectionTimeout: config.timeoutMs ?? 30_000,
    greetingTimeout: config.timeoutMs ?? 30_000,
    socketTimeout: config.timeoutMs ?? 30_000,
    ...(config.auth === undefined ? {} : { auth: config.auth }),
  });
  return {
    kind: 'email',
    async send(message, target) {
      try {
        const info = (await transport.sendMail({
          from: config.from,
          to: target.address,
          subject: message.title,
          text: plainText(message),
          html: emailHtml(message),
          messageId: `<${message.id.replace(/[^A-Za-z0-9.-]/g, '.')}@dutydesk>`,
          headers: { 'X-Dutydesk-Page': message.pageId ?? '' },
        })) as { messageId?: string };
        return {
          status: 'delivered',
          ...(info.messageId ? { providerMessageId: info.messageId } : {}),
        };
      } catch (e) {
        return classifySmtpError(e);
      }
    },
  };
}
