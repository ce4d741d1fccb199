import { Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { useLoad } from '../../lib/useLoad';

/** The rule check a swap would get: OK, or the violations it adds. The duty admin sees it
 * before approving, the substitute before accepting. */
export function SwapCheck({ id }: { id: string }) {
  const { t } = useTranslation();
  // A check that cannot be made shows nothing; the server checks again when it decides.
  const { data: check } = useLoad(
    (signal) =>
      api
        .get<{
          blocking: boolean;
          violations: { severity: string; message: string }[];
        }>(`/api/roster/swaps/${id}/check`, undefined, { signal })
        .then(
          (c) => c,
          () => null,
        ),
    [id],
    { initial: null },
  );
  if (!check) return null;
  if (check.violations.length === 0) {
    return (
      <Tag color="green" data-testid={`swap-check-${id}`}>
        {t('roster.requests.checkOk')}
      </Tag>
    );
  }
  return (
    <Space direction="vertical" size={2} data-testid={`swap-check-${id}`}>
      {check.violations.map((v, i) => (
        <Typography.Text key={i} type={v.severity === 'block' ? 'danger' : 'warning'}>
          {v.message}
        </Typography.Text>
      ))}
    </Space>
  );
}
