import { Button, Checkbox, Form, Input, Select, Space } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api/client';
import type { Team } from '../../../api/types';
import { useLoad } from '../../../lib/useLoad';
import { useSaving } from './AdminListParts';
import {
  type CalendarForm,
  type CalendarSetting,
  WEEKDAYS,
  toCalendarForm,
  toCalendarSetting,
} from './ticketAdminModel';

/** Each team's service calendar (24x7 or working hours with holidays) for SLA clocks. */
export function CalendarsCard() {
  const { t } = useTranslation();
  const [teamId, setTeamId] = useState<string | null>(null);
  const [form] = Form.useForm<CalendarForm>();
  const kind = Form.useWatch('kind', form);
  const { saving, save } = useSaving();

  const {
    data: { teams, calendars },
    reload,
  } = useLoad(
    async (signal) => {
      const [ts, s] = await Promise.all([
        api.get<{ items: Team[] }>('/api/teams', undefined, { signal }),
        api.get<{ calendars: Record<string, CalendarSetting> }>(
          '/api/tickets/settings',
          undefined,
          { signal },
        ),
      ]);
      return { teams: ts.items, calendars: s.calendars };
    },
    [],
    { initial: { teams: [], calendars: {} } },
  );

  const handleTeam = (id: string) => {
    setTeamId(id);
    const team = teams.find((x) => x.id === id);
    form.setFieldsValue(toCalendarForm(calendars[id], team?.timeZone ?? 'Asia/Shanghai'));
  };

  const handleSave = async (v: CalendarForm) => {
    if (!teamId) return;
    const saved = await save(() =>
      api.put(`/api/tickets/settings/calendar:${teamId}`, { value: toCalendarSetting(v) }),
    );
    if (saved) await reload();
  };

  return (
    <Space direction="vertical" style={{ width: '100%', maxWidth: 640 }}>
      <Select
        placeholder={t('tickets.admin.calendarTeam')}
        style={{ width: 320 }}
        value={teamId}
        onChange={handleTeam}
        options={teams.map((x) => ({ value: x.id, label: x.name }))}
        data-testid="calendar-team"
      />
      {teamId && (
        <Form form={form} layout="vertical" onFinish={(v) => void handleSave(v)}>
          <Form.Item name="kind" label={t('tickets.admin.calendarKind')}>
            <Select
              data-testid="calendar-kind"
              options={[
                { value: '24x7', label: t('tickets.admin.calendar24x7') },
                { value: 'hours', label: t('tickets.admin.calendarHours') },
              ]}
            />
          </Form.Item>
          {kind === 'hours' && (
            <>
              <Form.Item name="zone" label={t('tickets.admin.calendarZone')}>
                <Input data-testid="calendar-zone" />
              </Form.Item>
              {WEEKDAYS.map((d) => (
                <Form.Item
                  key={d}
                  name={['weekly', d]}
                  label={t(`tickets.admin.weekday.${d}`)}
                  extra={d === 'mon' ? t('tickets.admin.calendarHoursHelp') : undefined}
                >
                  <Input placeholder="09:00-12:00, 13:30-18:00" data-testid={`calendar-${d}`} />
                </Form.Item>
              ))}
              <Form.Item
                name="holidays"
                label={t('tickets.admin.calendarHolidays')}
                extra={t('tickets.admin.calendarDatesHelp')}
              >
                <Input.TextArea rows={3} data-testid="calendar-holidays" />
              </Form.Item>
              <Form.Item
                name="workdays"
                label={t('tickets.admin.calendarWorkdays')}
                extra={t('tickets.admin.calendarWorkdaysHelp')}
              >
                <Input.TextArea rows={2} data-testid="calendar-workdays" />
              </Form.Item>
              <Form.Item name="cn2026" valuePropName="checked">
                <Checkbox data-testid="calendar-cn2026">
                  {t('tickets.admin.calendarCn2026')}
                </Checkbox>
              </Form.Item>
            </>
          )}
          <Button type="primary" htmlType="submit" loading={saving} data-testid="calendar-save">
            {t('tickets.admin.save')}
          </Button>
        </Form>
      )}
    </Space>
  );
}
