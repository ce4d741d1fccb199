import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../helpers/server.js';
import {
  type Api,
  apiAs,
  choose,
  chooseByKeyboard,
  createTeam,
  createUser,
  launchContext,
  prepareWeb,
  shots,
  signIn,
} from './harness.js';

// Ticket administration in the browser: a duty manager builds the category tree (add, add a
// child, rename, move to the top, disable) and changes desk settings (SLA warning point,
// a priority-matrix cell); every step is checked against the API. Real server, real Chromium.

type Server = Awaited<ReturnType<typeof startServer>>;
let server: Server;
let context: BrowserContext;
let profileDir: string;
let admin: Api;
let teamId: string;
let bigCustomerId: string;

interface Category {
  id: string;
  parentId: string | null;
  name: string;
  active: boolean;
}

const categories = async () =>
  (await admin<{ items: Category[] }>('GET', '/api/tickets/categories')).items;
const byName = async (name: string) => (await categories()).find((c) => c.name === name);

beforeAll(async () => {
  prepareWeb();
  server = await startServer();
  admin = await apiAs(server.baseUrl, server.admin.username, server.admin.password);
  await createUser(admin, 'manager', '值班经理 老周', 'duty_manager');
  // Two requesters: the SLA policy's picker finds one of them by part of the name.
  bigCustomerId = await createUser(admin, 'dakehu', '大客户 王经理', 'requester');
  await createUser(admin, 'sanke', '散客 赵女士', 'requester');
  teamId = await createTeam(admin, '机房值班组', []);
  profileDir = mkdtempSync(join(tmpdir(), 'dutydesk-e2e-'));
  context = await launchContext(profileDir);
}, 180_000);

afterAll(async () => {
  await context?.close();
  await server?.stop();
  if (profileDir) rmSync(profileDir, { recursive: true, force: true });
});

