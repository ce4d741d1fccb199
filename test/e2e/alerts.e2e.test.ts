import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { Browser, BrowserContext } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer } from '../helpers/server.js';
import { apiAs, choose, launchBrowser, prepareWeb, root, shots } from './harness.js';

// Alerts in the browser: a duty manager writes an escalation policy, sets up a service and an
// Alertmanager integration (URL, key and receiver snippet shown; the URL really takes an
// Alertmanager webhook), sends a test alert; a technician on a phone-sized screen sees the page
// appear live on the list, opens it and acknowledges it; the manager then edits the policy.

type Server = Awaited<ReturnType<typeof startServer>>;

let server: Server;
let browser: Browser;
const contexts: BrowserContext[] = [];
const ids: Record<string, string> = {};

/** A browser of its own (cookies apart) signed in as `username`. */
async function signedIn(username: string, viewport: { width: number; height: number }) {
  const context = await browser.newContext({ viewport, locale: 'zh-CN' });
  contexts.push(context);
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  await page.goto(`${server.baseUrl}/sign-in`);
  await page.getByTestId('signin-username').fill(username);
  await page.getByTestId('signin-password').fill(`pw-${username}-12345`);
  await page.getByTestId('signin-submit').click();
  await page.getByTestId('user-menu').waitFor();
  return page;
}

beforeAll(async () => {
  prepareWeb();
  server = await startServer({ env: { ROLES: 'api' } });
  const api = await apiAs(server.baseUrl, server.admin.username, server.admin.password);
  for (const [username, displayName, role] of [
    ['duty.manager', '值班经理', 'duty_manager'],
    ['tech.a', 'A 张伟', 'technician'],
    ['tech.b', 'B 李娜', 'technician'],
  ] as const) {
    const r = await api<{ user: { id: string } }>('POST', '/api/users', {
      username,
      displayName,
      roles: [role],
      password: `pw-${username}-12345`,
    });
    ids[username] = r.user.id;
  }
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  await server?.stop();
});

