import { App, Button, Card, Empty, List, Space, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { useApiErrors } from '../forms/useApiErrors';
import { TID } from '../testids';

interface Shift {
  assignmentId: string;
  rosterId: string;
  date: string;
  shift: { code: string; name: string; colour: string };
  post: { name: string };
  startMs: number;
  endMs: number;
  confirmedAt: number | null;
  attendance: {
    checkInAt: number | null;
    checkOutAt: number | null;
    arrival: string;
    lateMinutes: number;
  } | null;
}

/** A person's coming shifts, with confirm and check-in/out buttons sized for a phone. */
export default function MyShiftsPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const showError = useApiErrors();
  const [items, setItems] = useState<Shift[]>([]);
  const [loading, setLoading] = useState(false);

  const load = useCallback(async () => {
    setLoading(true);
    try {
      const r = await api.get<{ items: Shift[] }>('/api/roster/me/shifts', {
        from: dayjs().subtract(1, 'day').format('YYYY-MM-DD'),
        to: dayjs().add(45, 'day').format('YYYY-MM-DD'),
      });
      setItems(r.items);
    } catch (err) {
      showError(err);
    } finally {
      setLoading(false);
    }
  }, [showError]);

  useEffect(() => {
    void load();
  }, [load]);

  const act = async (path: string) => {
    try {
      await api.post(path, {});
      void message.success(t('myShifts.done'));
      await load();
    } catch (err) {
      showError(err);
    }
  };

  const unconfirmed = [...new Set(items.filter((s) => !s.confirmedAt).map((s) => s.rosterId))];
  const time = (ms: number) => dayjs(ms).format('MM-DD HH:mm');

  return (
    <Space direction="vertical" style={{ width: '100%', maxWidth: 640 }}>
      <Typography.Title level={3} data-testid={TID.pageTitle}>
        {t('myShifts.title')}
      </Typography.Title>
      {unconfirmed.map((rosterId) => (
        <Button
          key={rosterId}
          type="primary"
          size="large"
          block
          onClick={() => void act(`/api/roster/rosters/${rosterId}/confirm`)}
        >
          {t('myShifts.confirm')}
        </Button>
      ))}
      <List
        loading={loading}
        dataSource={items}
        locale={{ emptyText: <Empty description={t('myShifts.empty')} /> }}
        renderItem={(s) => {
          const a = s.attendance;
          return (
            <List.Item>
              <Card style={{ width: '100%' }} size="small">
                <Space direction="vertical" style={{ width: '100%' }}>
                  <Space wrap>
                    <Tag color={s.shift.colour}>{s.shift.code}</Tag>
                    <Typography.Text strong>
                      {s.shift.name} · {s.post.name}
                    </Typography.Text>
                    {s.confirmedAt && <Tag color="green">{t('myShifts.confirmed')}</Tag>}
                  </Space>
                  <Typography.Text>
                    {time(s.startMs)} – {time(s.endMs)}
                  </Typography.Text>
                  {a && (
                    <Typography.Text type={a.arrival === 'late' ? 'warning' : undefined}>
                      {a.checkInAt ? t('myShifts.checkedIn', { time: time(a.checkInAt) }) : ''}{' '}
                      {t(`myShifts.arrival.${a.arrival}`, { minutes: a.lateMinutes })}
                    </Typography.Text>
                  )}
                  <Space style={{ width: '100%' }}>
                    {!a?.checkInAt && (
                      <Button
                        size="large"
                        type="primary"
                        onClick={() =>
                          void act(`/api/roster/assignments/${s.assignmentId}/check-in`)
                        }
                      >
                        {t('myShifts.checkIn')}
                      </Button>
                    )}
                    {a?.checkInAt && !a.checkOutAt && (
                      <Button
                        size="large"
                        onClick={() =>
                          void act(`/api/roster/assignments/${s.assignmentId}/check-out`)
                        }
                      >
                        {t('myShifts.checkOut')}
                      </Button>
                    )}
                  </Space>
                </Space>
              </Card>
            </List.Item>
          );
        }}
      />
    </Space>
  );
}
