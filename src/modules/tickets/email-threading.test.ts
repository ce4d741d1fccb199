import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
  automaticKind,
  decideInbound,
  findTicketNumber,
  formatTicketNumber,
  outboundMessageId,
  parseAddress,
  parseMessageIds,
  type InboundMail,
  type ThreadingContext,
} from './email-threading.js';

const known = new Map([['abc123@mail.customer.cn', 'TK-20261120-0003']]);
const existing = new Set(['TK-20261120-0003', 'TK-20261121-0007']);
const ctx: ThreadingContext = {
  ourDomain: 'desk.example.cn',
  ourAddresses: ['support@desk.example.cn'],
  ticketForMessageId: (id) => known.get(id) ?? null,
  ticketExists: (n) => existing.has(n),
  recentFromSender: 0,
  maxPerSender: 20,
  maxBytes: 25 * 1024 * 1024,
};
const mail = (headers: InboundMail['headers'], extra: Partial<InboundMail> = {}): InboundMail => ({
  headers: {
    from: '张三 <zhangsan@customer.cn>',
    'message-id': '<m1@customer.cn>',
    subject: '打印机坏了',
    ...headers,
  },
  envelopeFrom: 'zhangsan@customer.cn',
  sizeBytes: 2000,
  ...extra,
});

describe('ticket numbers', () => {
  it('formats and finds TK-YYYYMMDD-NNNN', () => {
    expect(formatTicketNumber('2026-11-21', 7)).toBe('TK-20261121-0007');
    expect(formatTicketNumber('2026-11-21', 12345)).toBe('TK-20261121-12345');
    expect(findTicketNumber('Re: 回复：[tk-20261121-0007] 打印机')).toBe('TK-20261121-0007');
    expect(findTicketNumber('order XTK-20261121-0007')).toBeNull();
    expect(findTicketNumber('TK-2026-0007')).toBeNull();
    expect(() => formatTicketNumber('2026-11-21', 0)).toThrow();
  });
  it('round-trips any date and sequence, also through an outbound Message-ID', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2000-01-01'), max: new Date('2099-12-31'), noInvalidDate: true }),
        fc.integer({ min: 1, max: 999_999 }),
        (d, seq) => {
          const n = formatTicketNumber(d.toISOString().slice(0, 10), seq);
          expect(findTicketNumber(`Re: [${n}] x`)).toBe(n);
          expect(findTicketNumber(outboundMessageId(n, 'u1', 'Desk.Example.cn'))).toBe(n);
        },
      ),
    );
  });
  it('parses Message-ID lists and addresses', () => {
    expect(parseMessageIds(' <a@x> <b@y>\r\n <c@z>')).toEqual(['a@x', 'b@y', 'c@z']);
    expect(parseMessageIds('a@x')).toEqual(['a@x']);
    expect(parseAddress('"Li, Si" <LiSi@Example.CN>')).toBe('lisi@example.cn');
    expect(parseAddress('not an address')).toBeNull();
  });
});

