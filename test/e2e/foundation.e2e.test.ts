import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from '../helpers/server.js';
import { launchContext, prepareWeb, shots } from './harness.js';

// Browser walk through the foundation: sign in, switch language, create a user, sign out.
// Selectors are the data-testid values documented in web/src/testids.ts.

const HAN = /[\u4e00-\u9fff]/;

type Server = Awaited<ReturnType<typeof startServer>>;

let server: Server;
let context: BrowserContext;
let page: Page;
let profileDir: string;

async function signIn(username: string, password: string): Promise<void> {
  await page.getByTestId('signin-username').fill(username);
  await page.getByTestId('signin-password').fill(password);
  await page.getByTestId('signin-submit').click();
}

async function signOut(): Promise<void> {
  await page.getByTestId('user-menu').click();
  await page.getByTestId('signout').click();
  await page.getByTestId('signin-username').waitFor();
}

beforeAll(async () => {
  // The server serves the built SPA; build it once if this checkout never has.
  prepareWeb();
  server = await startServer();
  profileDir = mkdtempSync(join(tmpdir(), 'dutydesk-e2e-'));
  context = await launchContext(profileDir, { width: 1280, height: 800 });
  page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(15_000);
}, 120_000);

afterAll(async () => {
  await context?.close();
  await server?.stop();
  if (profileDir) rmSync(profileDir, { recursive: true, force: true });
});

describe('foundation in the browser', () => {
  it('signs in, switches to English, creates a user and signs out', async () => {
    try {
      await page.goto(`${server.baseUrl}/`);
      // Without a session the app lands on sign-in, in Chinese by default.
      await page.getByTestId('signin-username').waitFor();
      expect(await page.getByTestId('signin-submit').innerText()).toMatch(HAN);

      // A wrong password shows the server's message, translated to Chinese via dd_lang.
      await signIn(server.admin.username, `${server.admin.password}-wrong`);
      const zhError = await page.getByTestId('signin-error').innerText();
      expect(zhError).toMatch(HAN);

      await signIn(server.admin.username, server.admin.password);
      await page.getByTestId('user-menu').waitFor();
      expect(new URL(page.url()).pathname).not.toBe('/sign-in');

      // Switch to English: the navigation, the cookie and the <html lang> follow.
      await page.getByTestId('lang-en').click();
      await page.getByTestId('nav-users').filter({ hasText: 'Users' }).waitFor();
      // The <html lang> and the cookie follow in effects of their own: wait for them too.
      await expect.poll(() => page.getByTestId('nav-dashboard').innerText()).toBe('Dashboard');
      await expect.poll(() => page.getAttribute('html', 'lang')).toBe('en');
      await expect
        .poll(
          async () =>
            (await context.cookies(server.baseUrl)).find((c) => c.name === 'dd_lang')?.value,
        )
        .toBe('en');

      // A capability that is not built yet says so plainly.
      await page.getByTestId('nav-handover').click();
      expect(await page.getByTestId('not-built').innerText()).toContain('not built yet');

      // Create a technician.
      const username = `e2e${Date.now()}`;
      await page.getByTestId('nav-users').click();
      await page.getByTestId('users-create').click();
      await page.getByTestId('user-username').fill(username);
      await page.getByTestId('user-displayName').fill('E2E Technician');
      await page.getByTestId('user-roles').click();
      await page.getByTestId('role-option-technician').click();
      await page.keyboard.press('Escape');
      await page.getByTestId('user-create-submit').click();

      const initialPassword = (await page.getByTestId('initial-password').innerText()).trim();
      expect(initialPassword.length).toBeGreaterThanOrEqual(10);
      await page.screenshot({ path: join(shots, 'foundation-initial-password.png') });
      await page.getByTestId('secret-close').click();

      const row = page.getByTestId('users-table').locator('tr', { hasText: username });
      await row.waitFor();
      expect(await row.innerText()).toContain('Technician');
      await page.screenshot({ path: join(shots, 'foundation-users.png'), fullPage: true });

      // The audit log lists the creation; filtering by entity type reloads the list.
      await page.getByTestId('nav-audit').click();
      const audit = page.getByTestId('audit-table');
      await audit.locator('tr', { hasText: 'user.create' }).first().waitFor();
      await page.getByTestId('audit-entity-type').locator('input').fill('no-such-entity');
      await page.getByTestId('audit-entity-type').locator('input').press('Enter');
      await expect.poll(() => audit.locator('tr', { hasText: 'user.create' }).count()).toBe(0);

      // On a phone the side menu becomes a drawer behind a menu button.
      await page.setViewportSize({ width: 390, height: 844 });
      await page.getByTestId('menu-toggle').click();
      await page.getByTestId('nav-teams').click();
      await page.getByTestId('page-title').filter({ hasText: 'Teams' }).waitFor();
      await page.screenshot({ path: join(shots, 'foundation-phone.png') });
      await page.setViewportSize({ width: 1280, height: 800 });

      await signOut();
      // The language choice outlives the session, and the server now answers in English.
      expect(await page.getByTestId('signin-submit').innerText()).toMatch(/sign in/i);
      await signIn(username, 'not-the-password');
      const enError = await page.getByTestId('signin-error').innerText();
      expect(enError).not.toMatch(HAN);
      expect(enError.length).toBeGreaterThan(0);

      // The new user can sign in with the initial password shown once.
      await signIn(username, initialPassword);
      await page.getByTestId('user-menu').filter({ hasText: 'E2E Technician' }).waitFor();
      await page
        .locator('[data-testid="page-title"], [data-testid="dashboard-welcome"]')
        .first()
        .waitFor();
      // Someone holding an initial password is sent to the profile to change it.
      if (new URL(page.url()).pathname === '/profile') {
        await page.getByTestId('must-change-password').waitFor();
      }
      await page.screenshot({ path: join(shots, 'foundation-new-user.png'), fullPage: true });
      await signOut();
      await page.screenshot({ path: join(shots, 'foundation-signed-out.png') });
    } catch (err) {
      await page.screenshot({ path: join(shots, 'foundation-failure.png'), fullPage: true });
      throw err;
    }
  }, 120_000);
});
