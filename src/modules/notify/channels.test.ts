import { afterEach, describe, expect, it } from 'vitest';
import { dingtalkFake } from '../../../test/fakes/dingtalk-fake.js';
import { feishuFake } from '../../../test/fakes/feishu-fake.js';
import type { FakeHttpServer } from '../../../test/fakes/http-fake.js';
import { slackFake } from '../../../test/fakes/slack-fake.js';
import { SmtpSink } from '../../../test/fakes/smtp-sink.js';
import { smsProviderFake } from '../../../test/fakes/sms-provider-fake.js';
import { webhookFake } from '../../../test/fakes/webhook-fake.js';
import { wecomFake } from '../../../test/fakes/wecom-fake.js';
import type { DeliveryContext, NotificationMessage } from './channel.js';
import { dingtalkChannel } from './dingtalk-channel.js';
import { emailChannel } from './email-channel.js';
import { feishuChannel } from './feishu-channel.js';
import { slackChannel } from './slack-channel.js';
import { httpSmsVoiceProvider, smsChannel, voiceChannel } from './sms-voice-channel.js';
import { webhookChannel } from './webhook-channel.js';
import { wecomChannel, WECOM_MAX_BYTES } from './wecom-channel.js';

const NOW = Date.UTC(2024, 4, 1, 18, 0);
const now = () => NOW;
// Loopback is reached through the admin allow-list, exactly as an on-premises admin would.
const ctx: DeliveryContext = {
  now: NOW,
  timeoutMs: 2_000,
  ssrf: { allow: ['127.0.0.1/32'], resolve: async () => [] },
};
const noAllow: DeliveryContext = { ...ctx, ssrf: { allow: [], resolve: async () => [] } };

const page: NotificationMessage = {
  id: 'pg1:0:L0:R0:u1:r1',
  kind: 'page',
  locale: 'zh',
  title: '数据库主库 CPU 过高',
  body: 'db-primary-01 CPU 97% 持续 5 分钟\n服务：核心交易',
  severity: 'critical',
  pageId: 'pg1',
  links: {
    acknowledge: 'https://duty.example.com/a/v1.x.y',
    resolve: 'https://duty.example.com/a/v1.x.z',
    view: 'https://duty.example.com/pages/pg1',
  },
};

