import { FakeHttpServer, isObject, type FakeRequest } from './http-fake.js';

/** Fake WeCom group robot (POST /cgi-bin/webhook/send?key=…); it does not sign. */
export function wecomFake(opts: { key: string }): FakeHttpServer {
  return new FakeHttpServer((req: FakeRequest) => {
    const err = (errcode: number, errmsg: string) => ({
      status: 200,
      body: { errcode, errmsg },
      accept: false,
    });
    if (req.method !== 'POST' || req.path !== '/cgi-bin/webhook/send')
      return { status: 404, body: 'not found', accept: false };
    if (req.query.get('key') !== opts.key) return err(93000, 'invalid webhook url');
    const b = req.json;
    if (!isObject(b) || typeof b.msgtype !== 'string') return err(40008, 'invalid message type');
    if (b.msgtype === 'markdown') {
      if (!isObject(b.markdown) || typeof b.markdown.content !== 'string')
        return err(41009, 'missing markdown content');
      if (Buffer.byteLength(b.markdown.content, 'utf8') > 4096)
        return err(40058, 'markdown.content exceed max length 4096');
    } else if (b.msgtype === 'text') {
      if (!isObject(b.text) || typeof b.text.content !== 'string')
        return err(41009, 'missing text content');
    } else return err(40008, 'invalid message type');
    return { status: 200, body: { errcode: 0, errmsg: 'ok' }, accept: true };
  });
}
