import { Alert, Button, Descriptions, Modal, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { TID } from '../../testids';
import { type IntegrationSecret, integrationSnippet } from './alertsModel';

/** The URL, key and a ready snippet of a new or re-keyed integration: shown this once. */
export function IntegrationKeyModal({
  secret,
  onClose,
}: {
  secret: IntegrationSecret | null;
  onClose(): void;
}) {
  const { t } = useTranslation();
  const copy = { tooltips: [t('common.copy'), t('common.copied')] };
  const snippet = secret ? integrationSnippet(secret) : '';
  return (
    <Modal
      open={secret !== null}
      width={760}
      title={t('alerts.integrations.keyTitle', { name: secret?.name ?? '' })}
      onCancel={onClose}
      mask={{ closable: false }}
      footer={
        <Button type="primary" onClick={onClose} data-testid={TID.secretClose}>
          {t('common.close')}
        </Button>
      }
    >
      {secret && (
        <>
          <Alert
            type="warning"
            showIcon
            title={t('alerts.integrations.keyOnce')}
            style={{ marginBottom: 16 }}
          />
          <Descriptions column={1} size="small" bordered>
            {secret.url && (
              <Descriptions.Item label={t('alerts.integrations.url')}>
                <Typography.Text
                  copyable={{ text: secret.url, ...copy }}
                  data-testid="integration-url"
                >
                  {secret.url}
                </Typography.Text>
              </Descriptions.Item>
            )}
            {secret.kind === 'email' && (
              <Descriptions.Item label={t('alerts.integrations.address')}>
                {secret.address ? (
                  <Typography.Text copyable={{ text: secret.address, ...copy }}>
                    {secret.address}
                  </Typography.Text>
                ) : (
                  t('alerts.integrations.noMailDomain')
                )}
              </Descriptions.Item>
            )}
            <Descriptions.Item
              label={
                secret.kind === 'pagerduty'
                  ? t('alerts.integrations.routingKey')
                  : t('alerts.integrations.key')
              }
            >
              <Typography.Text copyable={{ text: secret.key, ...copy }}>
                <code data-testid="integration-key">{secret.key}</code>
              </Typography.Text>
            </Descriptions.Item>
          </Descriptions>
          {snippet && (
            <>
              <Typography.Title level={5} style={{ marginTop: 16 }}>
                {t(`alerts.integrations.snippet.${secret.kind}`)}
              </Typography.Title>
              <Typography.Paragraph copyable={{ text: snippet, ...copy }}>
                <pre
                  data-testid="integration-snippet"
                  style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all', fontSize: 12 }}
                >
                  {snippet}
                </pre>
              </Typography.Paragraph>
            </>
          )}
        </>
      )}
    </Modal>
  );
}
