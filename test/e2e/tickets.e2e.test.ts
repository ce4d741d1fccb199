import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../helpers/server.js';
import { PNG } from '../helpers/mail-intake.js';
import * as harness from './harness.js';
import {
  apiAs,
  choose,
  createTeam,
  createUser,
  launchContext,
  prepareWeb,
  shots,
} from './harness.js';
import { startSmtpSink } from '../helpers/smtp.js';

// The service desk in the browser: an agent logs a phone call, the inbox (open in another tab)
// shows the new ticket live, the agent replies, adds an internal note and resolves it; a
// requester on a phone asks for a sign-in link, opens it from the mail the SMTP fake received,
// confirms the fix and rates it. Real server (SQLite file, job worker), real SMTP, real Chromium.

type Server = Awaited<ReturnType<typeof startServer>>;
let server: Server;
let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
let context: BrowserContext;
let profileDir: string;
const ids: Record<string, string> = {};

function signIn(page: Page, username: string): Promise<void> {
  return harness.signIn(page, server.baseUrl, username);
}

beforeAll(async () => {
  prepareWeb();
  smtp = await startSmtpSink();
  server = await startServer({
    env: { ...smtp.env, ROLES: 'api,worker', JOB_POLL_MS: '100' },
  });
  const admin = await apiAs(server.baseUrl, server.admin.username, server.admin.password);
  ids.agent = await createUser(admin, 'agent', '坐席 小陈', 'service_agent');
  ids.customer = await createUser(
    admin,
    'customer',
    '报修客户 王女士',
    'requester',
    'wang@example.com',
  );
  ids.team = await createTeam(admin, '服务台一线', [ids.agent]);
  const category = await admin<{ id: string }>('POST', '/api/tickets/categories', {
    name: '网络故障',
  });
  ids.category = category.id;
  await admin('PUT', '/api/tickets/settings/portalGroupId', { value: ids.team });

  // The requester's own ticket, filed in the portal and already resolved by the desk.
  const customer = await apiAs(server.baseUrl, 'customer', 'pw-customer-12345');
  const mine = await customer<{ id: string; number: string }>('POST', '/api/portal/tickets', {
    channel: 'portal',
    type: 'fault',
    categoryId: ids.category,
    title: '三楼会议室断网',
    description: '会议室的有线网络从早上开始不通。',
  });
  ids.customerTicket = mine.id;
  ids.customerNumber = mine.number;
  const agentApi = await apiAs(server.baseUrl, 'agent', 'pw-agent-12345');
  await agentApi('POST', `/api/tickets/${mine.id}/transitions`, {
    action: 'assign',
    assigneeId: ids.agent,
  });
  await agentApi('POST', `/api/tickets/${mine.id}/replies`, {
    body: '已更换交换机端口，请再试一下。',
    visibility: 'public',
  });
  await agentApi('POST', `/api/tickets/${mine.id}/transitions`, {
    action: 'resolve',
    note: '交换机端口故障，已更换。',
  });

  profileDir = mkdtempSync(join(tmpdir(), 'dutydesk-e2e-'));
  context = await launchContext(profileDir);
}, 180_000);

afterAll(async () => {
  await context?.close();
  await server?.stop();
  await smtp?.close();
  if (profileDir) rmSync(profileDir, { recursive: true, force: true });
});

