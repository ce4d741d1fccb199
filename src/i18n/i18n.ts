import i18next, { type i18n as I18n } from 'i18next';
import { catalogs } from './catalog.js';

export type Locale = 'zh' | 'en';
export const LOCALES: readonly Locale[] = ['zh', 'en'];
export const DEFAULT_LOCALE: Locale = 'zh';

let instance: I18n | undefined;

function init(): I18n {
  if (instance) return instance;
  const inst = i18next.createInstance();
  void inst.init({
    initAsync: false,
    lng: DEFAULT_LOCALE,
    fallbackLng: DEFAULT_LOCALE,
    resources: {
      zh: { translation: catalogs.zh },
      en: { translation: catalogs.en },
    },
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  instance = inst;
  return inst;
}

/** Translate a message key into `locale`. Missing keys fall back to Chinese, then the key. */
export function t(locale: Locale, key: string, params: Record<string, unknown> = {}): string {
  return init().getFixedT(locale)(key, params);
}

export function hasKey(locale: Locale, key: string): boolean {
  return init().exists(key, { lng: locale, fallbackLng: false });
}

/** Pick a locale from an explicit choice (cookie, user setting) or an Accept-Language header. */
export function pickLocale(
  explicit: string | undefined,
  acceptLanguage: string | undefined,
): Locale {
  if (explicit === 'zh' || explicit === 'en') return explicit;
  if (acceptLanguage) {
    const ranked = acceptLanguage
      .split(',')
      .map((part) => {
        const [tag = '', q] = part.trim().split(';q=');
        return { tag: tag.toLowerCase(), q: q === undefined ? 1 : Number(q) };
      })
      .filter((x) => Number.isFinite(x.q))
      .sort((a, b) => b.q - a.q);
    for (const { tag } of ranked) {
      if (tag.startsWith('zh')) return 'zh';
      if (tag.startsWith('en')) return 'en';
    }
  }
  return DEFAULT_LOCALE;
}
