import { readFileSync } from 'node:fs';
import type { Logger } from 'pino';
import { SMTPServer } from 'smtp-server';
import { judgeRawMessage } from './mail-routing.js';
import type { MailService } from './mail.service.js';

/**
 * The inbound SMTP listener (an MX for our domains, not a relay). A recipient outside our domains
 * or routes is refused at RCPT TO; a message over the size limit or not a message at all is refused
 * after DATA with a 5xx naming the reason; anything else is stored durably (with its processing
 * job) before the 250 is sent. If storing fails the sender gets a 451 and tries again later.
 */

export interface SmtpListenerOptions {
  host: string;
  port: number;
  maxBytes: number;
  /** The name in the greeting and EHLO answer. */
  serverName: string;
  tls?: { keyFile: string; certFile: string };
  mail: Pick<MailService, 'accepts' | 'receive'>;
  log: Logger;
}

export interface SmtpListener {
  readonly port: number;
  close(): Promise<void>;
}

function smtpError(code: number, message: string): Error {
  return Object.assign(new Error(message), { responseCode: code });
}

export async function startSmtpListener(opts: SmtpListenerOptions): Promise<SmtpListener> {
  const server = new SMTPServer({
    name: opts.serverName,
    banner: 'Dutydesk',
    size: opts.maxBytes,
    authOptional: true,
    // An MX takes mail from anyone for our addresses; it never needs a login.
    disabledCommands: opts.tls ? ['AUTH'] : ['AUTH', 'STARTTLS'],
    ...(opts.tls
      ? { key: readFileSync(opts.tls.keyFile), cert: readFileSync(opts.tls.certFile) }
      : {}),
    maxClients: 100,
    logger: false,
    onRcptTo(address, _session, callback) {
      opts.mail.accepts(address.address).then(
        (ok) =>
          callback(
            ok ? null : smtpError(550, `5.1.1 <${address.address}>: no such recipient here`),
          ),
        (err: unknown) => {
          opts.log.error({ err }, 'SMTP recipient check failed');
          callback(smtpError(451, '4.3.0 Temporary failure, try again later'));
        },
      );
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      let size = 0;
      stream.on('data', (chunk: Buffer) => {
        size += chunk.length;
        // Past the limit keep reading (the client is still sending) but stop keeping.
        if (size <= opts.maxBytes) chunks.push(chunk);
      });
      stream.on('error', (err) => {
        opts.log.warn({ err }, 'SMTP data stream error');
      });
      stream.on('end', () => {
        if (stream.sizeExceeded || size > opts.maxBytes) {
          callback(smtpError(552, `5.3.4 Message too big: the limit is ${opts.maxBytes} bytes`));
          return;
        }
        const raw = Buffer.concat(chunks);
        const judged = judgeRawMessage(raw);
        if (!judged.ok) {
          callback(smtpError(judged.code, judged.message));
          return;
        }
        const from = session.envelope.mailFrom;
        opts.mail
          .receive({
            raw,
            source: 'smtp',
            remoteAddress: session.remoteAddress,
            envelopeFrom: from === false ? '' : from.address,
            envelopeTo: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
          })
          .then(
            ({ id }) => callback(null, `2.0.0 Ok: queued as ${id}`),
            (err: unknown) => {
              opts.log.error({ err }, 'storing an inbound mail failed');
              callback(smtpError(451, '4.3.0 Could not store the message, try again later'));
            },
          );
      });
    },
  });
  server.on('error', (err) => opts.log.warn({ err }, 'SMTP listener error'));
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.server.off('error', reject);
      resolve();
    });
  });
  const port = (server.server.address() as { port: number }).port;
  return {
    port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
