import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en, zh } from './messages.js';

export type Lang = 'zh' | 'en';
export const LANGS: readonly Lang[] = ['zh', 'en'];

const STORAGE_KEY = 'dd_lang';

export function isLang(value: unknown): value is Lang {
  return value === 'zh' || value === 'en';
}

/** The language the user chose on this browser, if any. */
export function storedLang(): Lang | null {
  try {
    const v = window.localStorage.getItem(STORAGE_KEY);
    return isLang(v) ? v : null;
  } catch {
    return null;
  }
}

/**
 * Makes `lang` the UI language: remembered in localStorage and mirrored into the `dd_lang`
 * cookie, which is how the server picks the language of its own messages.
 */
export function applyLang(lang: Lang, remember: boolean): void {
  if (remember) {
    try {
      window.localStorage.setItem(STORAGE_KEY, lang);
    } catch {
      // Private mode without storage: the cookie still carries the choice.
    }
  }
  document.cookie = `dd_lang=${lang}; path=/; max-age=31536000; SameSite=Lax`;
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  void i18n.changeLanguage(lang);
}

const initial: Lang = storedLang() ?? 'zh';

void i18n.use(initReactI18next).init({
  resources: { zh: { translation: zh }, en: { translation: en } },
  lng: initial,
  fallbackLng: 'zh',
  interpolation: { escapeValue: false },
  returnNull: false,
});
i18n.on('languageChanged', () => {
  document.title = i18n.t('app.name');
});
applyLang(initial, false);

export default i18n;
