import { Button, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import type { Me } from '../api/types';
import { useAuth } from '../auth/AuthContext';
import { useApiErrors } from '../forms/useApiErrors';
import { applyLang, isLang, LANGS } from '../i18n';
import type { Lang } from '../i18n';
import { TID } from '../testids';

const langTestId: Record<Lang, string> = { zh: TID.langZh, en: TID.langEn };

/** 简体中文 / English; remembered on this browser, in the cookie and in the user's profile. */
export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  const { state, setMe } = useAuth();
  const showError = useApiErrors();
  const current: Lang = isLang(i18n.resolvedLanguage) ? i18n.resolvedLanguage : 'zh';

  const handleChoose = async (lang: Lang) => {
    if (lang === current) return;
    applyLang(lang, true);
    if (state.status !== 'signed-in') return;
    try {
      const res = await api.patch<{ user: Me }>('/api/profile', { locale: lang });
      setMe(res.user);
    } catch (err) {
      showError(err);
    }
  };

  return (
    <span data-testid={TID.langSwitch} title={t('lang.label')}>
      <Space.Compact>
        {LANGS.map((lang) => (
          <Button
            key={lang}
            size="small"
            type={lang === current ? 'primary' : 'default'}
            aria-pressed={lang === current}
            data-testid={langTestId[lang]}
            onClick={() => void handleChoose(lang)}
          >
            {t(`lang.${lang}`)}
          </Button>
        ))}
      </Space.Compact>
    </span>
  );
}
