import {
  App,
  Button,
  Checkbox,
  Empty,
  Form,
  InputNumber,
  Popconfirm,
  Select,
  Space,
  Table,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { clearErrors, useApiErrors } from '../../forms/useApiErrors';
import { TID } from '../../testids';
import { PostFormDialog } from './PostFormDialog';
import { ShiftTypeFormDialog } from './ShiftTypeFormDialog';
import { useRosterSetup, useTeamChoice } from './useTeamChoice';
import {
  FLAG_RULES,
  type FlagRule,
  type Person,
  type Post,
  type RestRules,
  type RosterSetup,
  type Severity,
  type ShiftType,
  VALUE_RULES,
  type ValueRule,
} from './rosterTypes';

type RuleRow = { enabled: boolean; value?: number; severity: Severity };
interface RulesValues {
  rules: Record<ValueRule | FlagRule, RuleRow>;
  holidays: string[];
  workingWeekends: string[];
  swapLeadHours: number;
  confirmHours: number;
}

const DEFAULT_VALUES: Record<ValueRule, number> = {
  minRestHours: 12,
  maxConsecutiveDays: 6,
  maxConsecutiveNights: 3,
  minDaysOffAfterNights: 2,
  maxHoursPerWeek: 48,
  maxHoursPerMonth: 200,
};

/** The team's rest and load rules, holidays and request settings; a rule unticked is not checked. */
function RosterRulesForm({ setup, onSaved }: { setup: RosterSetup; onSaved(): Promise<void> }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<RulesValues>();
  const showError = useApiErrors();
  const { message } = App.useApp();
  useEffect(() => {
    const rules = {} as RulesValues['rules'];
    for (const r of VALUE_RULES) {
      const cur = setup.rules[r];
      rules[r] = {
        enabled: cur !== undefined,
        value: cur?.value ?? DEFAULT_VALUES[r],
        severity: cur?.severity ?? 'warn',
      };
    }
    for (const r of FLAG_RULES) {
      const cur = setup.rules[r];
      rules[r] = { enabled: cur !== undefined, severity: cur?.severity ?? 'block' };
    }
    form.setFieldsValue({
      rules,
      holidays: setup.calendar.holidays ?? [],
      workingWeekends: setup.calendar.workingWeekends ?? [],
      swapLeadHours: setup.config.swapLeadHours,
      confirmHours: setup.config.confirmHours,
    });
  }, [setup, form]);

  const handleSubmit = async (v: RulesValues) => {
    const rules: RestRules = {};
    for (const r of VALUE_RULES) {
      const row = v.rules[r];
      if (row.enabled) rules[r] = { value: row.value ?? 0, severity: row.severity };
    }
    for (const r of FLAG_RULES) {
      const row = v.rules[r];
      if (row.enabled) rules[r] = { severity: row.severity };
    }
    try {
      await api.put(`/api/roster/teams/${setup.team.id}/settings`, {
        rules,
        calendar: { holidays: v.holidays ?? [], workingWeekends: v.workingWeekends ?? [] },
        config: { swapLeadHours: v.swapLeadHours, confirmHours: v.confirmHours },
      });
      void message.success(t('roster.setup.saved'));
      await onSaved();
    } catch (err) {
      showError(err, form);
    }
  };

  const severity = (
    <Select
      style={{ width: 130 }}
      options={(['block', 'warn'] as const).map((s) => ({
        value: s,
        label: t(`roster.setup.severities.${s}`),
      }))}
    />
  );
  return (
    <Form
      form={form}
      layout="vertical"
      onFinish={(v) => void handleSubmit(v)}
      onValuesChange={(changed: object) => clearErrors(form, changed)}
      data-testid="rules-form"
    >
      <table style={{ borderCollapse: 'collapse', marginBottom: 16 }}>
        <tbody>
          {[...VALUE_RULES, ...FLAG_RULES].map((r) => (
            <tr key={r}>
              <td style={{ paddingRight: 8 }}>
                <Form.Item name={['rules', r, 'enabled']} valuePropName="checked" noStyle>
                  <Checkbox data-testid={`rule-${r}-enabled`}>
                    {t(`roster.setup.ruleNames.${r}`)}
                  </Checkbox>
                </Form.Item>
              </td>
              <td style={{ padding: '4px 8px' }}>
                {(VALUE_RULES as readonly string[]).includes(r) && (
                  <Form.Item name={['rules', r, 'value']} style={{ margin: 0 }}>
                    <InputNumber min={0} max={10000} data-testid={`rule-${r}-value`} />
                  </Form.Item>
                )}
              </td>
              <td>
                <Form.Item name={['rules', r, 'severity']} style={{ margin: 0 }}>
                  {severity}
                </Form.Item>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <Form.Item name="holidays" label={t('roster.setup.holidays')}>
        <Select mode="tags" open={false} placeholder={t('roster.setup.datesPlaceholder')} />
      </Form.Item>
      <Form.Item name="workingWeekends" label={t('roster.setup.workingWeekends')}>
        <Select mode="tags" open={false} placeholder={t('roster.setup.datesPlaceholder')} />
      </Form.Item>
      <Space wrap>
        <Form.Item name="swapLeadHours" label={t('roster.setup.swapLeadHours')}>
          <InputNumber min={0} max={1440} />
        </Form.Item>
        <Form.Item name="confirmHours" label={t('roster.setup.confirmHours')}>
          <InputNumber min={1} max={720} />
        </Form.Item>
      </Space>
      <div>
        <Button type="primary" htmlType="submit" data-testid="rules-submit">
          {t('roster.setup.saveRules')}
        </Button>
      </div>
    </Form>
  );
}

/** One person's skills and default post, saved on its own. */
function PersonRow({
  person,
  posts,
  onSaved,
}: {
  person: Person;
  posts: Post[];
  onSaved(): Promise<void>;
}) {
  const { t } = useTranslation();
  const showError = useApiErrors();
  const { message } = App.useApp();
  const [skills, setSkills] = useState(person.skills);
  const [defaultPostId, setDefaultPostId] = useState<string | undefined>(person.defaultPostId);
  useEffect(() => {
    setSkills(person.skills);
    setDefaultPostId(person.defaultPostId);
  }, [person]);
  const dirty =
    skills.join('\n') !== person.skills.join('\n') || defaultPostId !== person.defaultPostId;
  const handleSave = async () => {
    try {
      await api.put(`/api/roster/people/${person.id}`, {
        skills,
        defaultPostId: defaultPostId ?? null,
      });
      void message.success(t('roster.setup.saved'));
      await onSaved();
    } catch (err) {
      showError(err);
    }
  };
  return (
    <Space wrap data-testid={`person-${person.name}`}>
      <Select
        mode="tags"
        open={false}
        style={{ minWidth: 220 }}
        value={skills}
        onChange={setSkills}
        placeholder={t('roster.setup.skillsPlaceholder')}
        aria-label={t('roster.setup.skills')}
        data-testid={`person-skills-${person.name}`}
      />
      <Select
        allowClear
        style={{ minWidth: 140 }}
        value={defaultPostId}
        onChange={setDefaultPostId}
        placeholder={t('roster.setup.defaultPost')}
        title={t('roster.setup.defaultPostHint')}
        options={posts.map((p) => ({ value: p.id, label: p.name }))}
      />
      <Button
        disabled={!dirty}
        onClick={() => void handleSave()}
        data-testid={`person-save-${person.name}`}
      >
        {t('common.save')}
      </Button>
    </Space>
  );
}

/** The duty admin's setup of a team's rosters: shift types, posts and cover, rules, skills. */
export default function RosterSetupPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const showError = useApiErrors();
  const { teams, teamId, setTeamId } = useTeamChoice();
  const [shiftDialog, setShiftDialog] = useState<{ shift?: ShiftType } | null>(null);
  const [postDialog, setPostDialog] = useState<{ post?: Post } | null>(null);

  const { data: setup, reload: load } = useRosterSetup(teamId);

  const remove = async (path: string) => {
    try {
      await api.delete(path);
      void message.success(t('roster.setup.deleted'));
    } catch (err) {
      showError(err);
    }
    await load();
  };

  const shiftById = new Map((setup?.shiftTypes ?? []).map((s) => [s.id, s]));
  const overnight = (s: ShiftType) => s.end <= s.start;

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Typography.Title level={3} data-testid={TID.pageTitle}>
        {t('roster.setup.title')}
      </Typography.Title>
      <Space wrap>
        <Select
          style={{ minWidth: 180 }}
          placeholder={t('roster.setup.team')}
          value={teamId}
          onChange={setTeamId}
          data-testid="setup-team"
          options={teams.map((x) => ({ value: x.id, label: x.name }))}
        />
        {setup && (
          <Typography.Text type="secondary">
            {t('roster.setup.timeZone', { zone: setup.team.timeZone })}
          </Typography.Text>
        )}
      </Space>
      {setup && teamId && (
        <Tabs
          items={[
            {
              key: 'shifts',
              label: <span data-testid="setup-tab-shifts">{t('roster.setup.shiftTypes')}</span>,
              children: (
                <Space direction="vertical" style={{ width: '100%' }}>
                  <Button type="primary" onClick={() => setShiftDialog({})} data-testid="shift-add">
                    {t('roster.setup.newShift')}
                  </Button>
                  <Table<ShiftType>
                    rowKey="id"
                    size="small"
                    pagination={false}
                    data-testid="shift-table"
                    dataSource={setup.shiftTypes}
                    scroll={{ x: 'max-content' }}
                    columns={[
                      {
                        title: t('roster.setup.code'),
                        render: (_, s) => <Tag color={s.colour}>{s.code}</Tag>,
                      },
                      { title: t('roster.setup.name'), dataIndex: 'name' },
                      {
                        title: t('roster.setup.time'),
                        render: (_, s) =>
                          `${s.start}–${s.end}${overnight(s) ? ` (${t('roster.setup.overnight')})` : ''}`,
                      },
                      { title: t('roster.setup.breakMinutes'), dataIndex: 'breakMinutes' },
                      {
                        key: 'actions',
                        render: (_, s) => (
                          <Space>
                            <Button
                              size="small"
                              onClick={() => setShiftDialog({ shift: s })}
                              data-testid={`shift-edit-${s.code}`}
                            >
                              {t('roster.setup.edit')}
                            </Button>
                            <Popconfirm
                              title={t('roster.setup.deleteShiftConfirm', { code: s.code })}
                              onConfirm={() => void remove(`/api/roster/shift-types/${s.id}`)}
                            >
                              <Button size="small" danger data-testid={`shift-delete-${s.code}`}>
                                {t('roster.setup.delete')}
                              </Button>
                            </Popconfirm>
                          </Space>
                        ),
                      },
                    ]}
                  />
                </Space>
              ),
            },
            {
              key: 'posts',
              label: <span data-testid="setup-tab-posts">{t('roster.setup.posts')}</span>,
              children: (
                <Space direction="vertical" style={{ width: '100%' }}>
                  <Button
                    type="primary"
                    disabled={setup.shiftTypes.length === 0}
                    title={
                      setup.shiftTypes.length === 0 ? t('roster.setup.noShiftTypes') : undefined
                    }
                    onClick={() => setPostDialog({})}
                    data-testid="post-add"
                  >
                    {t('roster.setup.newPost')}
                  </Button>
                  <Table<Post>
                    rowKey="id"
                    size="small"
                    pagination={false}
                    data-testid="post-table"
                    dataSource={setup.posts}
                    scroll={{ x: 'max-content' }}
                    columns={[
                      { title: t('roster.setup.postName'), dataIndex: 'name' },
                      {
                        title: t('roster.setup.postShifts'),
                        render: (_, p) =>
                          p.shiftTypeIds.map((id) => (
                            <Tag key={id} color={shiftById.get(id)?.colour}>
                              {shiftById.get(id)?.code ?? '?'}
                            </Tag>
                          )),
                      },
                      {
                        title: t('roster.setup.cover'),
                        render: (_, p) =>
                          p.cover.map((c) => (
                            <div key={`${c.shiftTypeId}${c.dayKind}`}>
                              {shiftById.get(c.shiftTypeId)?.code} ·{' '}
                              {t(`roster.dayKinds.${c.dayKind}`)} {c.min}/{c.preferred}
                            </div>
                          )),
                      },
                      {
                        title: t('roster.setup.requiredSkills'),
                        render: (_, p) => p.requiredSkills.map((s) => <Tag key={s}>{s}</Tag>),
                      },
                      {
                        key: 'actions',
                        render: (_, p) => (
                          <Space>
                            <Button
                              size="small"
                              onClick={() => setPostDialog({ post: p })}
                              data-testid={`post-edit-${p.name}`}
                            >
                              {t('roster.setup.edit')}
                            </Button>
                            <Popconfirm
                              title={t('roster.setup.deletePostConfirm', { name: p.name })}
                              onConfirm={() => void remove(`/api/roster/posts/${p.id}`)}
                            >
                              <Button size="small" danger data-testid={`post-delete-${p.name}`}>
                                {t('roster.setup.delete')}
                              </Button>
                            </Popconfirm>
                          </Space>
                        ),
                      },
                    ]}
                  />
                </Space>
              ),
            },
            {
              key: 'rules',
              label: <span data-testid="setup-tab-rules">{t('roster.setup.rules')}</span>,
              children: <RosterRulesForm setup={setup} onSaved={load} />,
            },
            {
              key: 'people',
              label: <span data-testid="setup-tab-people">{t('roster.setup.people')}</span>,
              children:
                setup.people.length === 0 ? (
                  <Empty description={t('roster.setup.noPeople')} />
                ) : (
                  <Table<Person>
                    rowKey="id"
                    size="small"
                    pagination={false}
                    dataSource={setup.people}
                    scroll={{ x: 'max-content' }}
                    columns={[
                      { title: t('roster.setup.person'), dataIndex: 'name' },
                      {
                        title: t('roster.setup.skills'),
                        render: (_, p) => (
                          <PersonRow person={p} posts={setup.posts} onSaved={load} />
                        ),
                      },
                    ]}
                  />
                ),
            },
          ]}
        />
      )}
      {teamId && (
        <>
          <ShiftTypeFormDialog
            teamId={teamId}
            shift={shiftDialog?.shift}
            usedColours={(setup?.shiftTypes ?? []).map((s) => s.colour.toLowerCase())}
            open={shiftDialog !== null}
            onClose={() => setShiftDialog(null)}
            onSaved={async () => {
              setShiftDialog(null);
              void message.success(t('roster.setup.saved'));
              await load();
            }}
          />
          <PostFormDialog
            teamId={teamId}
            post={postDialog?.post}
            shiftTypes={setup?.shiftTypes ?? []}
            open={postDialog !== null}
            onClose={() => setPostDialog(null)}
            onSaved={async () => {
              setPostDialog(null);
              void message.success(t('roster.setup.saved'));
              await load();
            }}
          />
        </>
      )}
    </Space>
  );
}
