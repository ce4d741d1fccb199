import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import ExcelJS from 'exceljs';
import type { BrowserContext, Page } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../../src/lib/clock.js';
import { startServer } from '../helpers/server.js';
import * as harness from './harness.js';
import {
  apiAs,
  createTeam,
  createUser,
  choose,
  launchContext,
  prepareWeb,
  shots,
  signOut,
} from './harness.js';

// The roster at 3 a.m. and the duty admin's follow-up, in the browser: a technician on a phone
// sees who is on duty and subscribes to (and revokes) a calendar feed; the duty manager puts
// someone on duty by emergency override (a reason is required); the duty admin reads the
// month's attendance (a missed shift), downloads its CSV and reminds the unconfirmed, then
// reads the same attendance on a phone and downloads it as an Excel workbook.

// 10:00 in Shanghai on Thursday 10 December 2026: A stands the 09:00–17:00 watch; B missed
// yesterday's.
const NOW = Date.UTC(2026, 11, 10, 2, 0);

type Server = Awaited<ReturnType<typeof startServer>>;

let server: Server;
let context: BrowserContext;
let page: Page;
let profileDir: string;
const ids: Record<string, string> = {};

async function signIn(username: string): Promise<void> {
  // Each walk starts signed out, even when the one before it failed half-way.
  await context.clearCookies();
  await harness.signIn(page, server.baseUrl, username);
}

beforeAll(async () => {
  prepareWeb();
  server = await startServer({ clock: new ManualClock(NOW), env: { ROLES: 'api' } });
  const api = await apiAs(server.baseUrl, server.admin.username, server.admin.password);
  const user = async (username: string, displayName: string, role: string) => {
    ids[username] = await createUser(api, username, displayName, role);
  };
  await user('duty.admin', '值班管理员', 'duty_admin');
  await user('duty.mgr', '值班经理', 'duty_manager');
  await user('tech.a', 'A 张伟', 'technician');
  await user('tech.b', 'B 李娜', 'technician');
  ids.team = await createTeam(
    api,
    '运维值班组',
    ['tech.a', 'tech.b'].map((u) => ids[u]!),
  );
  const watch = await api<{ id: string }>('POST', `/api/roster/teams/${ids.team}/shift-types`, {
    code: 'W',
    name: '值守班',
    start: '09:00',
    end: '17:00',
    colour: '#95de64',
  });
  const post = await api<{ id: string }>('POST', `/api/roster/teams/${ids.team}/posts`, {
    name: '机房值守',
    shiftTypeIds: [watch.id],
  });
  const dec = await api<{ roster: { id: string } }>('POST', '/api/roster/rosters', {
    teamId: ids.team,
    periodStart: '2026-12-01',
    periodEnd: '2026-12-31',
  });
  const duty = [{ postId: post.id, shiftTypeId: watch.id }];
  await api('PUT', `/api/roster/rosters/${dec.roster.id}/cells/batch`, {
    cells: [
      { personId: ids['tech.b'], date: '2026-12-09', duties: duty },
      { personId: ids['tech.a'], date: '2026-12-10', duties: duty },
      { personId: ids['tech.a'], date: '2026-12-20', duties: duty },
    ],
  });
  await api('POST', `/api/roster/rosters/${dec.roster.id}/publish`, {});

  profileDir = mkdtempSync(join(tmpdir(), 'dutydesk-e2e-'));
  context = await launchContext(profileDir);
  await context.clock.setFixedTime(new Date(NOW));
  page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(15_000);
}, 180_000);

afterAll(async () => {
  await context?.close();
  await server?.stop();
  if (profileDir) rmSync(profileDir, { recursive: true, force: true });
});

const noSideways = async () =>
  expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(
    390,
  );

