import { Alert, Button, Modal, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { TID } from '../testids';

interface Props {
  title: string;
  hint: string;
  /** null keeps the modal closed. */
  secret: string | null;
  testId: string;
  onClose(): void;
}

/** Shows a password or token secret that the server returns only once, with a copy button. */
export function SecretRevealModal({ title, hint, secret, testId, onClose }: Props) {
  const { t } = useTranslation();
  return (
    <Modal
      open={secret !== null}
      title={title}
      onCancel={onClose}
      mask={{ closable: false }}
      footer={
        <Button type="primary" onClick={onClose} data-testid={TID.secretClose}>
          {t('common.close')}
        </Button>
      }
    >
      <Alert type="warning" showIcon title={hint} style={{ marginBottom: 16 }} />
      <Typography.Paragraph
        copyable={{ text: secret ?? '', tooltips: [t('common.copy'), t('common.copied')] }}
        style={{ fontSize: 18 }}
      >
        <code data-testid={testId} style={{ userSelect: 'all' }}>
          {secret}
        </code>
      </Typography.Paragraph>
    </Modal>
  );
}
