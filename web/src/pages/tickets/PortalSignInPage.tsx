import { LockOutlined, MailOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Form, Input, Result, Tabs, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation, useNavigate } from 'react-router-dom';
import { ApiError, api } from '../../api/client';
import { useAuth } from '../../auth/AuthContext';
import { useErrorText } from '../../forms/useApiErrors';
import { FullPageSpin } from '../../layout/RequireAuth';
import { PortalFrame } from './PortalLayout';

const FROM_KEY = 'dd_portal_from';

function safeFrom(value: unknown): string {
  return typeof value === 'string' &&
    value.startsWith('/portal') &&
    !value.startsWith('//') &&
    !value.startsWith('/portal/sign-in') &&
    !value.startsWith('/portal/link')
    ? value
    : '/portal';
}

function fromOf(state: unknown): string {
  return safeFrom(
    typeof state === 'object' && state !== null ? (state as { from?: unknown }).from : undefined,
  );
}

/** Sign in to the portal: with a password, or with a link mailed to the requester. */
export default function PortalSignInPage() {
  const { t } = useTranslation();
  const { state, signIn } = useAuth();
  const location = useLocation();
  const errorText = useErrorText();
  const [error, setError] = useState<string | null>(null);
  const [sent, setSent] = useState(false);
  const [busy, setBusy] = useState(false);
  const from = fromOf(location.state);

  if (state.status === 'loading') return <FullPageSpin />;
  if (state.status === 'signed-in') return <Navigate to={from} replace />;

  const withPassword = async (v: { username: string; password: string }) => {
    setError(null);
    setBusy(true);
    try {
      await signIn(v.username.trim(), v.password);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  const askLink = async (v: { email: string }) => {
    setError(null);
    setBusy(true);
    try {
      await api.post('/api/auth/magic-link', { email: v.email.trim() }, { allow401: true });
      try {
        window.sessionStorage.setItem(FROM_KEY, from);
      } catch {
        // No storage: the link leads to the ticket list.
      }
      setSent(true);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <PortalFrame>
      <Card style={{ maxWidth: 420, margin: '6vh auto 0' }}>
        <Typography.Title level={3} style={{ marginTop: 0 }} data-testid="page-title">
          {t('portal.signIn.title')}
        </Typography.Title>
        <Typography.Paragraph type="secondary">{t('portal.signIn.intro')}</Typography.Paragraph>
        {error && (
          <Alert
            type="error"
            showIcon
            title={error}
            style={{ marginBottom: 16 }}
            data-testid="portal-signin-error"
          />
        )}
        <Tabs
          defaultActiveKey="link"
          items={[
            {
              key: 'link',
              label: <span data-testid="portal-tab-link">{t('portal.signIn.byLink')}</span>,
              children: sent ? (
                <Result
                  status="success"
                  title={t('portal.signIn.sentTitle')}
                  subTitle={t('portal.signIn.sent')}
                  data-testid="portal-link-sent"
                />
              ) : (
                <Form layout="vertical" onFinish={askLink} requiredMark={false}>
                  <Form.Item
                    name="email"
                    label={t('portal.signIn.email')}
                    rules={[
                      { required: true, type: 'email', message: t('portal.signIn.emailInvalid') },
                    ]}
                  >
                    <Input
                      prefix={<MailOutlined />}
                      inputMode="email"
                      autoComplete="email"
                      data-testid="portal-email"
                    />
                  </Form.Item>
                  <Button
                    type="primary"
                    htmlType="submit"
                    block
                    loading={busy}
                    data-testid="portal-send-link"
                  >
                    {t('portal.signIn.sendLink')}
                  </Button>
                </Form>
              ),
            },
            {
              key: 'password',
              label: <span data-testid="portal-tab-password">{t('portal.signIn.byPassword')}</span>,
              children: (
                <Form layout="vertical" onFinish={withPassword} requiredMark={false}>
                  <Form.Item
                    name="username"
                    label={t('signIn.username')}
                    rules={[
                      { required: true, whitespace: true, message: t('signIn.usernameRequired') },
                    ]}
                  >
                    <Input
                      prefix={<UserOutlined />}
                      autoComplete="username"
                      data-testid="portal-username"
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
                      data-testid="portal-password"
                    />
                  </Form.Item>
                  <Button
                    type="primary"
                    htmlType="submit"
                    block
                    loading={busy}
                    data-testid="portal-signin-submit"
                  >
                    {t('signIn.submit')}
                  </Button>
                </Form>
              ),
            },
          ]}
        />
      </Card>
    </PortalFrame>
  );
}

/** /portal/link#token=…: uses the mailed link once and goes on to where the requester was going. */
export function PortalLinkPage() {
  const { t } = useTranslation();
  const { refresh } = useAuth();
  const navigate = useNavigate();
  const errorText = useErrorText();
  const [error, setError] = useState<string | null>(null);
  const started = useRef(false);
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    const token = new URLSearchParams(window.location.hash.replace(/^#/, '')).get('token') ?? '';
    // The token leaves the address bar (and history) before anything else happens.
    window.history.replaceState(null, '', window.location.pathname);
    api
      .post('/api/auth/magic-link/consume', { token }, { allow401: true })
      .then(async () => {
        await refresh();
        let from = '/portal';
        try {
          from = safeFrom(window.sessionStorage.getItem(FROM_KEY));
          window.sessionStorage.removeItem(FROM_KEY);
        } catch {
          // keep the list
        }
        navigate(from, { replace: true });
      })
      .catch((err: unknown) =>
        setError(
          err instanceof ApiError && err.status === 400 ? t('portal.link.bad') : errorText(err),
        ),
      );
  }, [errorText, navigate, refresh, t]);
  return (
    <PortalFrame>
      {error ? (
        <Result
          status="warning"
          title={t('portal.link.failed')}
          subTitle={error}
          extra={
            <Button type="primary" onClick={() => navigate('/portal/sign-in')}>
              {t('portal.link.again')}
            </Button>
          }
          data-testid="portal-link-error"
        />
      ) : (
        <FullPageSpin />
      )}
    </PortalFrame>
  );
}
