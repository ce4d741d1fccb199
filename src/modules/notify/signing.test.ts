import { webcrypto } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { dingtalkSignedUrl } from './dingtalk-channel.js';
import { feishuBody } from './feishu-channel.js';
import { dingtalkSign, feishuSign, providerSignature, webhookSignature } from './signing.js';

// No vendor publishes a (timestamp, secret) → sign example with its output, so the expected
// values below were computed independently with the OpenSSL CLI from the documented formulas:
//   printf '%s\n%s' "$TS" "$SECRET" | openssl dgst -sha256 -hmac "$SECRET" -binary | base64      (DingTalk)
//   printf '' | openssl dgst -sha256 -hmac "$(printf '%s\n%s' $TS $SECRET)" -binary | base64    (Feishu)
// and are re-derived below with WebCrypto, a second implementation.
const DING_SECRET = 'SEC4f2b1d8e7c6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c';
const DING_TS = 1577262236757;
const DING_SIGN = 'mQb9Y1qL74yOkgpgzTAoRynXDLIiKwWvO/lcjYJ7zug=';
const FEISHU_SECRET = 'demo-feishu-secret';
const FEISHU_TS = 1599360473;
const FEISHU_SIGN = 'I14G+BylJBIS1VqI4nUg1mKqMAjMGZlFJGT36IJRUr8=';

async function subtleHmacB64(key: string, message: string): Promise<string> {
  const k = await webcrypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(key),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  return Buffer.from(
    await webcrypto.subtle.sign('HMAC', k, new TextEncoder().encode(message)),
  ).toString('base64');
}

describe('signatures', () => {
  it('DingTalk: HMAC keyed by the secret over "timestamp\\nsecret", URL-encoded in the query', async () => {
    expect(dingtalkSign(DING_SECRET, DING_TS)).toBe(DING_SIGN);
    expect(await subtleHmacB64(DING_SECRET, `${DING_TS}\n${DING_SECRET}`)).toBe(DING_SIGN);
    const url = dingtalkSignedUrl(
      'https://oapi.dingtalk.com/robot/send?access_token=abc',
      DING_SECRET,
      DING_TS,
    );
    expect(url).toBe(
      `https://oapi.dingtalk.com/robot/send?access_token=abc&timestamp=${DING_TS}&sign=mQb9Y1qL74yOkgpgzTAoRynXDLIiKwWvO%2FlcjYJ7zug%3D`,
    );
    expect(
      dingtalkSignedUrl('https://x.example/robot/send?access_token=abc', undefined, DING_TS),
    ).not.toContain('sign=');
  });

  it('Feishu: HMAC keyed by "timestamp\\nsecret" over the empty string, seconds in the body', async () => {
    expect(feishuSign(FEISHU_SECRET, FEISHU_TS)).toBe(FEISHU_SIGN);
    expect(await subtleHmacB64(`${FEISHU_TS}\n${FEISHU_SECRET}`, '')).toBe(FEISHU_SIGN);
    // The two vendors differ: the DingTalk formula must not give the Feishu value.
    expect(await subtleHmacB64(FEISHU_SECRET, `${FEISHU_TS}\n${FEISHU_SECRET}`)).not.toBe(
      FEISHU_SIGN,
    );
    const body = feishuBody(
      { id: 'm', kind: 'test', locale: 'zh', title: 't', body: 'b', links: {} },
      FEISHU_SECRET,
      FEISHU_TS * 1000 + 999,
    );
    expect(body).toMatchObject({
      timestamp: String(FEISHU_TS),
      sign: FEISHU_SIGN,
      msg_type: 'interactive',
    });
  });

  it('generic webhook and provider signatures match their documented formulas', () => {
    // openssl: printf '1700000000.{"a":1}' | openssl dgst -sha256 -hmac whsec -hex
    expect(webhookSignature('whsec', 1700000000, '{"a":1}')).toBe(
      't=1700000000,v1=8ad37ba156048ae0e0a5533c75cdf26fee88b07f93cb57ee4c80adb053012032',
    );
    expect(providerSignature('s', 1, 'post', '/v1/messages', '')).toBe(
      providerSignature('s', 1, 'POST', '/v1/messages', ''),
    );
    expect(providerSignature('s', 1, 'POST', '/v1/messages', 'a')).not.toBe(
      providerSignature('s', 1, 'POST', '/v1/messages', 'b'),
    );
  });
});
