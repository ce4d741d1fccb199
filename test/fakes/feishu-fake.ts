import { createHmac } from 'node:crypto';
import { FakeHttpServer, isObject, type FakeRequest } from './http-fake.js';

/** Fake Feishu custom bot (POST /open-apis/bot/v2/hook/<token>), signing as Feishu documents. */
export function feishuFake(opts: {
  token: string;
  secret?: string;
  now: () => number;
}): FakeHttpServer {
  return new FakeHttpServer((req: FakeRequest) => {
    const err = (code: number, msg: string, status = 200) => ({
      status,
      body: { code, msg, data: {} },
      accept: false,
    });
    if (req.method !== 'POST' || req.path !== `/open-apis/bot/v2/hook/${opts.token}`) {
      return err(19001, 'param invalid: incoming webhook access token invalid', 404);
    }
    const b = req.json;
    if (!isObject(b)) return err(9499, 'Bad Request', 400);
    if (opts.secret !== undefined) {
      const ts =
        typeof b.timestamp === 'string' && /^\d+$/.test(b.timestamp) ? Number(b.timestamp) : NaN;
      // The key is "timestamp\nsecret" and the message is empty.
      const expected = Number.isNaN(ts)
        ? ''
        : createHmac('sha256', `${ts}\n${opts.secret}`).update('').digest('base64');
      if (Number.isNaN(ts) || Math.abs(opts.now() / 1000 - ts) > 3600 || b.sign !== expected) {
        return err(19021, 'sign match fail or timestamp is not within one hour from current time');
      }
    }
    const valid =
      (b.msg_type === 'text' && isObject(b.content) && typeof b.content.text === 'string') ||
      (b.msg_type === 'post' && isObject(b.content) && isObject(b.content.post)) ||
      (b.msg_type === 'interactive' &&
        isObject(b.card) &&
        Array.isArray(b.card.elements) &&
        isObject(b.card.header));
    if (!valid) return err(9499, 'Bad Request', 400);
    return { status: 200, body: { code: 0, msg: 'success', data: {} }, accept: true };
  });
}
