import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../helpers/server.js';
import { type Api, apiAs, choose, launchContext, prepareWeb, shots, signIn } from './harness.js';

// Ticket administration in the browser: a duty manager builds the category tree (add, add a
// child, rename, move to the top, disable) and changes desk settings (SLA warning point,
// a priority-matrix cell); every step is checked against the API. Real server, real Chromium.

type Server = Awaited<ReturnType<typeof startServer>>;
let server: Server;
let context: BrowserContext;
let profileDir: string;
let admin: Api;
let teamId: string;

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
  await admin('POST', '/api/users', {
    username: 'manager',
    displayName: '值班经理 老周',
    roles: ['duty_manager'],
    password: 'pw-manager-12345',
  });
  teamId = (
    await admin<{ team: { id: string } }>('POST', '/api/teams', {
      name: '机房值班组',
      timeZone: 'Asia/Shanghai',
    })
  ).team.id;
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
      const offered = await page
        .locator('.ant-select-dropdown:visible .ant-select-item-option')
        .allInnerTexts();
      expect(offered).toEqual(['（顶级）']);
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
    } catch (err) {
      await page.screenshot({ path: join(shots, 'ticket-admin-failure.png'), fullPage: true });
      throw err;
    }
  }, 120_000);
});