describe('inbound decisions', () => {
  it('opens a new ticket for a person’s new mail, and answers it', () => {
    expect(decideInbound(mail({}), ctx)).toEqual({ action: 'open', answer: true });
  });
  it('threads by In-Reply-To (known id or our own id), then References, then subject', () => {
    expect(decideInbound(mail({ 'in-reply-to': '<abc123@mail.customer.cn>' }), ctx)).toMatchObject({
      action: 'thread',
      ticketNumber: 'TK-20261120-0003',
      via: 'in_reply_to',
    });
    const ours = outboundMessageId('TK-20261121-0007', 'x1', 'desk.example.cn');
    expect(decideInbound(mail({ 'in-reply-to': ours, subject: 'hello' }), ctx)).toMatchObject({
      ticketNumber: 'TK-20261121-0007',
      via: 'in_reply_to',
    });
    expect(decideInbound(mail({ references: `<zzz@other> ${ours}` }), ctx)).toMatchObject({
      via: 'references',
    });
    expect(
      decideInbound(mail({ subject: '答复: [TK-20261121-0007] 还是不行' }), ctx),
    ).toMatchObject({
      action: 'thread',
      via: 'subject',
      answer: true,
    });
  });
  it('does not thread on a number that does not exist or a foreign id carrying a number', () => {
    expect(decideInbound(mail({ subject: '[TK-20261121-9999]' }), ctx)).toEqual({
      action: 'open',
      answer: true,
    });
    expect(
      decideInbound(mail({ 'in-reply-to': '<tk-20261121-9999.x@desk.example.cn>' }), ctx).action,
    ).toBe('open');
  });
  it('ignores loops: our own Message-ID, our own address, a sender over the rate', () => {
    expect(decideInbound(mail({ 'message-id': '<tk-1.x@DESK.example.cn>' }), ctx)).toEqual({
      action: 'ignore',
      reason: 'own_message',
    });
    expect(decideInbound(mail({ from: 'Support@desk.example.cn' }), ctx)).toEqual({
      action: 'ignore',
      reason: 'own_sender',
    });
    expect(decideInbound(mail({}), { ...ctx, recentFromSender: 20 })).toEqual({
      action: 'ignore',
      reason: 'sender_rate',
    });
  });
  it('never answers automatic mail: auto-replies thread silently or are ignored; bounces are ignored', () => {
    const subj = { subject: 'Re: [TK-20261121-0007] x' };
    for (const h of [
      { 'auto-submitted': 'auto-replied' },
      { 'x-autoreply': 'yes' },
      { 'x-autorespond': 'vacation' },
      { subject: '自动回复: 休假中' },
    ]) {
      expect(automaticKind(mail(h))).toBe('auto_reply');
      expect(
        decideInbound(mail({ ...subj, ...h, subject: `${h.subject ?? ''} ${subj.subject}` }), ctx),
      ).toMatchObject({
        action: 'thread',
        answer: false,
      });
      expect(decideInbound(mail(h), ctx)).toEqual({ action: 'ignore', reason: 'auto_reply' });
    }
    expect(automaticKind(mail({ 'auto-submitted': 'no' }))).toBeNull();
    for (const m of [
      mail({}, { envelopeFrom: '' }),
      mail({ 'return-path': '<>' }),
      mail({ from: 'MAILER-DAEMON@mx.customer.cn' }),
      mail({ from: 'postmaster@customer.cn' }),
      mail({ 'content-type': 'multipart/report; report-type=delivery-status; boundary=x' }),
    ])
      expect(decideInbound(m, ctx)).toEqual({ action: 'ignore', reason: 'bounce' });
    for (const h of [
      { precedence: 'bulk' },
      { precedence: 'junk' },
      { precedence: 'list' },
      { 'list-id': '<ops.list>' },
      { from: 'noreply@monitor.cn' },
    ]) {
      expect(automaticKind(mail(h))).toBe('bulk');
      expect(decideInbound(mail(h), ctx)).toEqual({ action: 'open', answer: false });
    }
  });
  it('holds malformed and huge mail for an admin, naming the field', () => {
    expect(decideInbound(mail({ from: 'nobody' }), ctx)).toEqual({
      action: 'hold',
      reason: 'malformed',
      field: 'from',
    });
    expect(decideInbound(mail({ from: undefined }), ctx)).toMatchObject({
      action: 'hold',
      field: 'from',
    });
    expect(decideInbound(mail({ subject: 'x'.repeat(3000) }), ctx)).toMatchObject({
      action: 'hold',
      field: 'subject',
    });
    expect(decideInbound(mail({}, { sizeBytes: 26 * 1024 * 1024 }), ctx)).toEqual({
      action: 'hold',
      reason: 'too_large',
      field: 'size',
    });
  });
  it('never answers a mail that carries any automatic marker (property)', () => {
    const markers = fc.constantFrom<InboundMail['headers']>(
      { 'auto-submitted': 'auto-generated' },
      { 'x-autoreply': '1' },
      { precedence: 'bulk' },
      { 'list-id': '<x>' },
      { 'return-path': '<>' },
      { from: 'mailer-daemon@x.cn' },
    );
    fc.assert(
      fc.property(markers, fc.string(), fc.boolean(), (m, subject, threaded) => {
        const d = decideInbound(
          mail({ subject: threaded ? `[TK-20261121-0007] ${subject}` : subject, ...m }),
          ctx,
        );
        expect('answer' in d && d.answer).toBe(false);
      }),
    );
  });
});
