import { Form, Input, InputNumber, Modal, Select, Typography } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { clearErrors, useApiErrors } from '../../forms/useApiErrors';
import type { Cover, DayKind, Post, ShiftType } from './rosterTypes';

const DAY_KINDS: DayKind[] = ['weekday', 'weekend', 'holiday'];

interface Values {
  name: string;
  shiftTypeIds: string[];
  requiredSkills: string[];
  cover: Cover[];
}

/** Min/preferred head count per shift of the post and kind of day, as one form value. */
function CoverMatrix({
  value = [],
  onChange,
  shiftTypes,
}: {
  value?: Cover[];
  onChange?: (v: Cover[]) => void;
  shiftTypes: ShiftType[];
}) {
  const { t } = useTranslation();
  const get = (sid: string, kind: DayKind) =>
    value.find((c) => c.shiftTypeId === sid && c.dayKind === kind);
  const set = (sid: string, kind: DayKind, patch: Partial<Cover>) => {
    const cur = get(sid, kind) ?? { shiftTypeId: sid, dayKind: kind, min: 0, preferred: 0 };
    const next = { ...cur, ...patch };
    const rest = value.filter((c) => !(c.shiftTypeId === sid && c.dayKind === kind));
    onChange?.(next.min === 0 && next.preferred === 0 ? rest : [...rest, next]);
  };
  if (shiftTypes.length === 0) return null;
  return (
    <table style={{ borderCollapse: 'collapse' }}>
      <thead>
        <tr>
          <th />
          {DAY_KINDS.map((k) => (
            <th key={k} style={{ padding: '0 6px', fontWeight: 'normal' }}>
              {t(`roster.dayKinds.${k}`)}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {shiftTypes.map((s) => (
          <tr key={s.id}>
            <td style={{ paddingRight: 8 }}>{s.code}</td>
            {DAY_KINDS.map((k) => (
              <td key={k} style={{ padding: 2, whiteSpace: 'nowrap' }}>
                <InputNumber
                  size="small"
                  min={0}
                  max={1000}
                  style={{ width: 56 }}
                  aria-label={`${s.code} ${t(`roster.dayKinds.${k}`)} ${t('roster.setup.min')}`}
                  data-testid={`cover-${s.code}-${k}-min`}
                  value={get(s.id, k)?.min ?? 0}
                  onChange={(v) => set(s.id, k, { min: v ?? 0 })}
                />
                /
                <InputNumber
                  size="small"
                  min={0}
                  max={1000}
                  style={{ width: 56 }}
                  aria-label={`${s.code} ${t(`roster.dayKinds.${k}`)} ${t('roster.setup.preferred')}`}
                  data-testid={`cover-${s.code}-${k}-preferred`}
                  value={get(s.id, k)?.preferred ?? 0}
                  onChange={(v) => set(s.id, k, { preferred: v ?? 0 })}
                />
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Create or edit a post: its shifts, the cover it needs on each kind of day, required skills. */
export function PostFormDialog({
  teamId,
  post,
  shiftTypes,
  open,
  onClose,
  onSaved,
}: {
  teamId: string;
  post?: Post;
  shiftTypes: ShiftType[];
  open: boolean;
  onClose(): void;
  onSaved(): Promise<void>;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const showError = useApiErrors();
  const chosen = Form.useWatch('shiftTypeIds', form) ?? [];
  useEffect(() => {
    if (!open) return;
    form.resetFields();
    form.setFieldsValue(
      post ? { ...post } : { name: '', shiftTypeIds: [], requiredSkills: [], cover: [] },
    );
  }, [open, post, form]);

  const handleSubmit = async (v: Values) => {
    const shiftTypeIds = v.shiftTypeIds ?? [];
    const body = {
      name: v.name?.trim() ?? '',
      shiftTypeIds,
      // Cover of a shift no longer on the post goes with it.
      cover: (v.cover ?? []).filter((c) => shiftTypeIds.includes(c.shiftTypeId)),
      requiredSkills: v.requiredSkills ?? [],
    };
    try {
      if (post) await api.put(`/api/roster/posts/${post.id}`, body);
      else await api.post(`/api/roster/teams/${teamId}/posts`, body);
      await onSaved();
    } catch (err) {
      showError(err, form);
    }
  };

  return (
    <Modal
      open={open}
      title={post ? t('roster.setup.editPost', { name: post.name }) : t('roster.setup.newPost')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      okButtonProps={{ 'data-testid': 'post-submit' }}
      width={560}
      forceRender
    >
      <Form
        form={form}
        layout="vertical"
        onFinish={(v) => void handleSubmit(v)}
        onValuesChange={(changed: object) => clearErrors(form, changed)}
      >
        <Form.Item name="name" label={t('roster.setup.postName')}>
          <Input data-testid="post-name" maxLength={40} />
        </Form.Item>
        <Form.Item name="shiftTypeIds" label={t('roster.setup.postShifts')}>
          <Select
            mode="multiple"
            data-testid="post-shifts"
            options={shiftTypes.map((s) => ({
              value: s.id,
              label: `${s.code} · ${s.name} ${s.start}–${s.end}`,
            }))}
            optionFilterProp="label"
          />
        </Form.Item>
        <Form.Item name="requiredSkills" label={t('roster.setup.requiredSkills')}>
          <Select mode="tags" placeholder={t('roster.setup.skillsPlaceholder')} open={false} />
        </Form.Item>
        <Form.Item name="cover" label={t('roster.setup.cover')}>
          <CoverMatrix shiftTypes={shiftTypes.filter((s) => chosen.includes(s.id))} />
        </Form.Item>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('roster.setup.coverHint')}
        </Typography.Text>
      </Form>
    </Modal>
  );
}
