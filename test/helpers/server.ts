import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { loadConfig } from '../../src/config.js';
import type { Clock } from '../../src/lib/clock.js';
import { startDutydesk } from '../../src/main.js';
import { ADMIN_PASSWORD } from './app.js';

/** A real Dutydesk listening on a free localhost port, on a fresh SQLite file (for browser tests). */
export async function startServer(opts: { env?: Record<string, string>; clock?: Clock } = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), 'dutydesk-server-'));
  const config = loadConfig({
    DATA_DIR: dataDir,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    ...opts.env,
  });
  process.env.DUTYDESK_ADMIN_PASSWORD = ADMIN_PASSWORD;
  const dd = await startDutydesk(config, {
    log: pino({ level: 'silent' }),
    ...(opts.clock ? { clock: opts.clock } : {}),
  });
  delete process.env.DUTYDESK_ADMIN_PASSWORD;
  return {
    baseUrl: dd.url!.replace('0.0.0.0', '127.0.0.1'),
    admin: { username: 'admin', password: ADMIN_PASSWORD },
    dd,
    async stop() {
      await dd.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
