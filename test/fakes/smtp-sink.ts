import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';

export interface ReceivedMail {
  from: string;
  to: string[];
  /** The raw message (headers and body) as sent in DATA, dot-unstuffed. */
  data: string;
}

/**
 * A minimal SMTP receiver on 127.0.0.1:0 speaking enough RFC 5321 for nodemailer
 * (EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT). No TLS and no AUTH are offered.
 */
export class SmtpSink {
  readonly received: ReceivedMail[] = [];
  /** Reply to the next RCPT with this code (e.g. 451 for retryable, 550 for permanent). */
  rejectNextRcpt: number | null = null;
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  port = 0;

  async start(): Promise<this> {
    this.server = createServer((s) => this.session(s));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  private session(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    let buffer = '';
    let inData = false;
    let mail: ReceivedMail = { from: '', to: [], data: '' };
    const say = (line: string) => socket.write(`${line}\r\n`);
    say('220 fake.smtp ESMTP ready');
    socket.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      for (;;) {
        if (inData) {
          const end = buffer.indexOf('\r\n.\r\n');
          const start = buffer.startsWith('.\r\n') ? 0 : -1;
          if (end === -1 && start === -1) return;
          const body = start === 0 ? '' : buffer.slice(0, end);
          buffer = buffer.slice(start === 0 ? 3 : end + 5);
          mail.data = body.replace(/^\.\./gm, '.');
          this.received.push(mail);
          mail = { from: '', to: [], data: '' };
          inData = false;
          say(`250 2.0.0 OK queued as fake${this.received.length}`);
          continue;
        }
        const nl = buffer.indexOf('\r\n');
        if (nl === -1) return;
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 2);
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'EHLO') {
          say('250-fake.smtp greets you');
          say('250-8BITMIME');
          say('250 SIZE 10485760');
        } else if (verb === 'HELO') say('250 fake.smtp');
        else if (verb === 'MAIL') {
          mail.from = /<([^>]*)>/.exec(line)?.[1] ?? '';
          say('250 2.1.0 OK');
        } else if (verb === 'RCPT') {
          if (this.rejectNextRcpt !== null) {
            const code = this.rejectNextRcpt;
            this.rejectNextRcpt = null;
            say(`${code} ${code >= 500 ? '5.1.1 mailbox unavailable' : '4.2.0 try again later'}`);
          } else {
            mail.to.push(/<([^>]*)>/.exec(line)?.[1] ?? '');
            say('250 2.1.5 OK');
          }
        } else if (verb === 'DATA') {
          inData = true;
          say('354 End data with <CR><LF>.<CR><LF>');
        } else if (verb === 'RSET') {
          mail = { from: '', to: [], data: '' };
          say('250 2.0.0 OK');
        } else if (verb === 'NOOP') say('250 2.0.0 OK');
        else if (verb === 'QUIT') {
          say('221 2.0.0 Bye');
          socket.end();
          return;
        } else say('502 5.5.2 command not recognized');
      }
    });
  }
}