describe('ticket administration in the browser', () => {
  it('a duty manager builds the category tree and changes the desk settings', async () => {
    const page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(15_000);
    try {
      await signIn(page, server.baseUrl, 'manager');
      await page.getByTestId('nav-ticketAdmin').click();
      expect(await page.getByTestId('page-title').innerText()).toContain('工单设置');

      // Add a top-level category, then a child under it.
      await page.getByTestId('category-add').click();
      await page.getByTestId('category-dialog-ok').click();
      await page.getByText('请填写分类名称').waitFor();
      await page.getByTestId('category-dialog-name').fill('网络');
      await page.getByTestId('category-dialog-ok').click();
      await page.getByTestId('category-name-网络').waitFor();
      await page.getByTestId('category-add').click();
      await page.getByTestId('category-dialog-name').fill('交换机');
      await choose(page, 'category-dialog-parent', '网络');
      await page.getByTestId('category-dialog-ok').click();
      await page.getByTestId('category-name-交换机').waitFor();
      const net = (await byName('网络'))!;
      expect(await byName('交换机')).toMatchObject({ parentId: net.id, active: true });

      // Rename the child.
      await page.getByTestId('category-rename-交换机').click();
      await page.getByTestId('category-dialog-name').fill('核心交换机');
      await page.getByTestId('category-dialog-ok').click();
      await page.getByTestId('category-name-核心交换机').waitFor();
      expect(await byName('交换机')).toBeUndefined();

      // Moving 网络 offers neither itself nor its child as the new parent (no cycles).
      await page.getByTestId('category-move-网络').click();
      await page.getByTestId('category-dialog-parent').click();
      // The dropdown draws after the click: wait for its options rather than read them at once.
      await expect
        .poll(() =>
          page.locator('.ant-select-dropdown:visible .ant-select-item-option').allInnerTexts(),
        )
        .toEqual(['（顶级）']);
      await page.keyboard.press('Escape');
      await page.locator('.ant-modal-close').click();

      // Move the child to the top level.
      await page.getByTestId('category-move-核心交换机').click();
      await choose(page, 'category-dialog-parent', '（顶级）');
      await page.getByTestId('category-dialog-ok').click();
      await expect.poll(async () => (await byName('核心交换机'))?.parentId).toBeNull();

      // Disable it: the tag says so and new tickets can no longer use it.
      await page.getByTestId('category-toggle-核心交换机').click();
      await expect
        .poll(() => page.getByTestId('category-state-核心交换机').innerText())
        .toBe('已停用');
      expect((await byName('核心交换机'))?.active).toBe(false);
      await page.screenshot({ path: join(shots, 'ticket-admin-categories.png'), fullPage: true });

      // Settings: the SLA warning point and one cell of the priority matrix.
      await page.getByRole('tab', { name: '服务台设置' }).click();
      // antd puts the test id on the <input> of an InputNumber.
      await page.getByTestId('setting-slaWarnPercent').fill('70');
      await choose(page, 'matrix-low-high', 'P2');
      await page.getByTestId('settings-save').click();
      await page.getByText('已保存').first().waitFor();
      const s = await admin<{
        slaWarnPercent: number;
        priorityMatrix: { cells: Record<string, Record<string, string>> };
      }>('GET', '/api/tickets/settings');
      expect(s.slaWarnPercent).toBe(70);
      expect(s.priorityMatrix.cells.low!.high).toBe('P2');
      expect(s.priorityMatrix.cells.high!.high).toBe('P1');
      await page.screenshot({ path: join(shots, 'ticket-admin-settings.png'), fullPage: true });

      // A group's business calendar: a malformed range is refused by the server (its message
      // shown), then office hours with the 2026 State Council holiday list are stored.
      await page.getByRole('tab', { name: '工作日历' }).click();
      await choose(page, 'calendar-team', '机房值班组');
      await choose(page, 'calendar-kind', '按工作时段');
      await page.getByTestId('calendar-mon').fill('09:00-12:00, 13:30-18:00');
      await page.getByTestId('calendar-tue').fill('9-18');
      expect(await page.getByTestId('calendar-tue').inputValue()).toBe('9-18');
      await page.getByTestId('calendar-save').click();
      // The refusal names the field: 工作日历定义无效：字段 weekly.tue.0
      await page.locator('.ant-message', { hasText: 'weekly.tue' }).waitFor();
      expect(
        (await admin<{ calendars: object }>('GET', '/api/tickets/settings')).calendars,
      ).toEqual({});
      await page.getByTestId('calendar-tue').fill('09:00-18:00');
      await page.getByTestId('calendar-cn2026').check();
      await page.getByTestId('calendar-save').click();
      await expect
        .poll(
          async () =>
            (await admin<{ calendars: Record<string, unknown> }>('GET', '/api/tickets/settings'))
              .calendars[teamId],
        )
        .toEqual({
          calendar: {
            kind: 'hours',
            zone: 'Asia/Shanghai',
            weekly: { mon: ['09:00-12:00', '13:30-18:00'], tue: ['09:00-18:00'] },
            holidays: [],
            workdays: [],
          },
          holidays: 'cn-2026',
        });
      await page.screenshot({ path: join(shots, 'ticket-admin-calendar.png'), fullPage: true });

      // An SLA policy: faults of priority P1 of the requester 大客户 王经理 (picked by a part of
      // the name), 15 min first response, 4 h resolution on the 机房值班组 calendar, paused while
      // waiting for the customer (the default) or a third party, notify only.
      await page.getByRole('tab', { name: 'SLA 策略' }).click();
      await page.getByTestId('sla-add').click();
      await page.getByTestId('sla-dialog-name').fill('P1 故障');
      await choose(page, 'sla-dialog-type', '故障');
      await choose(page, 'sla-dialog-priority', 'P1');
      await page.getByTestId('sla-dialog-customer').click();
      await chooseByKeyboard(
        page,
        'sla-dialog-customer',
        '王经理',
        '大客户 王经理（dakehu）',
        '大客户 王经理',
      );
      await expect
        .poll(() => page.getByTestId('sla-dialog-customer').innerText())
        .toContain('大客户 王经理');
      await choose(page, 'sla-dialog-pause', ['等待第三方']);
      await page.getByTestId('sla-dialog-firstResponse').fill('15');
      await page.getByTestId('sla-dialog-resolution').fill('240');
      await choose(page, 'sla-dialog-calendar', '机房值班组');
      await page.getByTestId('sla-dialog-escalate').uncheck();
      await page.getByTestId('sla-dialog-ok').click();
      await page.getByTestId('sla-name-P1 故障').waitFor();
      const policies = async () =>
        (await admin<{ items: { id: string; name: string }[] }>('GET', '/api/tickets/sla-policies'))
          .items;
      expect(await policies()).toEqual([
        {
          id: expect.any(String),
          name: 'P1 故障',
          match: { type: 'fault', priority: 'P1', customerId: bigCustomerId },
          targets: { firstResponse: 15, resolution: 240 },
          warnAtPercent: 80,
          pauseStatuses: ['pending_customer', 'pending_third_party'],
          escalateOnBreach: false,
          calendarTeamId: teamId,
          active: true,
        },
      ]);
      // The list names the requester and the paused statuses.
      const row = page.locator('tr', { has: page.getByTestId('sla-name-P1 故障') });
      expect(await row.innerText()).toContain('大客户 王经理（dakehu）');
      expect(await page.getByTestId('sla-pause-P1 故障').innerText()).toBe('等待客户，等待第三方');
      // Edit its resolution target and stop pausing while waiting for the customer, then
      // disable it: the requester and the other paused status stay.
      // The stored requester's name is read when the dialog opens (its id until then).
      await page.getByTestId('sla-edit-P1 故障').click();
      await expect
        .poll(() => page.getByTestId('sla-dialog-customer').innerText())
        .toContain('大客户 王经理');
      await page.getByTestId('sla-dialog-resolution').fill('180');
      await page
        .getByTestId('sla-dialog-pause')
        .locator('.ant-select-selection-item', { hasText: '等待客户' })
        .locator('.ant-select-selection-item-remove')
        .click();
      await page.getByTestId('sla-dialog-ok').click();
      await expect
        .poll(async () => (await policies())[0])
        .toMatchObject({
          match: { customerId: bigCustomerId },
          targets: { firstResponse: 15, resolution: 180 },
          pauseStatuses: ['pending_third_party'],
        });
      await expect.poll(() => page.getByTestId('sla-pause-P1 故障').innerText()).toBe('等待第三方');
      await page.getByTestId('sla-toggle-P1 故障').click();
      await expect.poll(() => page.getByTestId('sla-state-P1 故障').innerText()).toBe('已停用');
      expect((await policies())[0]).toMatchObject({ active: false });
      await page.screenshot({ path: join(shots, 'ticket-admin-sla.png'), fullPage: true });
    } catch (err) {
      await page.screenshot({ path: join(shots, 'ticket-admin-failure.png'), fullPage: true });
      throw err;
    }
  }, 120_000);
  it('a requester with a must-change password changes it on the portal and lands on /portal', async () => {
    // Without a password the server generates one that must be changed at the first sign-in.
    const { initialPassword } = await admin<{ initialPassword: string }>('POST', '/api/users', {
      username: 'kehu',
      displayName: '报修客户 李先生',
      roles: ['requester'],
    });
    await context.clearCookies();
    const page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(15_000);
    try {
      await page.goto(`${server.baseUrl}/sign-in`);
      await page.getByTestId('signin-username').fill('kehu');
      await page.getByTestId('signin-password').fill(initialPassword);
      await page.getByTestId('signin-submit').click();
      // Sent to the portal's password page, and kept there: the ticket list waits.
      await page.waitForURL(/\/portal\/password$/);
      await page.getByTestId('portal-must-change-password').waitFor();
      await page.goto(`${server.baseUrl}/portal/new`);
      await page.waitForURL(/\/portal\/password$/);
      expect(await page.getByTestId('user-menu').count()).toBe(0);

      await page.getByTestId('password-current').fill(initialPassword);
      await page.getByTestId('password-new').fill('new-kehu-password-1');
      await page.getByTestId('password-confirm').fill('new-kehu-password-1');
      await page.getByTestId('password-submit').click();
      await page.waitForURL(/\/portal$/);
      await page.getByTestId('portal-new').waitFor();
      await page.screenshot({ path: join(shots, 'portal-password-changed.png'), fullPage: true });

      const kehu = await apiAs(server.baseUrl, 'kehu', 'new-kehu-password-1');
      expect(
        (await kehu<{ user: { mustChangePassword: boolean } }>('GET', '/api/auth/me')).user,
      ).toMatchObject({ mustChangePassword: false });
      await expect(apiAs(server.baseUrl, 'kehu', initialPassword)).rejects.toThrow(/401/);
    } catch (err) {
      await page.screenshot({ path: join(shots, 'portal-password-failure.png'), fullPage: true });
      throw err;
    } finally {
      await context.clearCookies();
    }
  }, 120_000);
});
