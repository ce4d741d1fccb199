import type { NormalisedEvent } from './intake/common.js';

/** A monitor that expects a ping every `intervalSeconds`; silence beyond the grace raises an alert. */
export interface HeartbeatMonitor {
  id: string;
  name: string;
  intervalSeconds: number;
  graceSeconds: number;
  createdAt: number;
  lastPingAt: number | null;
  /** Whether the monitor's alert is currently open. */
  down: boolean;
}

export interface HeartbeatStatus {
  state: 'waiting' | 'up' | 'late' | 'down';
  /** The next ping is expected by this instant. */
  dueAt: number;
  /** After this instant silence raises an alert; the checker job is scheduled for it. */
  overdueAt: number;
}

export function heartbeatStatus(m: HeartbeatMonitor, now: number): HeartbeatStatus {
  const base = m.lastPingAt ?? m.createdAt;
  const dueAt = base + m.intervalSeconds * 1000;
  const overdueAt = dueAt + m.graceSeconds * 1000;
  const state =
    now >= overdueAt ? 'down' : now >= dueAt ? 'late' : m.lastPingAt === null ? 'waiting' : 'up';
  return { state, dueAt, overdueAt };
}

export type HeartbeatDecision =
  | { kind: 'none'; checkAgainAt: number }
  | { kind: 'raise'; event: NormalisedEvent }
  | { kind: 'resolve'; event: NormalisedEvent };

const dedupKey = (m: HeartbeatMonitor) => `heartbeat:${m.id}`;

/** The checker: raises once when a monitor goes silent past its grace. */
export function checkHeartbeat(m: HeartbeatMonitor, now: number): HeartbeatDecision {
  const s = heartbeatStatus(m, now);
  if (s.state !== 'down' || m.down) return { kind: 'none', checkAgainAt: s.overdueAt };
  return {
    kind: 'raise',
    event: {
      action: 'trigger',
      dedupKey: dedupKey(m),
      summary: `Heartbeat "${m.name}" missed: no ping within ${m.intervalSeconds + m.graceSeconds} s`,
      source: 'heartbeat',
      severity: 'critical',
      details: {
        monitorId: m.id,
        intervalSeconds: m.intervalSeconds,
        graceSeconds: m.graceSeconds,
        lastPingAt: m.lastPingAt,
      },
      links: [],
      occurredAt: s.overdueAt,
    },
  };
}

/** A ping: records it and resolves the open alert if the monitor was down. */
export function recordPing(
  m: HeartbeatMonitor,
  now: number,
): { monitor: HeartbeatMonitor; decision: HeartbeatDecision } {
  const monitor: HeartbeatMonitor = { ...m, lastPingAt: now, down: false };
  const next = heartbeatStatus(monitor, now).overdueAt;
  if (!m.down) return { monitor, decision: { kind: 'none', checkAgainAt: next } };
  return {
    monitor,
    decision: {
      kind: 'resolve',
      event: {
        action: 'resolve',
        dedupKey: dedupKey(m),
        summary: `Heartbeat "${m.name}" is back`,
        source: 'heartbeat',
        severity: 'info',
        details: { monitorId: m.id },
        links: [],
        occurredAt: now,
      },
    },
  };
}