const servers: FakeHttpServer[] = [];
async function up<T extends FakeHttpServer>(s: T): Promise<T> {
  servers.push(s);
  return s.start();
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

describe('DingTalk robot', () => {
  it('delivers a signed actionCard with ack and resolve buttons', async () => {
    const fake = await up(dingtalkFake({ accessToken: 'tok', secret: 'SECabc', now }));
    const out = await dingtalkChannel.send(
      page,
      {
        kind: 'dingtalk',
        webhookUrl: `${fake.origin}/robot/send?access_token=tok`,
        secret: 'SECabc',
      },
      ctx,
    );
    expect(out).toEqual({ status: 'delivered', httpStatus: 200 });
    const body = fake.accepted[0]?.json as {
      msgtype: string;
      actionCard: { btns: Array<{ title: string; actionURL: string }> };
    };
    expect(body.msgtype).toBe('actionCard');
    expect(body.actionCard.btns.map((b) => b.title)).toEqual(['确认', '解决', '查看详情']);
  });

  it('is refused for a wrong secret, a stale clock or a wrong token, permanently', async () => {
    const fake = await up(dingtalkFake({ accessToken: 'tok', secret: 'SECabc', now }));
    const url = `${fake.origin}/robot/send?access_token=tok`;
    expect(
      await dingtalkChannel.send(
        page,
        { kind: 'dingtalk', webhookUrl: url, secret: 'SECwrong' },
        ctx,
      ),
    ).toMatchObject({
      status: 'permanent_error',
      error: expect.stringContaining('310000') as unknown,
    });
    expect(
      await dingtalkChannel.send(
        page,
        { kind: 'dingtalk', webhookUrl: url, secret: 'SECabc' },
        { ...ctx, now: NOW - 3_700_000 },
      ),
    ).toMatchObject({ status: 'permanent_error' });
    expect(
      await dingtalkChannel.send(
        page,
        {
          kind: 'dingtalk',
          webhookUrl: `${fake.origin}/robot/send?access_token=bad`,
          secret: 'SECabc',
        },
        ctx,
      ),
    ).toMatchObject({ status: 'permanent_error' });
    expect(fake.accepted).toHaveLength(0);
  });

  it('reports throttling as retryable with the 10-minute wait', async () => {
    const fake = await up(dingtalkFake({ accessToken: 'tok', now, perMinute: 2 }));
    const t = {
      kind: 'dingtalk' as const,
      webhookUrl: `${fake.origin}/robot/send?access_token=tok`,
    };
    await dingtalkChannel.send(page, t, ctx);
    await dingtalkChannel.send(page, t, ctx);
    expect(await dingtalkChannel.send(page, t, ctx)).toMatchObject({
      status: 'retryable_error',
      retryAfterMs: 600_000,
    });
  });

  it('classifies 500, 429 and a timeout as retryable', async () => {
    const fake = await up(dingtalkFake({ accessToken: 'tok', now }));
    const t = {
      kind: 'dingtalk' as const,
      webhookUrl: `${fake.origin}/robot/send?access_token=tok`,
    };
    fake.failNext({ status: 500, body: 'oops' });
    expect(await dingtalkChannel.send(page, t, ctx)).toMatchObject({
      status: 'retryable_error',
      httpStatus: 500,
    });
    fake.failNext({ status: 429, body: 'slow down' });
    expect(await dingtalkChannel.send(page, t, ctx)).toMatchObject({
      status: 'retryable_error',
      httpStatus: 429,
    });
    fake.failNext('timeout');
    expect(await dingtalkChannel.send(page, t, { ...ctx, timeoutMs: 200 })).toMatchObject({
      status: 'retryable_error',
      error: 'timeout after 200 ms',
    });
  });

  it('refuses loopback without the allow-list (SSRF), before any request', async () => {
    const fake = await up(dingtalkFake({ accessToken: 'tok', now }));
    const out = await dingtalkChannel.send(
      page,
      { kind: 'dingtalk', webhookUrl: `${fake.origin}/robot/send?access_token=tok` },
      noAllow,
    );
    expect(out).toEqual({ status: 'permanent_error', error: 'ssrf:private_address 127.0.0.1' });
    expect(fake.accepted.length + fake.rejected.length).toBe(0);
  });
});

describe('WeCom robot', () => {
  it('delivers markdown within 4096 bytes, even for a long body', async () => {
    const fake = await up(wecomFake({ key: 'k1' }));
    const t = { kind: 'wecom' as const, webhookUrl: `${fake.origin}/cgi-bin/webhook/send?key=k1` };
    expect(await wecomChannel.send({ ...page, body: '告警'.repeat(3000) }, t, ctx)).toEqual({
      status: 'delivered',
      httpStatus: 200,
    });
    const content = (fake.accepted[0]?.json as { markdown: { content: string } }).markdown.content;
    expect(Buffer.byteLength(content)).toBeLessThanOrEqual(WECOM_MAX_BYTES);
    expect(content).toContain('[确认](https://duty.example.com/a/v1.x.y)');
  });

  it('is refused permanently for a wrong key', async () => {
    const fake = await up(wecomFake({ key: 'k1' }));
    expect(
      await wecomChannel.send(
        page,
        { kind: 'wecom', webhookUrl: `${fake.origin}/cgi-bin/webhook/send?key=zz` },
        ctx,
      ),
    ).toMatchObject({
      status: 'permanent_error',
      error: expect.stringContaining('93000') as unknown,
    });
  });
});

describe('Feishu bot', () => {
  it('delivers a signed interactive card', async () => {
    const fake = await up(feishuFake({ token: 'hook1', secret: 'fsec', now }));
    const out = await feishuChannel.send(
      page,
      { kind: 'feishu', webhookUrl: `${fake.origin}/open-apis/bot/v2/hook/hook1`, secret: 'fsec' },
      ctx,
    );
    expect(out).toEqual({ status: 'delivered', httpStatus: 200 });
    expect(fake.accepted[0]?.json).toMatchObject({
      timestamp: String(NOW / 1000),
      msg_type: 'interactive',
      card: { header: { template: 'red' } },
    });
  });

  it('is refused for a wrong secret, and retries a 503', async () => {
    const fake = await up(feishuFake({ token: 'hook1', secret: 'fsec', now }));
    const t = {
      kind: 'feishu' as const,
      webhookUrl: `${fake.origin}/open-apis/bot/v2/hook/hook1`,
      secret: 'nope',
    };
    expect(await feishuChannel.send(page, t, ctx)).toMatchObject({
      status: 'permanent_error',
      error: expect.stringContaining('19021') as unknown,
    });
    fake.failNext({ status: 503 });
    expect(await feishuChannel.send(page, { ...t, secret: 'fsec' }, ctx)).toMatchObject({
      status: 'retryable_error',
      httpStatus: 503,
    });
  });
});

describe('Slack incoming webhook', () => {
  it('delivers blocks with link buttons and escapes control characters', async () => {
    const fake = await up(slackFake({ path: '/services/T000/B000/XXXX' }));
    const out = await slackChannel.send(
      { ...page, body: 'a < b & c' },
      { kind: 'slack', webhookUrl: `${fake.origin}/services/T000/B000/XXXX` },
      ctx,
    );
    expect(out).toEqual({ status: 'delivered', httpStatus: 200 });
    expect(JSON.stringify(fake.accepted[0]?.json)).toContain('a &lt; b &amp; c');
  });

  it('retries 429 with Retry-After and gives up on 404 no_service', async () => {
    const fake = await up(slackFake({ path: '/services/T000/B000/XXXX' }));
    fake.failNext({ status: 429, body: 'rate_limited', headers: { 'retry-after': '30' } });
    const t = { kind: 'slack' as const, webhookUrl: `${fake.origin}/services/T000/B000/XXXX` };
    expect(await slackChannel.send(page, t, ctx)).toMatchObject({
      status: 'retryable_error',
      retryAfterMs: 30_000,
    });
    expect(
      await slackChannel.send(
        page,
        { ...t, webhookUrl: `${fake.origin}/services/T0/B0/gone` },
        ctx,
      ),
    ).toMatchObject({ status: 'permanent_error', httpStatus: 404, error: 'no_service' });
  });
});

describe('generic webhook', () => {
  it('signs the exact body it sends', async () => {
    const fake = await up(webhookFake({ secret: 'whsec_1', now }));
    expect(
      await webhookChannel.send(
        page,
        { kind: 'webhook', url: `${fake.origin}/hook`, secret: 'whsec_1' },
        ctx,
      ),
    ).toEqual({ status: 'delivered', httpStatus: 200 });
    expect(fake.accepted[0]?.json).toMatchObject({ id: page.id, pageId: 'pg1', links: page.links });
    expect(
      await webhookChannel.send(
        page,
        { kind: 'webhook', url: `${fake.origin}/hook`, secret: 'other' },
        ctx,
      ),
    ).toMatchObject({ status: 'permanent_error', httpStatus: 401 });
  });
});

describe('SMS and voice provider', () => {
  it('sends a signed SMS and places a call, each once per idempotency key', async () => {
    const fake = await up(smsProviderFake({ keyId: 'key1', secret: 'psec', now }));
    const provider = httpSmsVoiceProvider({ baseUrl: fake.origin, keyId: 'key1', secret: 'psec' });
    const sms = smsChannel(provider);
    expect(await sms.send(page, { kind: 'sms', phone: '+8613800138000' }, ctx)).toEqual({
      status: 'delivered',
      httpStatus: 202,
      providerMessageId: 'msg_1',
    });
    expect(await sms.send(page, { kind: 'sms', phone: '+8613800138000' }, ctx)).toMatchObject({
      status: 'delivered',
      providerMessageId: 'msg_1',
    });
    expect(fake.accepted).toHaveLength(1);
    expect(
      await voiceChannel(provider).send(
        { ...page, id: 'pg1:0:L0:R0:u1:r2' },
        { kind: 'voice', phone: '+8613800138000' },
        ctx,
      ),
    ).toMatchObject({ status: 'delivered', providerMessageId: 'call_2' });
    expect((fake.accepted[1]?.json as { speech: string }).speech).toContain('数据库主库 CPU 过高');
  });

  it('classifies a bad signature and a bad number as permanent, a 502 as retryable', async () => {
    const fake = await up(smsProviderFake({ keyId: 'key1', secret: 'psec', now }));
    const bad = smsChannel(
      httpSmsVoiceProvider({ baseUrl: fake.origin, keyId: 'key1', secret: 'wrong' }),
    );
    expect(await bad.send(page, { kind: 'sms', phone: '+8613800138000' }, ctx)).toMatchObject({
      status: 'permanent_error',
      httpStatus: 401,
      error: expect.stringContaining('invalid_signature') as unknown,
    });
    const good = smsChannel(
      httpSmsVoiceProvider({ baseUrl: fake.origin, keyId: 'key1', secret: 'psec' }),
    );
    expect(await good.send(page, { kind: 'sms', phone: '13800138000' }, ctx)).toMatchObject({
      status: 'permanent_error',
    });
    fake.failNext({ status: 502, body: { error: { code: 'upstream', message: 'carrier down' } } });
    expect(await good.send(page, { kind: 'sms', phone: '+8613800138000' }, ctx)).toMatchObject({
      status: 'retryable_error',
      httpStatus: 502,
    });
  });
});

describe('email by SMTP', () => {
  it('delivers to a real SMTP listener with text, HTML and the action links', async () => {
    const sink = await new SmtpSink().start();
    try {
      const ch = emailChannel({
        host: '127.0.0.1',
        port: sink.port,
        secure: false,
        from: 'Dutydesk <duty@example.com>',
        timeoutMs: 5_000,
      });
      const out = await ch.send(page, { kind: 'email', address: 'oncall@example.com' }, ctx);
      expect(out.status).toBe('delivered');
      expect(sink.received).toHaveLength(1);
      expect(sink.received[0]).toMatchObject({
        from: 'duty@example.com',
        to: ['oncall@example.com'],
      });
      expect(sink.received[0]?.data).toContain('https://duty.example.com/a/v1.x.y');
      expect(sink.received[0]?.data).toMatch(/^Subject: =\?UTF-8\?/m);
      sink.rejectNextRcpt = 451;
      expect(
        (await ch.send(page, { kind: 'email', address: 'oncall@example.com' }, ctx)).status,
      ).toBe('retryable_error');
      sink.rejectNextRcpt = 550;
      expect(
        (await ch.send(page, { kind: 'email', address: 'nobody@example.com' }, ctx)).status,
      ).toBe('permanent_error');
    } finally {
      await sink.close();
    }
  });

  it('treats a refused connection as retryable', async () => {
    const sink = await new SmtpSink().start();
    const port = sink.port;
    await sink.close();
    const ch = emailChannel({
      host: '127.0.0.1',
      port,
      secure: false,
      from: 'duty@example.com',
      timeoutMs: 2_000,
    });
    expect((await ch.send(page, { kind: 'email', address: 'a@example.com' }, ctx)).status).toBe(
      'retryable_error',
    );
  });
});
