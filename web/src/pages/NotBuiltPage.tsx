import { Button, Result } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { NotBuiltKey } from '../layout/nav';
import { TID } from '../testids';

/** Says plainly that a capability is not built yet, and what it will do. */
export function NotBuiltPage({ feature }: { feature: NotBuiltKey }) {
  const { t } = useTranslation();
  return (
    <Result
      status="info"
      data-testid={TID.notBuilt}
      title={
        <span data-testid={TID.pageTitle}>
          {t(`nav.${feature}`)} · {t('notBuilt.title')}
        </span>
      }
      subTitle={t(`notBuilt.${feature}`)}
      extra={
        <Link to="/">
          <Button>{t('notBuilt.backHome')}</Button>
        </Link>
      }
    />
  );
}
