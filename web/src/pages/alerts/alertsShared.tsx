import { Select, Space, Tag } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { Team, User } from '../../api/types';
import { useLoad } from '../../lib/useLoad';
import type { PageStatus, Service, Target, TargetKind } from './alertsModel';

/**
 * Calls `onChange` when the server announces a change on the `alerts` live topic (Server-Sent
 * Events; the browser reconnects by itself). Returns whether the stream is connected.
 */
export function useAlertsLive(onChange: (pageId?: string) => void): boolean {
  const callback = useRef(onChange);
  callback.current = onChange;
  const [connected, setConnected] = useState(false);
  useEffect(() => {
    const es = new EventSource('/api/live?topics=alerts');
    es.addEventListener('ready', () => setConnected(true));
    es.addEventListener('alerts', (ev) => {
      let id: string | undefined;
      try {
        id = (JSON.parse((ev as MessageEvent<string>).data) as { id?: string }).id;
      } catch {
        id = undefined;
      }
      callback.current(id);
    });
    es.onerror = () => setConnected(false);
    return () => es.close();
  }, []);
  return connected;
}

const STATUS_COLOUR: Record<PageStatus, string> = {
  triggered: 'red',
  acknowledged: 'gold',
  resolved: 'green',
};

export function StatusTag({ status }: { status: string }) {
  const { t } = useTranslation();
  return (
    <Tag color={STATUS_COLOUR[status as PageStatus] ?? 'default'} data-status={status}>
      {t(`alerts.status.${status}`, { defaultValue: status })}
    </Tag>
  );
}

export function SeverityTag({ severity }: { severity: string }) {
  const { t } = useTranslation();
  const colour =
    severity === 'critical'
      ? 'magenta'
      : severity === 'error'
        ? 'red'
        : severity === 'warning'
          ? 'orange'
          : 'blue';
  return <Tag color={colour}>{t(`alerts.severity.${severity}`, { defaultValue: severity })}</Tag>;
}

/** The alert services, for names and pickers; empty when the caller may not read them. */
export function useServices(): Service[] {
  return useLoad(
    async (signal) =>
      (await api.get<{ items: Service[] }>('/api/alerts/services', undefined, { signal })).items,
    [],
    { initial: [], onError: () => {} },
  ).data;
}

export interface TargetOption {
  value: string;
  label: string;
}

/**
 * Who can be paged: people (needs users.read), teams, and posts of every team's roster (asked of
 * the roster module). A list the caller may not read stays empty.
 */
export function useTargetOptions(): Record<TargetKind, TargetOption[]> {
  return useLoad(
    async (signal): Promise<Record<TargetKind, TargetOption[]>> => {
      const [users, teams] = await Promise.all([
        api.get<{ items: User[] }>('/api/users', undefined, { signal }).then(
          (r) => r.items,
          () => [] as User[],
        ),
        api.get<{ items: Team[] }>('/api/teams', undefined, { signal }).then(
          (r) => r.items,
          () => [] as Team[],
        ),
      ]);
      const posts = (
        await Promise.all(
          teams.map((team) =>
            api
              .get<{
                posts: { id: string; name: string }[];
              }>(`/api/roster/teams/${team.id}/setup`, undefined, { signal })
              .then(
                (s) => s.posts.map((p) => ({ value: p.id, label: `${team.name} / ${p.name}` })),
                () => [],
              ),
          ),
        )
      ).flat();
      return {
        user: users
          .filter((u) => !u.disabled)
          .map((u) => ({ value: u.id, label: `${u.displayName} (${u.username})` })),
        team: teams.map((team) => ({ value: team.id, label: team.name })),
        post: posts,
      };
    },
    [],
    { initial: { user: [], team: [], post: [] }, onError: () => {} },
  ).data;
}

/** Picks escalation targets: a kind (person, team, on duty on a post) and who. */
export function TargetsInput({
  value,
  onChange,
  options,
  testId,
}: {
  value?: Target[];
  onChange?: (v: Target[]) => void;
  options: Record<TargetKind, TargetOption[]>;
  testId: string;
}) {
  const { t } = useTranslation();
  const [kind, setKind] = useState<TargetKind>('user');
  const targets = value ?? [];
  const labelOf = (tg: Target) =>
    options[tg.kind].find((o) => o.value === tg.id)?.label ?? tg.id.slice(0, 8);
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space wrap>
        {targets.map((tg) => (
          <Tag
            key={`${tg.kind}:${tg.id}`}
            closable
            onClose={() => onChange?.(targets.filter((x) => x !== tg))}
          >
            {t(`alerts.targetKinds.${tg.kind}`)}: {labelOf(tg)}
          </Tag>
        ))}
      </Space>
      <Space.Compact style={{ width: '100%' }}>
        <Select<TargetKind>
          value={kind}
          onChange={setKind}
          style={{ width: 140 }}
          data-testid={`${testId}-kind`}
          options={(['user', 'team', 'post'] as const).map((k) => ({
            value: k,
            label: t(`alerts.targetKinds.${k}`),
          }))}
        />
        <Select<string>
          showSearch
          value={null}
          placeholder={t('alerts.policies.addTarget')}
          optionFilterProp="label"
          style={{ flex: 1, minWidth: 160 }}
          data-testid={`${testId}-who`}
          options={options[kind]}
          notFoundContent={t('alerts.policies.noOptions')}
          onChange={(id) => {
            if (!targets.some((x) => x.kind === kind && x.id === id))
              onChange?.([...targets, { kind, id }]);
          }}
        />
      </Space.Compact>
    </Space>
  );
}
