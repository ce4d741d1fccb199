import { Button, Checkbox, Form, Input, InputNumber, Modal, Select, Space, Typography } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { clearErrors, useApiErrors } from '../../forms/useApiErrors';
import type { RosterView } from './rosterTypes';

interface Values {
  pattern: string;
  anchorDate: string;
  members: { personId: string; postId: string; offset: number }[];
  replace: boolean;
}

/** Build the month from a rotation pattern (早-中-夜-休-休, 4 on 4 off …) with offsets per person. */
export function RosterRotationDialog({
  view,
  open,
  onClose,
  onDone,
}: {
  view: RosterView;
  open: boolean;
  onClose(): void;
  onDone(): Promise<void>;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const showError = useApiErrors();
  useEffect(() => {
    if (open) {
      form.setFieldsValue({
        pattern: form.getFieldValue('pattern') ?? '',
        anchorDate: form.getFieldValue('anchorDate') ?? view.roster.periodStart,
        replace: true,
      });
    }
  }, [open, form, view.roster.periodStart]);

  const handleAddAll = () => {
    // The post that offers every shift of the pattern, unless a person has a default post.
    const codes = String(form.getFieldValue('pattern') ?? '')
      .split(/[,，\s]+/)
      .filter((c) => c && c !== '-' && c !== '休');
    const codeOf = (id: string) => view.shiftTypes.find((s) => s.id === id)?.code;
    const fitting = view.posts.find((p) =>
      codes.every((c) => p.shiftTypeIds.some((id) => codeOf(id) === c)),
    );
    const post = (fitting ?? view.posts[0])?.id ?? '';
    form.setFieldValue(
      'members',
      view.people.map((p, i) => ({ personId: p.id, postId: p.defaultPostId ?? post, offset: i })),
    );
  };
  const handleSubmit = async (values: Values) => {
    try {
      await api.post(`/api/roster/rosters/${view.roster.id}/rotation`, {
        ...values,
        members: values.members ?? [],
      });
      await onDone();
    } catch (err) {
      showError(err, form);
    }
  };
  return (
    <Modal
      open={open}
      title={t('roster.rotation.title')}
      onCancel={onClose}
      okText={t('roster.rotation.apply')}
      okButtonProps={{ 'data-testid': 'rotation-submit' }}
      onOk={() => form.submit()}
      width={640}
      forceRender
    >
      <Form
        form={form}
        layout="vertical"
        onFinish={(v) => void handleSubmit(v)}
        onValuesChange={(changed: object) => clearErrors(form, changed)}
      >
        <Form.Item
          name="pattern"
          label={t('roster.rotation.pattern')}
          extra={t('roster.rotation.patternHint')}
        >
          <Input data-testid="rotation-pattern" placeholder="D,E,N,-,-" />
        </Form.Item>
        <Form.Item
          name="anchorDate"
          label={t('roster.rotation.anchorDate')}
          extra={t('roster.rotation.anchorHint')}
        >
          <Input data-testid="rotation-anchor" placeholder="YYYY-MM-DD" />
        </Form.Item>
        <Typography.Text strong>{t('roster.rotation.members')}</Typography.Text>{' '}
        <Button size="small" type="link" data-testid="rotation-add-all" onClick={handleAddAll}>
          {t('roster.rotation.addAll')}
        </Button>
        <Form.List name="members">
          {(fields, { remove }) =>
            fields.map((f) => (
              <Space key={f.key} align="baseline" wrap style={{ display: 'flex' }}>
                <Form.Item name={[f.name, 'personId']} style={{ minWidth: 140, marginBottom: 8 }}>
                  <Select
                    placeholder={t('roster.rotation.person')}
                    options={view.people.map((p) => ({ value: p.id, label: p.name }))}
                  />
                </Form.Item>
                <Form.Item name={[f.name, 'postId']} style={{ minWidth: 120, marginBottom: 8 }}>
                  <Select
                    placeholder={t('roster.rotation.post')}
                    options={view.posts.map((p) => ({ value: p.id, label: p.name }))}
                  />
                </Form.Item>
                <Form.Item name={[f.name, 'offset']} style={{ marginBottom: 8 }}>
                  <InputNumber min={0} max={1000} addonBefore={t('roster.rotation.offset')} />
                </Form.Item>
                <Button type="link" danger onClick={() => remove(f.name)}>
                  {t('roster.rotation.remove')}
                </Button>
              </Space>
            ))
          }
        </Form.List>
        <Form.Item name="replace" valuePropName="checked" style={{ marginTop: 8 }}>
          <Checkbox>{t('roster.rotation.replace')}</Checkbox>
        </Form.Item>
      </Form>
    </Modal>
  );
}
