import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../helpers/server.js';
import * as harness from './harness.js';
import { apiAs, createUser, launchContext, prepareWeb, shots } from './harness.js';

// Undoing a merge and a watcher's mail switch on the ticket page: an agent watches the target,
// turns the mail copy off, then undoes the merge from the target's merge card; the merged ticket
// is back in the status it had. Real server (SQLite file, job worker), real Chromium.

type Server = Awaited<ReturnType<typeof startServer>>;
let server: Server;
let context: BrowserContext;
let profileDir: string;
const ids: Record<string, string> = {};

beforeAll(async () => {
  prepareWeb();
  server = await startServer({ env: { ROLES: 'api,worker', JOB_POLL_MS: '100' } });
  const admin = await apiAs(server.baseUrl, server.admin.username, server.admin.password);
  for (const [username, displayName, role] of [
    ['agent', '坐席 小林', 'service_agent'],
    ['customer', '报修客户 李先生', 'requester'],
  ] as const) {
    ids[username] = await createUser(admin, username, displayName, role);
  }
  ids.category = (
    await admin<{ id: string }>('POST', '/api/tickets/categories', { name: '打印设备' })
  ).id;
  profileDir = mkdtempSync(join(tmpdir(), 'dutydesk-e2e-'));
  context = await launchContext(profileDir);
}, 180_000);

afterAll(async () => {
  await context?.close();
  await server?.stop();
  if (profileDir) rmSync(profileDir, { recursive: true, force: true });
});

describe('undoing a merge on the ticket page', () => {
  it('a watcher turns the mail copy off, and the agent undoes a merge from the target', async () => {
    const customer = await apiAs(server.baseUrl, 'customer', 'pw-customer-12345');
    const file = (title: string) =>
      customer<{ id: string; number: string }>('POST', '/api/portal/tickets', {
        channel: 'portal',
        type: 'fault',
        categoryId: ids.category,
        title,
        description: '二楼打印机一直卡纸。',
      });
    const a = await file('二楼打印机卡纸');
    const b = await file('二楼打印机又卡纸了');
    const agentApi = await apiAs(server.baseUrl, 'agent', 'pw-agent-12345');
    await agentApi('POST', `/api/tickets/${a.id}/merges`, { fromTicketId: b.id });

    const page = context.pages()[0]!;
    page.setDefaultTimeout(15_000);
    await harness.signIn(page, server.baseUrl, 'agent');
    await page.goto(`${server.baseUrl}/tickets/${a.id}`);
    await page.getByTestId('ticket-number').filter({ hasText: a.number }).waitFor();
    await page.getByTestId('watcher-me').click();
    const me = page.getByTestId(`watcher-${ids.agent}`);
    await me.filter({ hasText: '坐席 小林' }).waitFor();
    expect(await me.getAttribute('data-mail')).toBe('on');
    await page.getByTestId('watcher-mail').click();
    await expect.poll(() => me.getAttribute('data-mail')).toBe('off');
    const watchers = await agentApi<{ items: { userId: string; notifyMail: boolean }[] }>(
      'GET',
      `/api/tickets/${a.id}/watchers`,
    );
    expect(watchers.items.find((w) => w.userId === ids.agent)?.notifyMail).toBe(false);

    await page.getByTestId(`unmerge-${b.number}`).click();
    await page.locator('.ant-popconfirm .ant-btn-primary').click();
    await page.getByTestId('event-unmerged').filter({ hasText: b.number }).waitFor();
    expect(await page.getByTestId(`merged-from-${b.number}`).count()).toBe(0);
    await page.screenshot({ path: join(shots, 'tickets-unmerge.png'), fullPage: true });

    await page.goto(`${server.baseUrl}/tickets/${b.id}`);
    await page.getByTestId('ticket-number').filter({ hasText: b.number }).waitFor();
    await page.getByTestId('event-status_changed').filter({ hasText: a.number }).last().waitFor();
    expect(await page.getByTestId('ticket-status').textContent()).not.toContain('已合并');
    expect(await page.getByTestId('merged-into').count()).toBe(0);
  }, 180_000);
});
