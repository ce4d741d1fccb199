import { createHmac } from 'node:crypto';
import { FakeHttpServer, isObject, type FakeReply, type FakeRequest } from './http-fake.js';

export interface DingtalkFakeOptions {
  accessToken: string;
  /** When set, the robot requires 加签 like a real robot with that security setting. */
  secret?: string;
  now: () => number;
  /** Messages a minute before the robot throttles for 10 minutes (real robots: 20). */
  perMinute?: number;
}

const ok = (errcode: number, errmsg: string, accept = false): FakeReply & { accept: boolean } => ({
  status: 200,
  body: { errcode, errmsg },
  accept,
});

/** Fake DingTalk custom robot (POST /robot/send?access_token=…[&timestamp=&sign=]). */
export function dingtalkFake(opts: DingtalkFakeOptions): FakeHttpServer {
  const sent: number[] = [];
  let throttledUntil = 0;
  return new FakeHttpServer((req: FakeRequest) => {
    if (req.method !== 'POST' || req.path !== '/robot/send')
      return { status: 404, body: 'not found', accept: false };
    if (req.query.get('access_token') !== opts.accessToken) return ok(300001, 'token is not exist');
    if (opts.secret !== undefined) {
      const ts = Number(req.query.get('timestamp'));
      const sign = req.query.get('sign') ?? '';
      if (!Number.isInteger(ts) || Math.abs(opts.now() - ts) > 3_600_000)
        return ok(310000, 'invalid timestamp');
      const expected = createHmac('sha256', opts.secret)
        .update(`${ts}\n${opts.secret}`)
        .digest('base64');
      if (sign !== expected) return ok(310000, 'sign not match');
    }
    if (!String(req.headers['content-type']).startsWith('application/json'))
      return ok(43004, 'invalid content-type');
    const b = req.json;
    if (!isObject(b) || typeof b.msgtype !== 'string') return ok(40035, '缺少参数 json');
    const valid =
      (b.msgtype === 'text' && isObject(b.text) && typeof b.text.content === 'string') ||
      (b.msgtype === 'markdown' &&
        isObject(b.markdown) &&
        typeof b.markdown.title === 'string' &&
        typeof b.markdown.text === 'string') ||
      (b.msgtype === 'actionCard' &&
        isObject(b.actionCard) &&
        typeof b.actionCard.title === 'string' &&
        typeof b.actionCard.text === 'string' &&
        (typeof b.actionCard.singleURL === 'string' ||
          (Array.isArray(b.actionCard.btns) &&
            b.actionCard.btns.length > 0 &&
            b.actionCard.btns.every(
              (x) => isObject(x) && typeof x.title === 'string' && typeof x.actionURL === 'string',
            ))));
    if (!valid) return ok(40035, '缺少参数 json');
    const now = opts.now();
    if (now < throttledUntil) return ok(130101, 'send too fast, exceed 20 times per minute');
    const recent = sent.filter((t) => now - t < 60_000);
    if (opts.perMinute !== undefined && recent.length >= opts.perMinute) {
      throttledUntil = now + 10 * 60_000;
      return ok(130101, 'send too fast, exceed 20 times per minute');
    }
    sent.push(now);
    return ok(0, 'ok', true);
  });
}
