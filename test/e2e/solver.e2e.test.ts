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
  chooseByKeyboard,
  launchContext,
  prepareWeb,
  shots,
} from './harness.js';

// The solver in the browser: a duty admin generates next month on a small team, watches the
// progress, sees the fairness report and the soft rules not met, edits a cell and publishes.

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
  server = await startServer({
    clock: new ManualClock(NOW),
    env: { ROLES: 'api,worker', JOB_POLL_MS: '200' },
  });
  const api = await apiAs(server.baseUrl, server.admin.username, server.admin.password);
  const user = async (username: string, displayName: string, role: string) => {
    ids[username] = await createUser(api, username, displayName, role);
  };
  await user('duty.admin', '值班管理员', 'duty_admin');
  for (const [u, n] of [
    ['tech.a', 'A 张伟'],
    ['tech.b', 'B 李娜'],
    ['tech.c', 'C 王芳'],
    ['tech.d', 'D 刘洋'],
  ] as const) {
    await user(u, n, 'technician');
  }
  ids.team = await createTeam(
    api,
    '运维值班组',
    ['tech.a', 'tech.b', 'tech.c', 'tech.d'].map((u) => ids[u]!),
  );
  const d = await api<{ id: string }>('POST', `/api/roster/teams/${ids.team}/shift-types`, {
    code: 'D',
    name: '白班',
    start: '08:00',
    end: '20:00',
    colour: '#ffd666',
  });
  const n = await api<{ id: string }>('POST', `/api/roster/teams/${ids.team}/shift-types`, {
    code: 'N',
    name: '夜班',
    start: '20:00',
    end: '08:00',
    colour: '#1d39c4',
  });
  const cover = (s: string) =>
    (['weekday', 'weekend', 'holiday'] as const).map((dayKind) => ({
      shiftTypeId: s,
      dayKind,
      min: 1,
      preferred: 1,
    }));
  await api('POST', `/api/roster/teams/${ids.team}/posts`, {
    name: '机房值守',
    shiftTypeIds: [d.id, n.id],
    cover: [...cover(d.id), ...cover(n.id)],
  });
  await api('PUT', `/api/roster/teams/${ids.team}/settings`, {
    rules: {
      minRestHours: { value: 12, severity: 'block' },
      cover: { severity: 'block' },
      doubleBooking: { severity: 'block' },
    },
  });
  await api('POST', '/api/roster/rosters', {
    teamId: ids.team,
    periodStart: '2027-01-01',
    periodEnd: '2027-01-31',
  });

  profileDir = mkdtempSync(join(tmpdir(), 'dutydesk-e2e-solver-'));
  context = await launchContext(profileDir);
  page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(20_000);
}, 180_000);

afterAll(async () => {
  await context?.close();
  await server?.stop();
  if (profileDir) rmSync(profileDir, { recursive: true, force: true });
});

describe('the solver in the browser', () => {
  it('generates a month, shows progress and the fairness report, takes an edit, and publishes', async () => {
    try {
      await signIn('duty.admin');
      await page.getByTestId('nav-rosters').click();
      await page.getByTestId('roster-status').filter({ hasText: '草稿' }).waitFor();
      await page.getByTestId('solver-generate').click();
      await page.getByTestId('solver-seconds').fill('5');
      await page.getByTestId('solver-start').click();
      await page.getByTestId('solver-status').waitFor();
      await page.getByTestId('solver-progress').waitFor();
      await page
        .locator('[data-testid="solver-status"][data-status="done"]')
        .waitFor({ timeout: 90_000 });
      await page.getByTestId('solver-written').waitFor();
      const fairness = page.getByTestId('solver-fairness');
      await fairness.waitFor();
      for (const name of ['A 张伟', 'B 李娜', 'C 王芳', 'D 刘洋'])
        expect(await fairness.innerText()).toContain(name);
      expect(await page.getByTestId('solver-soft-title').innerText()).toMatch(/软性规则/);
      await page.screenshot({ path: join(shots, 'solver-generated.png'), fullPage: true });

      // The generated roster is in the grid; give A a day shift on a free day, then publish.
      const a = ids['tech.a'];
      const cell = (date: string) => page.getByTestId(`roster-cell-${a}-${date}`);
      await expect
        .poll(async () => (await page.getByTestId('roster-violations').innerText()).length)
        .toBeGreaterThan(0);
      let free = '';
      for (let day = 2; day <= 30 && !free; day++) {
        const date = `2027-01-${String(day).padStart(2, '0')}`;
        const prev = `2027-01-${String(day - 1).padStart(2, '0')}`;
        if (
          (await cell(date).innerText()).trim() === '' &&
          !(await cell(prev).innerText()).includes('N')
        )
          free = date;
      }
      expect(free).not.toBe('');
      await cell(free).focus();
      await page.keyboard.press('Enter');
      await page.getByTestId('roster-cell-save').waitFor();
      await chooseByKeyboard(page, 'roster-cell-select', 'D', 'D · 白班');
      await page.getByTestId('roster-cell-save').focus();
      await page.keyboard.press('Enter');
      await expect.poll(() => cell(free).innerText()).toContain('D');

      expect(await page.getByTestId('roster-publish').isDisabled()).toBe(false);
      await page.getByTestId('roster-publish').click();
      await page.getByTestId('roster-status').filter({ hasText: '已发布' }).waitFor();
      await page.getByTestId('solver-replan').waitFor();
      await page.screenshot({ path: join(shots, 'solver-published.png'), fullPage: true });
    } catch (err) {
      await page.screenshot({ path: join(shots, 'solver-failure.png'), fullPage: true });
      throw err;
    }
  }, 240_000);
});
