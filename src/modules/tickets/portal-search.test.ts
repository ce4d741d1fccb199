import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DeskUser, type TestDesk, startTestDesk } from '../../../test/helpers/desk.js';
import { DIALECTS } from '../../../test/helpers/db.js';

/*
 * A requester searches their own tickets in the portal by what they can read: subject,
 * description and public replies. Internal notes and the text of another requester's ticket
 * merged into theirs are in the search index (staff find them), but a requester's search must not
 * match them — a hit would tell them a word is in a note they may not read.
 */

type User = DeskUser;
interface Item {
  id: string;
}

describe.each(DIALECTS)('portal search on %s', (dialect) => {
  let t: TestDesk;
  let agent: User;
  let requester: User;
  let other: User;
  let mine: string;
  let category: string;

  const portalSearch = async (q: string) => {
    const res = await requester.request('GET', `/api/portal/tickets?q=${encodeURIComponent(q)}`);
    expect(res.statusCode, res.body).toBe(200);
    return (res.json() as { items: Item[] }).items.map((i) => i.id);
  };
  const staffSearch = async (q: string) =>
    (
      (await agent.request('GET', `/api/tickets?q=${encodeURIComponent(q)}`)).json() as {
        items: Item[];
      }
    ).items.map((i) => i.id);
  const file = async (who: User, title: string, description: string) => {
    const res = await who.request('POST', '/api/portal/tickets', {
      channel: 'portal',
      type: 'fault',
      categoryId: category,
      title,
      description,
    });
    expect(res.statusCode, res.body).toBe(201);
    return (res.json() as Item).id;
  };

  beforeAll(async () => {
    t = await startTestDesk(dialect, { worker: false });
    agent = await t.userWith(['service_agent']);
    requester = await t.userWith(['requester']);
    other = await t.userWith(['requester']);
    category = await t.category('网络');
    mine = await file(requester, '打印机卡纸', '三楼打印机一直卡纸');
    const reply = async (visibility: string, body: string) =>
      expect(
        (await agent.request('POST', `/api/tickets/${mine}/replies`, { body, visibility }))
          .statusCode,
      ).toBe(201);
    await reply('internal', '供应商合同到期 机密');
    await reply('public', '工程师明早上门更换硒鼓');
    const theirs = await file(other, '复印机故障', '隔壁公司的复印机也坏了');
    const merged = await agent.request('POST', `/api/tickets/${mine}/merges`, {
      fromTicketId: theirs,
      acrossRequesters: true,
    });
    expect(merged.statusCode, merged.body).toBe(200);
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  it('finds their ticket by its subject, description and public replies, long and short terms', async () => {
    for (const q of ['打印机', '卡纸', '硒鼓', '更换硒鼓', '三楼 卡纸']) {
      expect(await portalSearch(q), q).toEqual([mine]);
    }
  });

  it('does not match words only an internal note or a merged-in ticket of someone else holds', async () => {
    for (const q of ['机密', '供应商合同', '隔壁公司', '复印机']) {
      expect(await portalSearch(q), q).toEqual([]);
      // Staff search the whole index: the words are there.
      expect(await staffSearch(q), q).toContain(mine);
    }
    // A term they can read and one they cannot: every term must match, so nothing.
    expect(await portalSearch('打印机 机密')).toEqual([]);
  });

  it('never finds another requester’s ticket', async () => {
    expect(await portalSearch('隔壁公司的复印机')).toEqual([]);
    const res = await other.request('GET', `/api/portal/tickets?q=${encodeURIComponent('硒鼓')}`);
    expect((res.json() as { items: Item[] }).items).toEqual([]);
  });
});