describe("the roster at 3 a.m. and the duty admin's follow-up", () => {
  it('a technician on a phone sees who is on duty and subscribes to a calendar', async () => {
    try {
      await page.setViewportSize({ width: 390, height: 844 });
      await signIn('tech.b');
      await page.goto(`${server.baseUrl}/on-duty`);
      const card = page.getByTestId('onduty-post-机房值守');
      await expect.poll(() => card.innerText()).toContain('A 张伟');
      expect(await card.innerText()).toContain('12-10 09:00 – 12-10 17:00');
      expect(await page.getByTestId('override-open').count()).toBe(0);
      // The picker shows the team's time (Shanghai), not the browser's (UTC here).
      const picker = page.locator(
        '[data-testid="onduty-at"] input, input[data-testid="onduty-at"]',
      );
      expect(await picker.first().inputValue()).toBe('2026-12-10 10:00');
      await noSideways();
      await page.screenshot({ path: join(shots, 'roster-phone-on-duty.png'), fullPage: true });

      // My calendar feed: the URL is shown once, works in a calendar client, and is revocable.
      await page.goto(`${server.baseUrl}/my-shifts`);
      await page.getByTestId('feeds-create').click();
      const urlText = await page.getByTestId('feeds-url').locator('code').innerText();
      expect(urlText).toMatch(/\/api\/roster\/feeds\/[^/]+\.ics$/);
      const ics = await fetch(urlText);
      expect(ics.status).toBe(200);
      expect(ics.headers.get('content-type')).toMatch(/text\/calendar/);
      expect(await ics.text()).toContain('BEGIN:VEVENT');
      await page.getByTestId('feeds-item').first().waitFor();
      await noSideways();
      await page.screenshot({ path: join(shots, 'roster-phone-feeds.png'), fullPage: true });
      await page.locator('[data-testid^="feeds-revoke-"]').first().click();
      await page.locator('.ant-popconfirm:visible .ant-btn-primary').click();
      await expect.poll(() => page.getByTestId('feeds-item').count()).toBe(0);
      expect((await fetch(urlText)).status).toBe(404);
      await signOut(page);
    } catch (err) {
      await page.screenshot({ path: join(shots, 'roster-feeds-failure.png'), fullPage: true });
      throw err;
    } finally {
      await page.setViewportSize({ width: 1366, height: 900 });
    }
  }, 120_000);

  it('the duty manager overrides on a phone: a reason is required, then B replaces A', async () => {
    try {
      await page.setViewportSize({ width: 390, height: 844 });
      await signIn('duty.mgr');
      await page.goto(`${server.baseUrl}/on-duty`);
      const card = page.getByTestId('onduty-post-机房值守');
      await expect.poll(() => card.innerText()).toContain('A 张伟');
      await page.getByTestId('override-open').click();
      await choose(page, 'override-person', ['B 李娜']);
      await choose(page, 'override-replaces', ['A 张伟']);
      await page.getByTestId('override-submit').click();
      const reasonError = page.locator('.ant-form-item-explain-error:visible').first();
      await reasonError.waitFor();
      expect(await reasonError.innerText()).toMatch(/原因/);
      await page.screenshot({ path: join(shots, 'roster-phone-override-reason.png') });
      await page.getByTestId('override-reason').fill('A 身体不适，B 顶岗');
      await page.getByTestId('override-submit').click();
      await expect.poll(() => card.innerText()).toContain('B 李娜');
      expect(await card.innerText()).toContain('紧急调班');
      expect(await card.innerText()).not.toContain('A 张伟');
      await noSideways();
      await page.screenshot({ path: join(shots, 'roster-phone-override.png'), fullPage: true });
      await signOut(page);
    } catch (err) {
      await page.screenshot({ path: join(shots, 'roster-override-failure.png'), fullPage: true });
      throw err;
    } finally {
      await page.setViewportSize({ width: 1366, height: 900 });
    }
  }, 120_000);

  it('the duty admin reads attendance, downloads its CSV and reminds the unconfirmed', async () => {
    try {
      await signIn('duty.admin');
      await page.getByTestId('nav-rosterAttendance').click();
      const summary = page.getByTestId('attendance-summary');
      await expect.poll(() => summary.innerText()).toContain('B 李娜');
      const table = page.getByTestId('attendance-table');
      await expect.poll(() => table.innerText()).toContain('缺勤');
      // B's emergency cover is on the list, and A's watch says who relieved A (A had not
      // checked in for the hour before, so that hour is missed).
      expect(await table.innerText()).toContain('紧急顶班');
      expect(await table.innerText()).toContain('顶班：B 李娜');
      await page.getByTestId('attendance-problems').click();
      await expect.poll(() => table.innerText()).not.toContain('紧急顶班');
      expect(await table.innerText()).toContain('B 李娜');
      await page.screenshot({ path: join(shots, 'roster-attendance.png'), fullPage: true });
      expect(await page.getByTestId('attendance-xlsx').getAttribute('href')).toMatch(
        /\/attendance\.xlsx$/,
      );
      const href = await page.getByTestId('attendance-csv').getAttribute('href');
      const csv = await page.request.get(`${server.baseUrl}${href!}`);
      expect(csv.status()).toBe(200);
      const text = await csv.text();
      expect(text).toContain('B 李娜,2026-12-09,W,机房值守');
      expect(text).toContain('缺勤');
      expect(text).toContain('紧急顶班');

      await page.getByTestId('nav-rosters').click();
      await page.getByTestId('roster-confirmations').waitFor();
      await page.getByTestId('roster-remind').click();
      await page.locator('.ant-message').getByText('已提醒 2 人').waitFor();
      await page.screenshot({ path: join(shots, 'roster-remind.png') });
      await signOut(page);
    } catch (err) {
      await page.screenshot({ path: join(shots, 'roster-attendance-failure.png'), fullPage: true });
      throw err;
    }
  }, 120_000);

  it('the duty admin reads attendance on a phone and downloads it as an Excel workbook', async () => {
    try {
      await page.setViewportSize({ width: 390, height: 844 });
      await signIn('duty.admin');
      await page.goto(`${server.baseUrl}/roster-attendance`);
      // The per-person figures, each with its label, in a list that fits the phone.
      const summary = page.getByTestId('attendance-summary');
      await expect.poll(() => summary.innerText()).toContain('B 李娜');
      const bRow = summary.locator('.ant-list-item').filter({ hasText: 'B 李娜' });
      expect(await bRow.innerText()).toMatch(/缺勤\s*1/);
      expect(await bRow.innerText()).toMatch(/紧急顶班\s*1/);
      const shifts = page.getByTestId('attendance-table');
      const missed = shifts.getByTestId('attendance-row').filter({ hasText: '2026-12-09' });
      expect(await missed.innerText()).toContain('B 李娜');
      expect(await missed.innerText()).toContain('W · 机房值守');
      expect(await missed.innerText()).toContain('缺勤');
      expect(await shifts.innerText()).toContain('顶班：B 李娜');
      await expect.poll(() => page.getByTestId('attendance-xlsx').isVisible()).toBe(true);
      expect(await page.getByTestId('attendance-csv').isVisible()).toBe(true);
      await noSideways();
      await page.screenshot({ path: join(shots, 'roster-phone-attendance.png'), fullPage: true });
      await page.getByTestId('attendance-problems').click();
      await expect.poll(() => shifts.innerText()).not.toContain('紧急顶班');
      await noSideways();

      const href = await page.getByTestId('attendance-xlsx').getAttribute('href');
      const res = await page.request.get(`${server.baseUrl}${href!}`);
      expect(res.status()).toBe(200);
      expect(res.headers()['content-type']).toMatch(/spreadsheetml/);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load((await res.body()) as unknown as ExcelJS.Buffer);
      const ws = wb.worksheets[0]!;
      const rows: unknown[][] = [];
      ws.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
      expect(rows[0]?.slice(0, 4)).toEqual(['姓名', '日期', '班次', '岗位']);
      const b = rows.find((r) => r[0] === 'B 李娜' && r[1] === '2026-12-09');
      expect(b?.slice(2, 4)).toEqual(['W', '机房值守']);
      expect(b?.[8]).toBe('缺勤');
      await signOut(page);
    } catch (err) {
      await page.screenshot({
        path: join(shots, 'roster-phone-attendance-failure.png'),
        fullPage: true,
      });
      throw err;
    } finally {
      await page.setViewportSize({ width: 1366, height: 900 });
    }
  }, 120_000);

  it('a swap made on a phone: A asks, B accepts, the duty admin sees the rule check and approves', async () => {
    try {
      await page.setViewportSize({ width: 390, height: 844 });
      await signIn('tech.a');
      await page.goto(`${server.baseUrl}/my-shifts`);
      await page.getByTestId('my-day-2026-12-20').click();
      await page.getByTestId('my-shift').getByRole('button', { name: /换班/ }).click();
      await choose(page, 'swap-substitute', ['B 李娜']);
      await page.getByTestId('swap-submit').click();
      await expect.poll(() => page.locator('body').innerText()).toContain('等待替班人同意');
      await noSideways();
      await page.screenshot({
        path: join(shots, 'roster-phone-swap-requested.png'),
        fullPage: true,
      });
      await signOut(page);

      await signIn('tech.b');
      await page.goto(`${server.baseUrl}/my-shifts`);
      // The substitute sees the rule check before accepting.
      const before = page.locator('[data-testid^="swap-check-"]').first();
      await before.waitFor();
      expect(await before.innerText()).toContain('无新冲突');
      await page.getByRole('button', { name: /同\s?意/ }).click();
      await expect.poll(() => page.getByRole('button', { name: /同\s?意/ }).count()).toBe(0);
      await signOut(page);
    } finally {
      await page.setViewportSize({ width: 1366, height: 900 });
    }
    try {
      await signIn('duty.admin');
      await page.goto(`${server.baseUrl}/roster-requests`);
      const check = page.locator('[data-testid^="swap-check-"]').first();
      await check.waitFor();
      expect(await check.innerText()).toContain('无新冲突');
      await page.screenshot({ path: join(shots, 'roster-requests-check.png'), fullPage: true });
      await page.locator('[data-testid^="approve-"]').first().click();
      await expect.poll(() => page.locator('[data-testid^="approve-"]').count()).toBe(0);
      await signOut(page);
    } catch (err) {
      await page.screenshot({ path: join(shots, 'roster-swap-failure.png'), fullPage: true });
      throw err;
    }
  }, 180_000);
});
