import { Form, Input, InputNumber, Modal, Select } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { clearErrors, useApiErrors } from '../../forms/useApiErrors';
import type { ShiftType } from './rosterTypes';

const PALETTE = ['#ffd666', '#2f54eb', '#95de64', '#ff9c6e', '#b37feb', '#5cdbd3', '#ff85c0'];

interface Values {
  code: string;
  name: string;
  start: string;
  end: string;
  breakMinutes: number;
  colour: string;
  night: 'auto' | 'yes' | 'no';
}

/** Create or edit a shift type; the server names a bad field (overlap, zero length, code taken). */
export function ShiftTypeFormDialog({
  teamId,
  shift,
  usedColours,
  open,
  onClose,
  onSaved,
}: {
  teamId: string;
  /** The shift type to edit; undefined creates one. */
  shift?: ShiftType;
  /** Colours the team's shift types already use: a new one starts with another. */
  usedColours: string[];
  open: boolean;
  onClose(): void;
  onSaved(): Promise<void>;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const showError = useApiErrors();
  // A string, so that a new array of the same colours does not reset the open form.
  const used = usedColours.join(',');
  useEffect(() => {
    if (!open) return;
    form.resetFields();
    form.setFieldsValue(
      shift
        ? {
            ...shift,
            night: shift.night === undefined ? 'auto' : shift.night ? 'yes' : 'no',
          }
        : {
            code: '',
            name: '',
            start: '08:00',
            end: '16:00',
            breakMinutes: 0,
            colour: PALETTE.find((c) => !used.split(',').includes(c)) ?? PALETTE[0],
            night: 'auto',
          },
    );
  }, [open, shift, form, used]);

  const handleSubmit = async (v: Values) => {
    const body = {
      code: v.code?.trim() ?? '',
      name: v.name?.trim() ?? '',
      start: v.start ?? '',
      end: v.end ?? '',
      breakMinutes: v.breakMinutes ?? 0,
      colour: v.colour ?? '',
      ...(v.night === 'auto' ? {} : { night: v.night === 'yes' }),
    };
    try {
      if (shift) await api.put(`/api/roster/shift-types/${shift.id}`, body);
      else await api.post(`/api/roster/teams/${teamId}/shift-types`, body);
      await onSaved();
    } catch (err) {
      showError(err, form);
    }
  };

  return (
    <Modal
      open={open}
      title={shift ? t('roster.setup.editShift', { code: shift.code }) : t('roster.setup.newShift')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      okButtonProps={{ 'data-testid': 'shift-submit' }}
      forceRender
    >
      <Form
        form={form}
        layout="vertical"
        onFinish={(v) => void handleSubmit(v)}
        onValuesChange={(changed: object) => clearErrors(form, changed)}
      >
        <Form.Item name="code" label={t('roster.setup.code')} extra={t('roster.setup.codeHint')}>
          <Input data-testid="shift-code" maxLength={16} />
        </Form.Item>
        <Form.Item name="name" label={t('roster.setup.name')}>
          <Input data-testid="shift-name" maxLength={40} />
        </Form.Item>
        <Form.Item label={t('roster.setup.time')} required style={{ marginBottom: 0 }}>
          <Form.Item name="start" style={{ display: 'inline-block', width: 120 }}>
            <Input type="time" data-testid="shift-start" aria-label={t('roster.setup.start')} />
          </Form.Item>
          <span style={{ display: 'inline-block', width: 24, textAlign: 'center' }}>–</span>
          <Form.Item name="end" style={{ display: 'inline-block', width: 120 }}>
            <Input type="time" data-testid="shift-end" aria-label={t('roster.setup.end')} />
          </Form.Item>
        </Form.Item>
        <Form.Item name="breakMinutes" label={t('roster.setup.breakMinutes')}>
          <InputNumber min={0} max={600} />
        </Form.Item>
        <Form.Item name="colour" label={t('roster.setup.colour')}>
          <Input type="color" data-testid="shift-colour" style={{ width: 80, padding: 2 }} />
        </Form.Item>
        <Form.Item name="night" label={t('roster.setup.night')}>
          <Select
            options={[
              { value: 'auto', label: t('roster.setup.nightAuto') },
              { value: 'yes', label: t('common.yes') },
              { value: 'no', label: t('common.no') },
            ]}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
