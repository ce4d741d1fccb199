import { FakeHttpServer, isObject, type FakeRequest } from './http-fake.js';

/** Fake Slack incoming webhook (POST /services/T…/B…/…): 200 "ok", or the documented error strings. */
export function slackFake(opts: { path: string }): FakeHttpServer {
  return new FakeHttpServer((req: FakeRequest) => {
    const err = (status: number, body: string) => ({ status, body, accept: false });
    if (req.method !== 'POST' || req.path !== opts.path) return err(404, 'no_service');
    const b = req.json;
    if (!isObject(b)) return err(400, 'invalid_payload');
    if (typeof b.text !== 'string' && !Array.isArray(b.blocks)) return err(400, 'no_text');
    if (b.blocks !== undefined) {
      if (!Array.isArray(b.blocks) || b.blocks.length > 50) return err(400, 'invalid_blocks');
      for (const block of b.blocks) {
        if (!isObject(block) || typeof block.type !== 'string') return err(400, 'invalid_blocks');
        if (block.type === 'header' && (!isObject(block.text) || block.text.type !== 'plain_text'))
          return err(400, 'invalid_blocks');
        if (block.type === 'actions') {
          const els = block.elements;
          if (!Array.isArray(els) || els.length === 0 || els.length > 25)
            return err(400, 'invalid_blocks');
          for (const e of els) {
            if (
              !isObject(e) ||
              e.type !== 'button' ||
              !isObject(e.text) ||
              e.text.type !== 'plain_text'
            )
              return err(400, 'invalid_blocks');
            if (e.url !== undefined && (typeof e.url !== 'string' || !/^https?:\/\//.test(e.url)))
              return err(400, 'invalid_blocks');
          }
        }
      }
    }
    return { status: 200, body: 'ok', accept: true };
  });
}