describe('the service desk in the browser', () => {
  it('an agent logs a phone call, sees it arrive live, replies, notes and resolves', async () => {
    const inbox = context.pages()[0] ?? (await context.newPage());
    inbox.setDefaultTimeout(15_000);
    const desk = await context.newPage();
    desk.setDefaultTimeout(15_000);
    try {
      await signIn(inbox, 'agent');
      await inbox.getByTestId('nav-tickets').click();
      await inbox.getByTestId('tickets-view-all').click();
      await inbox.locator('[data-testid="tickets-live"][data-live="yes"]').waitFor();
      await inbox.getByTestId(`ticket-row-${ids.customerNumber}`).waitFor();

      // The phone form refuses a call without a contact, on that field, and saves nothing.
      await desk.goto(`${server.baseUrl}/tickets/phone`);
      await desk.getByTestId('phone-caller-name').fill('李先生');
      await desk.getByTestId('phone-description').fill('财务室打印机无法联网\n错误灯一直闪');
      await choose(desk, 'phone-category', '网络故障');
      await desk.getByTestId('phone-submit').click();
      await desk.getByText('请填写联系电话或邮箱').waitFor();

      // A malformed contact: the server's refusal lands on the field.
      await desk.getByTestId('phone-caller-contact').fill('abc');
      await desk.getByTestId('phone-submit').click();
      await desk.locator('#callerContact_help, .ant-form-item-explain-error').first().waitFor();
      expect(await desk.getByTestId('page-title').innerText()).toContain('电话登记');

      await desk.getByTestId('phone-caller-contact').fill('138-0013-8000');
      await desk.getByTestId('phone-organisation').fill('财务部');
      await desk.getByTestId('phone-submit').click();
      await desk.getByTestId('ticket-number').waitFor();
      const number = await desk.getByTestId('ticket-number').innerText();
      expect(number).toMatch(/^TK-\d{8}-\d{4,}$/);
      expect(await desk.getByTestId('ticket-caller').innerText()).toContain('李先生');
      // Dispatched to the one member of the group on duty: the agent.
      expect(await desk.getByTestId('ticket-assignee').innerText()).toBe('坐席 小陈');
      await desk.getByTestId('sla-firstResponse').waitFor();
      expect(await desk.getByTestId('sla-firstResponse').getAttribute('data-state')).toBe(
        'running',
      );

      // The inbox, untouched in the other tab, shows the new ticket by itself.
      await inbox.getByTestId(`ticket-row-${number}`).waitFor();

      // A public reply and an internal note join the timeline.
      await desk.getByTestId('reply-body').fill('您好，工程师十分钟内到场。');
      await desk.getByTestId('reply-submit').click();
      await desk
        .locator('[data-testid="event-reply"][data-visibility="public"]', {
          hasText: '工程师十分钟内到场',
        })
        .waitFor();
      await desk.getByTestId('reply-tab-internal').click();
      await desk.getByTestId('reply-body').fill('疑似交换机端口故障，<script>alert(1)</script>');
      await desk.getByTestId('reply-submit').click();
      const note = desk.locator('[data-testid="event-reply"][data-visibility="internal"]');
      await note.waitFor();
      // User text is shown as text: the tag is visible, nothing ran.
      expect(await note.innerText()).toContain('<script>alert(1)</script>');
      expect(await desk.getByTestId('sla-firstResponse').getAttribute('data-state')).toBe('met');

      // Only the moves this role may make from "assigned" are offered; resolve it.
      const offered = await desk
        .getByTestId('ticket-actions')
        .locator('[data-testid^="ticket-action-"]')
        .evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')));
      expect(offered).toEqual([
        'ticket-action-assign',
        'ticket-action-start',
        'ticket-action-resolve',
      ]);
      await desk.getByTestId('ticket-action-start').click();
      await desk.getByTestId('ticket-action-resolve').click();
      // Resolving asks what was done; the server refuses it without.
      await desk.getByTestId('move-submit').click();
      await desk.getByText('请填写说明').waitFor();
      await desk.getByTestId('move-note').fill('更换了交换机端口，打印机已恢复。');
      await desk.getByTestId('move-submit').click();
      await desk.getByTestId('ticket-status').filter({ hasText: '已解决' }).waitFor();
      await desk.screenshot({ path: join(shots, 'tickets-agent-ticket.png'), fullPage: true });

      // Search finds it by a two-character Chinese word of its description.
      await inbox.getByTestId('tickets-search').locator('input').fill('联网');
      await inbox.getByTestId('tickets-search').locator('input').press('Enter');
      await inbox.getByTestId(`ticket-row-${ids.customerNumber}`).waitFor({ state: 'detached' });
      await inbox.getByTestId(`ticket-row-${number}`).waitFor();
      expect(await inbox.locator('[data-testid^="ticket-row-"]').count()).toBe(1);
      await inbox.screenshot({ path: join(shots, 'tickets-inbox.png') });
    } finally {
      await desk.close();
      await context.clearCookies();
    }
  }, 180_000);

  it('a requester on a phone signs in by a mailed link, confirms the fix and rates it', async () => {
    const page = context.pages()[0]!;
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      await page.goto(`${server.baseUrl}/portal/tickets/${ids.customerTicket}`);
      await page.getByTestId('portal-email').fill('WANG@example.com');
      await page.getByTestId('portal-send-link').click();
      await page.getByTestId('portal-link-sent').waitFor();

      let link: string | undefined;
      for (let i = 0; i < 200 && !link; i++) {
        const mail = smtp.received.find(
          (m) => m.envelopeTo.includes('wang@example.com') && /登录链接/.test(m.subject ?? ''),
        );
        link = /\/portal\/link#token=[A-Za-z0-9_-]+/.exec(mail?.text ?? '')?.[0];
        if (!link) await new Promise((r) => setTimeout(r, 50));
      }
      expect(link).toBeDefined();
      await page.goto(`${server.baseUrl}${link}`);

      // Back on the ticket it was going to; the token is gone from the address bar.
      await page.getByTestId('ticket-number').filter({ hasText: ids.customerNumber! }).waitFor();
      expect(page.url()).not.toContain('token');
      await page.getByTestId('ticket-status').filter({ hasText: '已解决' }).waitFor();
      await page.getByTestId('event-reply').filter({ hasText: '已更换交换机端口' }).waitFor();
      // The link works once.
      const again = await page.request.post(`${server.baseUrl}/api/auth/magic-link/consume`, {
        data: { token: link!.split('token=')[1] },
      });
      expect(again.status()).toBe(401);

      await page.getByTestId('portal-confirm').click();
      await page.getByTestId('ticket-status').filter({ hasText: '已关闭' }).waitFor();
      await page.getByTestId('survey-card').waitFor();
      await page.getByTestId('survey-submit').click();
      await page.getByText('请选择评分').waitFor();
      await page.locator('.ant-rate-star').nth(3).click();
      await page.getByTestId('survey-comment').fill('响应很快，谢谢！');
      await page.getByTestId('survey-submit').click();
      await page.getByTestId('survey-done').filter({ hasText: '4' }).waitFor();
      expect(await page.getByTestId('survey-card').count()).toBe(0);
      // Nothing of the page is wider than the phone.
      const width = await page.evaluate<number>('document.documentElement.scrollWidth');
      expect(width).toBeLessThanOrEqual(390);
      await page.screenshot({ path: join(shots, 'tickets-portal-phone.png'), fullPage: true });

      // The close mail's link leads to the survey page, which now shows the rating given.
      await page.goto(`${server.baseUrl}/portal/tickets/${ids.customerTicket}/survey`);
      await page.getByTestId('survey-done').waitFor();

      // A new ticket from the portal shows up in the list.
      await page.goto(`${server.baseUrl}/portal`);
      await page.getByTestId('portal-new').click();
      await choose(page, 'portal-category', '网络故障');
      await page.getByTestId('portal-title').fill('投影仪无信号');
      await page.getByTestId('portal-description').fill('二楼培训室投影仪无信号。');
      await page.getByTestId('portal-submit').click();
      await page.getByTestId('ticket-number').waitFor();
      await page.getByTestId('page-title').filter({ hasText: '投影仪无信号' }).waitFor();
      await page.goto(`${server.baseUrl}/portal`);
      await page.getByTestId(`portal-ticket-${ids.customerNumber}`).waitFor();
      expect(await page.locator('[data-testid^="portal-ticket-TK-"]').count()).toBe(2);
    } finally {
      await page.setViewportSize({ width: 1366, height: 900 });
    }
  }, 180_000);

  it('an agent watches a ticket and merges a duplicate into it; a requester signing in lands on the portal', async () => {
    const customer = await apiAs(server.baseUrl, 'customer', 'pw-customer-12345');
    const file = async (title: string) =>
      customer<{ id: string; number: string }>('POST', '/api/portal/tickets', {
        channel: 'portal',
        type: 'fault',
        categoryId: ids.category,
        title,
        description: '五楼无线网络时断时续。',
      });
    const a = await file('五楼无线网络不稳定');
    const b = await file('五楼 Wi-Fi 经常掉线');
    const page = context.pages()[0]!;
    page.setDefaultTimeout(15_000);
    // The requester of the test before is still signed in.
    await context.clearCookies();
    try {
      await signIn(page, 'agent');
      await page.goto(`${server.baseUrl}/tickets/${a.id}`);
      await page.getByTestId('ticket-number').filter({ hasText: a.number }).waitFor();
      await page.getByTestId('watcher-me').click();
      await page.getByTestId(`watcher-${ids.agent}`).filter({ hasText: '坐席 小陈' }).waitFor();

      // A public reply with a file: uploaded first, then sent with the reply's attachmentIds.
      await page
        .locator('.ant-upload', { has: page.getByTestId('reply-attach') })
        .locator('input[type=file]')
        .setInputFiles({ name: 'ap-status.png', mimeType: 'image/png', buffer: PNG });
      await page.locator('.ant-upload-list-item', { hasText: 'ap-status.png' }).waitFor();
      await expect.poll(() => page.locator('.ant-upload-list-item-uploading').count()).toBe(0);
      await page.getByTestId('reply-body').fill('已重启五楼 AP，请看附图。');
      await page.getByTestId('reply-submit').click();
      await page
        .locator('[data-testid="event-reply"]', { hasText: '已重启五楼 AP' })
        .getByTestId('attachment-ap-status.png')
        .waitFor();

      await page.getByTestId('ticket-merge').click();
      await choose(page, 'merge-from', b.number);
      await page.getByTestId('merge-submit').click();
      await page.getByTestId(`merged-from-${b.number}`).waitFor();
      await page.getByTestId('event-merged').filter({ hasText: b.number }).waitFor();
      await page.screenshot({ path: join(shots, 'tickets-merge.png'), fullPage: true });

      await page.goto(`${server.baseUrl}/tickets/${b.id}`);
      await page.getByTestId('ticket-status').filter({ hasText: '已合并' }).waitFor();
      await page.getByTestId('merged-into').filter({ hasText: a.number }).waitFor();
      await context.clearCookies();

      // A requester who signs in on the staff sign-in page is taken to the portal, and the staff
      // frame (its navigation included) is never shown to them.
      await page.goto(`${server.baseUrl}/sign-in`);
      await page.getByTestId('signin-username').fill('customer');
      await page.getByTestId('signin-password').fill('pw-customer-12345');
      await page.getByTestId('signin-submit').click();
      await page.waitForURL(/\/portal$/);
      await page.getByTestId(`portal-ticket-${b.number}`).waitFor();
      expect(await page.getByTestId('nav-tickets').count()).toBe(0);
      await page.goto(`${server.baseUrl}/tickets`);
      await page.waitForURL(/\/portal$/);
      expect(await page.getByTestId('user-menu').count()).toBe(0);
    } catch (err) {
      await page.screenshot({ path: join(shots, 'tickets-merge-failure.png'), fullPage: true });
      throw err;
    } finally {
      await context.clearCookies();
    }
  }, 180_000);
});
