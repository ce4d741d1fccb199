import { App, Button, Card, DatePicker, List, Select, Space, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { useApiErrors } from '../../forms/useApiErrors';
import { useLoad } from '../../lib/useLoad';

interface ShiftRequest {
  id: string;
  date: string;
  kind: 'on' | 'off';
  shiftTypeId: string | null;
}
interface ShiftChoice {
  id: string;
  code: string;
  name: string;
  team: string;
}

/** "My shifts": shift on/off requests for next month, which Generate tries to meet. */
export function MyShiftRequests() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const showError = useApiErrors();
  const [date, setDate] = useState<Dayjs>(dayjs().add(1, 'month').startOf('month'));
  const [kind, setKind] = useState<'on' | 'off'>('off');
  const [shiftTypeId, setShiftTypeId] = useState<string | null>(null);

  const {
    data: { items, shiftTypes },
    reload: load,
  } = useLoad(
    (signal) =>
      api.get<{ items: ShiftRequest[]; shiftTypes: ShiftChoice[] }>(
        '/api/solver/me/requests',
        { from: dayjs().format('YYYY-MM-DD') },
        { signal },
      ),
    [],
    { initial: { items: [], shiftTypes: [] } },
  );

  const codeOf = (id: string | null) =>
    id ? (shiftTypes.find((s) => s.id === id)?.code ?? '?') : t('solverRequests.anyShift');

  const add = async () => {
    try {
      await api.post('/api/solver/me/requests', {
        date: date.format('YYYY-MM-DD'),
        kind,
        shiftTypeId,
      });
      void message.success(t('solverRequests.added'));
      await load();
    } catch (err) {
      showError(err);
    }
  };

  const remove = async (id: string) => {
    try {
      await api.delete(`/api/solver/me/requests/${id}`);
      await load();
    } catch (err) {
      showError(err);
    }
  };

  return (
    <Card size="small" title={t('solverRequests.title')} data-testid="my-shift-requests">
      <Typography.Paragraph type="secondary">{t('solverRequests.hint')}</Typography.Paragraph>
      <Space wrap>
        <DatePicker
          value={date}
          allowClear={false}
          onChange={(v) => v && setDate(v)}
          aria-label={t('solverRequests.date')}
          data-testid="request-date"
        />
        <Select
          value={kind}
          onChange={setKind}
          aria-label={t('solverRequests.kind')}
          data-testid="request-kind"
          options={[
            { value: 'off', label: t('solverRequests.off') },
            { value: 'on', label: t('solverRequests.on') },
          ]}
        />
        <Select
          style={{ minWidth: 120 }}
          value={shiftTypeId}
          onChange={setShiftTypeId}
          aria-label={t('solverRequests.shift')}
          data-testid="request-shift"
          options={[
            ...(kind === 'off' ? [{ value: null, label: t('solverRequests.anyShift') }] : []),
            ...shiftTypes.map((s) => ({ value: s.id, label: `${s.code} ${s.name} (${s.team})` })),
          ]}
        />
        <Button type="primary" onClick={() => void add()} data-testid="request-add">
          {t('solverRequests.add')}
        </Button>
      </Space>
      <List
        size="small"
        locale={{ emptyText: t('solverRequests.none') }}
        dataSource={items}
        renderItem={(r) => (
          <List.Item
            actions={[
              <Button key="rm" size="small" onClick={() => void remove(r.id)}>
                {t('solverRequests.remove')}
              </Button>,
            ]}
          >
            {r.date} · {t(r.kind === 'on' ? 'solverRequests.on' : 'solverRequests.off')} ·{' '}
            {codeOf(r.shiftTypeId)}
          </List.Item>
        )}
      />
    </Card>
  );
}
