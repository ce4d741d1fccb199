import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { notifyChannelsFromEnv } from './notify-env.js';

describe('SMS/voice and web push settings from the environment', () => {
  it('leaves both off when nothing is set', () => {
    expect(notifyChannelsFromEnv({})).toEqual({});
  });

  it('reads a complete provider and VAPID group', () => {
    expect(
      notifyChannelsFromEnv({
        SMS_PROVIDER_URL: 'https://sms.example.com/',
        SMS_PROVIDER_KEY_ID: 'k1',
        SMS_PROVIDER_SECRET: 's1',
        SMS_SENDER: 'DUTY',
        VAPID_PUBLIC_KEY: 'pub',
        VAPID_PRIVATE_KEY: 'priv',
        VAPID_SUBJECT: 'mailto:ops@example.com',
      }),
    ).toEqual({
      smsVoice: { baseUrl: 'https://sms.example.com', keyId: 'k1', secret: 's1', sender: 'DUTY' },
      vapid: { publicKey: 'pub', privateKey: 'priv', subject: 'mailto:ops@example.com' },
    });
  });

  it('refuses any half-set group, naming what is missing', () => {
    const names = ['SMS_PROVIDER_URL', 'SMS_PROVIDER_KEY_ID', 'SMS_PROVIDER_SECRET'];
    fc.assert(
      fc.property(fc.subarray(names, { minLength: 1, maxLength: 2 }), (set) => {
        const env = Object.fromEntries(set.map((n) => [n, 'https://x.example']));
        const missing = names.filter((n) => !set.includes(n));
        expect(() => notifyChannelsFromEnv(env)).toThrow(missing[0]);
      }),
    );
    expect(() =>
      notifyChannelsFromEnv({ VAPID_PUBLIC_KEY: 'a', VAPID_PRIVATE_KEY: 'b', VAPID_SUBJECT: 'x' }),
    ).toThrow(/VAPID_SUBJECT/);
    expect(() =>
      notifyChannelsFromEnv({
        SMS_PROVIDER_URL: 'ftp://x',
        SMS_PROVIDER_KEY_ID: 'a',
        SMS_PROVIDER_SECRET: 'b',
      }),
    ).toThrow(/SMS_PROVIDER_URL/);
  });
});