describe('alerts in the browser', () => {
  it('sets up a service, pages live on a phone, acknowledges there, and edits the policy', async () => {
    const manager = await signedIn('duty.manager', { width: 1366, height: 900 });
    const phone = await signedIn('tech.a', { width: 390, height: 844 });
    try {
      // The escalation policy: level 1 pages A after 5 minutes.
      await manager.goto(`${server.baseUrl}/alerts/setup`);
      await manager.getByTestId('page-title').filter({ hasText: '告警设置' }).waitFor();
      await manager.getByTestId('setup-tab-policies').click();
      await manager.getByTestId('policy-create').click();
      await manager.getByTestId('policy-name').fill('核心网络');
      // Saving without a target is refused on the level's field.
      await manager.getByTestId('policy-submit').click();
      await manager.getByText('至少选择一个通知对象').waitFor();
      await choose(manager, 'policy-level-0-targets-who', 'A 张伟');
      await manager.getByTestId('policy-submit').click();
      await manager.getByTestId('policy-核心网络-level-0').filter({ hasText: 'A 张伟' }).waitFor();

      // The service and its Alertmanager integration: URL, key and receiver snippet.
      await manager.getByTestId('setup-tab-services').click();
      await manager.getByTestId('service-create').click();
      await manager.getByTestId('service-name').fill('核心交换机');
      await manager.getByTestId('service-submit').click();
      await manager.getByTestId('service-核心交换机').waitFor();
      await choose(manager, 'integration-kind-核心交换机', 'Prometheus Alertmanager');
      await manager.getByTestId('integration-name-核心交换机').fill('prometheus');
      await manager.getByTestId('integration-add-核心交换机').click();
      const url = await manager.getByTestId('integration-url').innerText();
      const key = await manager.getByTestId('integration-key').innerText();
      expect(key).toMatch(/^[0-9a-f]{32}$/);
      expect(url).toContain(`/api/integrations/${key}/alertmanager`);
      const snippet = await manager.getByTestId('integration-snippet').innerText();
      expect(snippet).toContain('webhook_configs');
      expect(snippet).toContain(url);
      await manager.screenshot({ path: join(shots, 'alerts-integration-key.png') });
      await manager.getByTestId('secret-close').click();
      // The technician's phone shows the open pages, live.
      await phone.goto(`${server.baseUrl}/alerts`);
      await phone.getByTestId('pages-list').waitFor();
      await phone.locator('[data-testid="alerts-live"][data-connected="yes"]').waitFor();
      const before = await phone.locator('[data-testid^="page-"] .ant-card').count();

      // "Send test alert" goes through the intake and links to the page it opened.
      await manager.getByTestId('service-test-核心交换机').click();
      await manager.getByTestId('service-test-page').waitFor();

      // The page appears on the phone without a reload.
      const card = phone.locator('.ant-card', { hasText: '测试告警：核心交换机' });
      await card.waitFor();
      expect(await phone.locator('[data-testid^="page-"] .ant-card').count()).toBe(before + 1);
      await phone.screenshot({ path: join(shots, 'alerts-phone-list.png'), fullPage: true });
      await card.click();
      await phone
        .getByTestId('page-status')
        .and(phone.locator('[data-status="triggered"]'))
        .waitFor({ state: 'attached' });
      await phone.getByTestId('page-timeline').getByText('告警触发，开始呼叫').waitFor();
      // A big button, within the phone's width.
      const ack = phone.getByTestId('page-acknowledge');
      const box = (await ack.boundingBox())!;
      expect(box.height).toBeGreaterThanOrEqual(44);
      expect(box.x + box.width).toBeLessThanOrEqual(390);
      await ack.click();
      await phone
        .locator('[data-testid="page-status"][data-status="acknowledged"]')
        .waitFor({ state: 'attached' });
      await phone.getByTestId('page-timeline').getByText('已确认').waitFor();
      await phone.screenshot({
        path: join(shots, 'alerts-phone-acknowledged.png'),
        fullPage: true,
      });

      // The manager's link leads to the same page, acknowledged.
      await manager.getByTestId('service-test-page').click();
      await manager
        .locator('[data-testid="page-status"][data-status="acknowledged"]')
        .waitFor({ state: 'attached' });

      // What was shown really takes Alertmanager's webhook (the public URL is the server's).
      const local = url.replace(/^https?:\/\/[^/]+/, server.baseUrl);
      const am = await fetch(local, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: readFileSync(
          join(root, 'src/modules/alerts/intake/fixtures/alertmanager-v4-firing.json'),
        ),
      });
      expect(am.status).toBe(202);
      const stored = await (
        await apiAs(server.baseUrl, server.admin.username, server.admin.password)
      )<{ items: { source: string; summary: string }[] }>('GET', '/api/alerts?limit=10');
      expect(stored.items.length).toBeGreaterThanOrEqual(2);

      // Edit the policy: a second level pages B after 10 minutes, round-robin.
      await manager.goto(`${server.baseUrl}/alerts/setup`);
      await manager.getByTestId('setup-tab-policies').click();
      await manager.getByTestId('policy-edit-核心网络').click();
      await manager.getByTestId('policy-add-level').click();
      await choose(manager, 'policy-level-1-targets-who', 'B 李娜');
      await manager
        .locator(
          'input[data-testid="policy-level-1-delay"], [data-testid="policy-level-1-delay"] input',
        )
        .first()
        .fill('10');
      await manager.getByTestId('policy-submit').click();
      await manager.getByTestId('policy-核心网络-level-1').filter({ hasText: 'B 李娜' }).waitFor();
      const api = await apiAs(server.baseUrl, server.admin.username, server.admin.password);
      const policies = await api<{ items: { name: string; levels: unknown[] }[] }>(
        'GET',
        '/api/alerts/policies',
      );
      expect(policies.items.find((p) => p.name === '核心网络')?.levels).toEqual([
        { targets: [{ kind: 'user', id: ids['tech.a'] }], delayMinutes: 5, roundRobin: false },
        { targets: [{ kind: 'user', id: ids['tech.b'] }], delayMinutes: 10, roundRobin: false },
      ]);
    } catch (err) {
      await manager.screenshot({ path: join(shots, 'alerts-manager-failure.png'), fullPage: true });
      await phone.screenshot({ path: join(shots, 'alerts-phone-failure.png'), fullPage: true });
      throw err;
    }
  }, 180_000);
});
