import { expect } from 'vitest';
import { chromium } from 'playwright-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

// What every browser test shares: the built web app, Debian's Chromium, an API session for
// the setup a test does not walk through, signing in, and picking from antd's Select.

export const root = join(import.meta.dirname, '..', '..');
/** Screenshots of each walk (and of each failure) land here. */
export const shots = join(root, 'test-output', 'e2e');

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
];

/** Builds the web app when `npm test` has not (a browser test run on its own). */
export function prepareWeb(): void {
  if (!existsSync(join(root, 'dist', 'web', 'index.html'))) {
    execFileSync(
      join(root, 'node_modules', '.bin', 'vite'),
      ['build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'],
      { cwd: root, stdio: 'inherit' },
    );
  }
  mkdirSync(shots, { recursive: true });
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/** A browser with its profile in `profileDir`, as a desktop in Chinese unless told otherwise. */
export function launchContext(
  profileDir: string,
  viewport = { width: 1366, height: 900 },
): Promise<BrowserContext> {
  return chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
    viewport,
    locale: 'zh-CN',
  });
}

export type Api = <T = Record<string, unknown>>(
  method: string,
  path: string,
  body?: unknown,
) => Promise<T>;

/** Signs in through the API; the returned function calls routes as that user (CSRF included). */
export async function apiAs(baseUrl: string, username: string, password: string): Promise<Api> {
  const res = await fetch(`${baseUrl}/api/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (res.status !== 200) throw new Error(`sign-in ${username}: ${res.status}`);
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith('dd_session='))!;
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return async <T>(method: string, path: string, body?: unknown) => {
    const r = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        cookie: cookie.split(';')[0]!,
        'x-csrf-token': csrfToken,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (r.status >= 300) throw new Error(`${method} ${path} → ${r.status} ${await r.text()}`);
    return (r.status === 204 ? {} : await r.json()) as T;
  };
}

/** Makes a user through the admin's API with the test password `signIn` types; returns its id. */
export async function createUser(
  admin: Api,
  username: string,
  displayName: string,
  role: string,
  email?: string,
): Promise<string> {
  const r = await admin<{ user: { id: string } }>('POST', '/api/users', {
    username,
    displayName,
    roles: [role],
    password: `pw-${username}-12345`,
    ...(email ? { email } : {}),
  });
  return r.user.id;
}

/** Makes a team in Shanghai time with these members; returns its id. */
export async function createTeam(admin: Api, name: string, memberIds: string[]): Promise<string> {
  const team = await admin<{ team: { id: string } }>('POST', '/api/teams', {
    name,
    timeZone: 'Asia/Shanghai',
  });
  await admin('PUT', `/api/teams/${team.team.id}/members`, { userIds: memberIds });
  return team.team.id;
}

/** The sign-in form, as a person uses it; test users' passwords are `pw-<username>-12345`. */
export async function signIn(page: Page, baseUrl: string, username: string): Promise<void> {
  await page.goto(`${baseUrl}/sign-in`);
  await page.getByTestId('signin-username').fill(username);
  await page.getByTestId('signin-password').fill(`pw-${username}-12345`);
  await page.getByTestId('signin-submit').click();
  await page.getByTestId('user-menu').waitFor();
}

export async function signOut(page: Page): Promise<void> {
  await page.getByTestId('user-menu').click();
  await page.getByTestId('signout').click();
  await page.getByTestId('signin-username').waitFor();
}

const openOptions = '.ant-select-dropdown:visible .ant-select-item-option';

/** Waits until no Select dropdown is showing: a closing one stays in the page while it animates
 * out, and the next pick must not find its options. */
async function dropdownsClosed(page: Page): Promise<void> {
  await expect.poll(() => page.locator('.ant-select-dropdown:visible').count()).toBe(0);
}

/** Picks options (by their text) of the antd Select with this test id, by mouse. */
export async function choose(page: Page, testId: string, labels: string | string[]): Promise<void> {
  const wanted = typeof labels === 'string' ? [labels] : labels;
  await page.getByTestId(testId).click();
  for (const label of wanted) {
    await page.locator(openOptions, { hasText: label }).first().click();
  }
  // A multiple Select stays open after a pick; Escape closes it. A single one closes by itself,
  // and an Escape then would close the dialog around it — even while its dropdown is still
  // animating out, which on a busy machine is when we would look (CI failed on it): so ask the
  // Select which kind it is rather than whether a dropdown is showing.
  const multiple = await page
    .getByTestId(testId)
    .evaluate(
      (el) =>
        el.classList.contains('ant-select-multiple') ||
        el.closest('.ant-select-multiple') !== null ||
        el.querySelector('.ant-select-multiple') !== null,
    );
  if (multiple) await page.keyboard.press('Escape');
  else await repickUntilClosed(page, wanted[wanted.length - 1]!);
  await dropdownsClosed(page);
}

/** A Select whose options load as it opens (remote search, e.g. the merge dialog's) can re-render
 * its list under the click, which then picks nothing and leaves the dropdown open (CI failed on
 * it once): while the dropdown still offers the option, pick it again, as a person would. */
async function repickUntilClosed(page: Page, label: string): Promise<void> {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await expect
        .poll(() => page.locator('.ant-select-dropdown:visible').count(), { timeout: 2000 })
        .toBe(0);
      return;
    } catch {
      const option = page.locator(openOptions, { hasText: label }).first();
      if ((await option.count()) > 0) await option.click();
    }
  }
}

/** Picks an option of the Select with this test id by keyboard alone: waits for the Select to
 * hold the focus, types `typed`, waits for the option `label`, takes it with Enter, and waits
 * until the Select shows it as chosen (as `shown`, when it shows less than the option's label). */
export async function chooseByKeyboard(
  page: Page,
  testId: string,
  typed: string,
  label: string,
  shown: string = label,
): Promise<void> {
  const option = page.locator(openOptions, { hasText: label });
  const picked = page.getByTestId(testId).filter({ hasText: shown });
  await expect.poll(() => page.locator(`[data-testid="${testId}"]:focus-within`).count()).toBe(1);
  // A dialog's focus trap may still move the focus to its close button while it opens on a
  // busy machine, and then the typed text goes nowhere. The dialog hands the focus back to the
  // Select once it is open; if not, Tab from the close button reaches it (the next field), as a
  // person seeing nothing happen would do. Then type again.
  const typeUntilOffered = async () => {
    for (let attempt = 1; ; attempt++) {
      await page.keyboard.type(typed);
      try {
        await option.waitFor({ timeout: 5_000 });
        return;
      } catch (err) {
        if (attempt === 3) throw err;
        const onClose = (await page.locator('.ant-modal-close:focus').count()) > 0;
        if (onClose) await page.keyboard.press('Tab');
        await expect
          .poll(() => page.locator(`[data-testid="${testId}"]:focus-within`).count())
          .toBe(1);
      }
    }
  };
  await typeUntilOffered();
  // An Enter that lands while the filtered list is still being drawn can find no active option
  // and pick nothing (CI saved an empty cell once): look for the pick, and if it is not there,
  // take the option again (typing again first if the list has gone), as a person would.
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('Enter');
    try {
      await picked.waitFor({ timeout: 3_000 });
      return;
    } catch (err) {
      if (attempt === 3) throw err;
      if ((await option.count()) === 0) await typeUntilOffered();
    }
  }
}
