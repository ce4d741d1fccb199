import { afterEach, describe, expect, it } from 'vitest';
import { webhookFake } from '../../../test/fakes/webhook-fake.js';
import type { FakeHttpServer } from '../../../test/fakes/http-fake.js';
import type { DeliveryContext, NotificationMessage } from './channel.js';
import { createChannels, deliver } from './channel-registry.js';

const NOW = Date.UTC(2024, 4, 1, 18, 0);
const ctx: DeliveryContext = {
  now: NOW,
  timeoutMs: 2_000,
  ssrf: { allow: ['127.0.0.1/32'], resolve: async () => [] },
};
const m: NotificationMessage = {
  id: 'k1',
  kind: 'test',
  locale: 'en',
  title: 'Test',
  body: 'hello',
  links: {},
};

let fake: FakeHttpServer | undefined;
afterEach(async () => {
  await fake?.close();
});

describe('deliver', () => {
  it('routes by target kind and refuses kinds without configuration', async () => {
    fake = await webhookFake({ secret: 's', now: () => NOW }).start();
    const channels = createChannels({});
    expect(
      await deliver(channels, m, { kind: 'webhook', url: `${fake.origin}/h`, secret: 's' }, ctx),
    ).toEqual({ status: 'delivered', httpStatus: 200 });
    expect(await deliver(channels, m, { kind: 'sms', phone: '+8613800138000' }, ctx)).toEqual({
      status: 'permanent_error',
      error: 'channel sms is not configured',
    });
    expect(
      Object.keys(
        createChannels({
          smsVoice: { baseUrl: 'https://sms.example.com', keyId: 'k', secret: 's' },
        }),
      ),
    ).toContain('voice');
  });

  it('refuses a webhook to the cloud metadata address even with loopback allowed', async () => {
    const out = await deliver(
      createChannels({}),
      m,
      { kind: 'webhook', url: 'http://169.254.169.254/latest/meta-data/', secret: 's' },
      ctx,
    );
    expect(out).toEqual({
      status: 'permanent_error',
      error: 'ssrf:private_address 169.254.169.254',
    });
  });
});
