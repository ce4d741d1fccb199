import nodemailer from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer/index.js';

/** A real SMTP client (nodemailer) talking to Dutydesk's inbound listener on 127.0.0.1. */
export function mailClient(port: number) {
  const transport = nodemailer.createTransport({
    host: '127.0.0.1',
    port,
    secure: false,
    ignoreTLS: true,
    connectionTimeout: 5000,
  });
  return {
    send: (mail: Mail.Options) => transport.sendMail(mail),
    /** Sends bytes exactly as given (for malformed mail). */
    sendRaw: (from: string, to: string, raw: string | Buffer) =>
      transport.sendMail({ envelope: { from, to: [to] }, raw }),
    close: () => transport.close(),
  };
}

/** The SMTP reply code of a refused send. */
export async function smtpRefusal(p: Promise<unknown>): Promise<{ code: number; text: string }> {
  try {
    await p;
  } catch (err) {
    const e = err as { responseCode?: number; response?: string; message: string };
    return { code: e.responseCode ?? 0, text: e.response ?? e.message };
  }
  throw new Error('the mail was accepted');
}

/** A 1×1 PNG. */
export const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d4948445200000001000000010806000000' +
    '1f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4e20000000049454e44ae426082',
  'hex',
);
