import nodemailer from 'nodemailer';
import type { Config } from '../config.js';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html?: string;
  headers?: Record<string, string>;
  messageId?: string;
  /** Files sent with the mail (read from disk by nodemailer while sending). */
  attachments?: { filename: string; path: string; contentType: string }[];
}

/** Sends mail by SMTP. `enabled` is false when no SMTP_HOST is configured. */
export interface Mailer {
  readonly enabled: boolean;
  send(mail: OutgoingMail): Promise<{ messageId: string }>;
}

export function createMailer(smtp: Config['smtp']): Mailer {
  if (!smtp.host) {
    return {
      enabled: false,
      send: () => Promise.reject(new Error('mail is not configured (set SMTP_HOST)')),
    };
  }
  const transport = nodemailer.createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure,
    ...(smtp.user ? { auth: { user: smtp.user, pass: smtp.password ?? '' } } : {}),
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
  });
  return {
    enabled: true,
    async send(mail) {
      const info = await transport.sendMail({
        from: smtp.from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        ...(mail.html ? { html: mail.html } : {}),
        ...(mail.headers ? { headers: mail.headers } : {}),
        ...(mail.messageId ? { messageId: mail.messageId } : {}),
        ...(mail.attachments?.length ? { attachments: mail.attachments } : {}),
      });
      return { messageId: String(info.messageId) };
    },
  };
}
