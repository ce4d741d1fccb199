import { describe, it, expect, beforeAll, afterAll } from 'vitest';
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
  chooseByKeyboard,
  launchContext,
  prepareWeb,
  shots,
  signOut,
} from './harness.js';

// Rosters in the browser: a duty admin sets up shift types and posts, builds next month from a
// rotation, drags a shift into a cell and sees the rest-rule violation, moves it away and
// publishes; a technician on a phone confirms and checks in; a requester sees no staff pages.
// The server and the browser share one fixed instant, so "today" and "next month" are known.

// 08:40 in Shanghai on Thursday 10 December 2026: 20 minutes before the 09:00 shift.
const NOW = Date.UTC(2026, 11, 10, 0, 40);

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
  await user('tech.a', 'A 张伟', 'technician');
  await user('tech.b', 'B 李娜', 'technician');
  await user('tech.c', 'C 王芳', 'technician');
  await user('tech.d', 'D 刘洋', 'technician');
  await user('customer', '报修客户', 'requester');
  ids.team = await createTeam(
    api,
    '运维值班组',
    ['tech.a', 'tech.b', 'tech.c', 'tech.d'].map((u) => ids[u]!),
  );
  // This month's roster, already published: A stands the 09:00 watch today.
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
  await api('PUT', `/api/roster/rosters/${dec.roster.id}/cells`, {
    personId: ids['tech.a'],
    date: '2026-12-10',
    duties: [{ postId: post.id, shiftTypeId: watch.id }],
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

describe('rosters in the browser', () => {
  it('a duty admin sets up shifts and posts, builds a month from a rotation, drags, and publishes', async () => {
    try {
      await signIn('duty.admin');
      await page.getByTestId('nav-rosterSetup').click();
      await page.getByTestId('page-title').filter({ hasText: '排班设置' }).waitFor();

      // Shift types: a zero-length night is refused on the field that is wrong.
      await page.getByTestId('shift-add').click();
      await page.getByTestId('shift-code').fill('D');
      await page.getByTestId('shift-name').fill('白班');
      await page.getByTestId('shift-start').fill('08:00');
      await page.getByTestId('shift-end').fill('16:00');
      await page.getByTestId('shift-submit').click();
      await page.getByTestId('shift-table').getByText('白班').waitFor();
      await page.getByTestId('shift-add').click();
      await page.getByTestId('shift-code').fill('N');
      await page.getByTestId('shift-name').fill('夜班');
      await page.getByTestId('shift-start').fill('20:00');
      await page.getByTestId('shift-end').fill('20:00');
      await page.getByTestId('shift-submit').click();
      const endError = page.locator('.ant-form-item-explain-error:visible').first();
      await endError.waitFor();
      expect(await endError.innerText()).toContain('N');
      await page.screenshot({ path: join(shots, 'roster-setup-shift-error.png') });
      await page.getByTestId('shift-end').fill('08:00');
      await page.getByTestId('shift-submit').click();
      await page.getByTestId('shift-table').getByText('夜班').waitFor();
      expect(await page.getByTestId('shift-table').innerText()).toMatch(/20:00–08:00/);

      // A post with both shifts and its cover: preferred below min is named on the cover field.
      await page.getByTestId('setup-tab-posts').click();
      await page.getByTestId('post-add').click();
      await page.getByTestId('post-name').fill('技术');
      await choose(page, 'post-shifts', ['D · 白班', 'N · 夜班']);
      await page.getByTestId('cover-D-weekday-min').fill('1');
      await page.getByTestId('post-submit').click();
      const coverError = page.locator('.ant-form-item-explain-error:visible').first();
      await coverError.waitFor();
      expect(await coverError.innerText()).toMatch(/最少|建议|min|prefer/i);
      await page.getByTestId('cover-D-weekday-preferred').fill('1');
      await page.getByTestId('post-submit').click();
      await page.getByTestId('post-table').getByText('技术').first().waitFor();
      await page.screenshot({ path: join(shots, 'roster-setup-posts.png'), fullPage: true });

      // Next month (January 2027), built from the early-night-off-off rotation.
      await page.getByTestId('nav-rosters').click();
      await page.getByTestId('roster-create').click();
      await page.getByTestId('roster-status').filter({ hasText: '草稿' }).waitFor();
      expect(await page.getByTestId('roster-select').innerText()).toContain('2027-01-01');
      await page.getByTestId('roster-rotation').click();
      await page.getByTestId('rotation-pattern').fill('D,N,-,-');
      await page.getByTestId('rotation-add-all').click();
      await page.getByTestId('rotation-submit').click();
      // The rotation dialog must be gone before the next one opens: while it is still fading
      // out on a busy machine, its focus trap keeps the keys from the cell dialog.
      await page.getByTestId('rotation-submit').waitFor({ state: 'hidden' });
      const a = ids['tech.a'];
      const cell = (date: string) => page.getByTestId(`roster-cell-${a}-${date}`);
      await expect.poll(() => cell('2027-01-01').innerText()).toContain('D');
      expect(await cell('2027-01-02').innerText()).toContain('N');
      expect(await cell('2027-01-03').innerText()).toBe('');
      expect(await page.getByTestId('roster-cover-技术-D').innerText()).toContain('1/1');
      await page.screenshot({ path: join(shots, 'roster-month-rotation.png'), fullPage: true });

      // Without a mouse: focus a cell, Enter opens the dialog, type to pick a second night.
      await cell('2027-01-03').focus();
      await page.keyboard.press('Enter');
      await page.getByTestId('roster-cell-save').waitFor();
      await chooseByKeyboard(page, 'roster-cell-select', 'N', 'N · 夜班');
      await page.getByTestId('roster-cell-save').focus();
      await page.keyboard.press('Enter');
      await expect.poll(() => cell('2027-01-03').innerText()).toContain('N');

      // A day shift right after A's night: the 12-hour rest rule lights up in the cell.
      await page.getByTestId('roster-palette-D-技术').dragTo(cell('2027-01-03'));
      await page
        .locator(`[data-testid="roster-cell-${a}-2027-01-03"][data-violation="block"]`)
        .waitFor();
      expect(await page.getByTestId('roster-publish').isDisabled()).toBe(true);
      expect(await page.getByTestId('roster-violations').innerText()).toMatch(/休息|rest/i);
      // The drop left the mouse on the cell, and the cell was drawn anew under it when the
      // check came back: the pointer must enter it again for the tooltip to open.
      await page.getByTestId('roster-violations').hover();
      await cell('2027-01-03').hover();
      await page.getByTestId('roster-cell-issues').waitFor();
      await page.screenshot({ path: join(shots, 'roster-month-violation.png'), fullPage: true });

      // Drag the cell one day on: the rest is kept, and the roster can be published.
      await cell('2027-01-03').dragTo(cell('2027-01-04'));
      await expect.poll(() => cell('2027-01-04').innerText()).toContain('D');
      await expect.poll(() => cell('2027-01-03').innerText()).toBe('');
      expect(await cell('2027-01-03').getAttribute('data-violation')).toBeNull();
      await expect.poll(() => page.getByTestId('roster-publish').isDisabled()).toBe(false);
      await page.getByTestId('roster-publish').click();
      await page.getByTestId('roster-status').filter({ hasText: '已发布' }).waitFor();
      await page.getByTestId('roster-confirmations').waitFor();
      expect(await page.getByTestId('roster-confirmations').innerText()).toContain('A 张伟');
      await page.screenshot({ path: join(shots, 'roster-month-published.png'), fullPage: true });
      await signOut(page);
    } catch (err) {
      await page.screenshot({ path: join(shots, 'roster-admin-failure.png'), fullPage: true });
      throw err;
    }
  }, 180_000);

  it('a technician confirms and checks in on a phone', async () => {
    try {
      await page.setViewportSize({ width: 390, height: 844 });
      await signIn('tech.a');
      await page.goto(`${server.baseUrl}/my-shifts`);
      await page.getByTestId('my-calendar').waitFor();
      expect(await page.getByTestId('my-month').innerText()).toBe('2026-12');
      expect(await page.getByTestId('my-day-2026-12-10').innerText()).toContain('W');
      // The calendar fits the phone: no sideways scrolling.
      const width = await page.evaluate<number>('document.documentElement.scrollWidth');
      expect(width).toBeLessThanOrEqual(390);
      await page.screenshot({ path: join(shots, 'roster-phone-my-shifts.png'), fullPage: true });

      // Times are the team's (Shanghai), whatever zone the phone is in.
      expect(await page.getByTestId('my-shift').innerText()).toContain('12-10 09:00 – 12-10 17:00');
      await page.getByTestId('my-confirm').click();
      await expect.poll(() => page.getByTestId('my-confirm').count()).toBe(0);
      await page.getByTestId('my-check-in').click();
      await page.getByTestId('my-attendance').waitFor();
      expect(await page.getByTestId('my-attendance').innerText()).toMatch(/08:40.*提前到岗/);
      await page.getByTestId('my-check-out').waitFor();
      expect(await page.getByTestId('my-day-2026-12-10').innerText()).toContain('✓');
      await page.screenshot({ path: join(shots, 'roster-phone-checked-in.png'), fullPage: true });

      // Next month: the roster the duty admin just published, to confirm as well.
      await page.getByTestId('my-next').click();
      await expect.poll(() => page.getByTestId('my-month').innerText()).toBe('2027-01');
      await expect.poll(() => page.getByTestId('my-day-2027-01-04').innerText()).toContain('D');
      await page.getByTestId('my-confirm').click();
      await expect.poll(() => page.getByTestId('my-confirm').count()).toBe(0);
      await page.screenshot({ path: join(shots, 'roster-phone-next-month.png'), fullPage: true });

      // The navigation shows a technician their own roster pages, not the duty admin's.
      await page.getByTestId('menu-toggle').click();
      await page.getByTestId('nav-myShifts').waitFor();
      expect(await page.getByTestId('nav-rosterSetup').count()).toBe(0);
      expect(await page.getByTestId('nav-rosterRequests').count()).toBe(0);
      // A phone has no Escape key: tap the drawer's close button.
      await page.locator('.ant-drawer-close').click();
      await expect.poll(() => page.locator('.ant-drawer-mask:visible').count()).toBe(0);
      await signOut(page);
    } catch (err) {
      await page.screenshot({ path: join(shots, 'roster-phone-failure.png'), fullPage: true });
      throw err;
    } finally {
      await page.setViewportSize({ width: 1366, height: 900 });
    }
  }, 120_000);

  it('shows a requester the portal, never the staff pages', async () => {
    await context.clearCookies();
    await page.goto(`${server.baseUrl}/sign-in`);
    await page.getByTestId('signin-username').fill('customer');
    await page.getByTestId('signin-password').fill('pw-customer-12345');
    await page.getByTestId('signin-submit').click();
    await page.getByTestId('portal-new').waitFor();
    expect(new URL(page.url()).pathname).toBe('/portal');
    // Typing a staff address sends them back to the portal, with no staff navigation on the way.
    await page.goto(`${server.baseUrl}/rosters`);
    await page.getByTestId('portal-new').waitFor();
    expect(new URL(page.url()).pathname).toBe('/portal');
    for (const key of ['rosters', 'myShifts', 'rosterSetup', 'alerts', 'tickets', 'handover']) {
      expect(await page.getByTestId(`nav-${key}`).count(), key).toBe(0);
    }
    await page.screenshot({ path: join(shots, 'roster-requester-portal.png') });
    await page.getByTestId('portal-signout').click();
    await expect.poll(() => new URL(page.url()).pathname).toBe('/portal/sign-in');
  }, 60_000);
});
