import { Alert, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { useMe } from '../../auth/AuthContext';
import { PasswordChangeCard } from '../ProfilePage';

/**
 * A requester's password change inside the portal frame (requesters never see /profile); one
 * holding a must-change password is kept here by PortalLayout until it is changed.
 */
export default function PortalPasswordPage() {
  const { t } = useTranslation();
  const me = useMe();
  const navigate = useNavigate();
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {me.mustChangePassword && (
        <Alert
          type="warning"
          showIcon
          message={t('profile.mustChangePassword')}
          data-testid="portal-must-change-password"
        />
      )}
      <PasswordChangeCard onChanged={() => navigate('/portal', { replace: true })} />
    </Space>
  );
}
