import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation } from 'react-router-dom';
import { useAuth } from '../auth/AuthContext';
import { useErrorText } from '../forms/useApiErrors';
import { LanguageSwitch } from '../layout/LanguageSwitch';
import { FullPageSpin, isRequesterOnly } from '../layout/RequireAuth';
import { TID } from '../testids';

interface SignInValues {
  username: string;
  password: string;
}

function fromState(state: unknown): string {
  if (typeof state === 'object' && state !== null) {
    const from = (state as { from?: unknown }).from;
    // Only paths inside this app: "//host" would leave the origin.
    if (
      typeof from === 'string' &&
      from.startsWith('/') &&
      !from.startsWith('//') &&
      !from.startsWith('/sign-in')
    ) {
      return from;
    }
  }
  return '/';
}

export function SignInPage() {
  const { t } = useTranslation();
  const { state, signIn } = useAuth();
  const location = useLocation();
  const errorText = useErrorText();
  const [error, setError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);

  if (state.status === 'loading') return <FullPageSpin />;
  // Someone holding an initial password is sent to change it before anything else.
  if (state.status === 'signed-in') {
    // A customer has the portal and nothing of the staff app (the server refuses it anyway).
    if (isRequesterOnly(state.me.roles)) {
      const from = fromState(location.state);
      return <Navigate to={from.startsWith('/portal') ? from : '/portal'} replace />;
    }
    return (
      <Navigate to={state.me.mustChangePassword ? '/profile' : fromState(location.state)} replace />
    );
  }

  const handleFinish = async (values: SignInValues) => {
    setError(null);
    setSubmitting(true);
    try {
      await signIn(values.username.trim(), values.password);
    } catch (err) {
      setError(errorText(err));
      setSubmitting(false);
    }
  };

  return (
    <div
      style={{
        minHeight: '100vh',
        display: 'flex',
        flexDirection: 'column',
        alignItems: 'center',
        padding: 16,
        background: 'linear-gradient(180deg, #e6f4ff 0%, #f5f5f5 60%)',
      }}
    >
      <div style={{ alignSelf: 'flex-end' }}>
        <LanguageSwitch />
      </div>
      <Card style={{ width: '100%', maxWidth: 380, marginTop: '12vh' }}>
        <Typography.Title level={3} style={{ marginTop: 0, marginBottom: 4 }}>
          {t('app.name')}
        </Typography.Title>
        <Typography.Paragraph type="secondary">{t('app.tagline')}</Typography.Paragraph>
        {error && (
          <Alert
            type="error"
            showIcon
            title={error}
            style={{ marginBottom: 16 }}
            data-testid={TID.signinError}
          />
        )}
        <Form<SignInValues> layout="vertical" onFinish={handleFinish} requiredMark={false}>
          <Form.Item
            name="username"
            label={t('signIn.username')}
            rules={[{ required: true, whitespace: true, message: t('signIn.usernameRequired') }]}
          >
            <Input
              prefix={<UserOutlined />}
              autoComplete="username"
              autoFocus
              data-testid={TID.signinUsername}
            />
          </Form.Item>
          <Form.Item
            name="password"
            label={t('signIn.password')}
            rules={[{ required: true, message: t('signIn.passwordRequired') }]}
          >
            <Input.Password
              prefix={<LockOutlined />}
              autoComplete="current-password"
              data-testid={TID.signinPassword}
            />
          </Form.Item>
          <Button
            type="primary"
            htmlType="submit"
            block
            loading={submitting}
            data-testid={TID.signinSubmit}
          >
            {t('signIn.submit')}
          </Button>
        </Form>
      </Card>
    </div>
  );
}
