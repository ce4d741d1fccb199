import { App } from 'antd';
import type { FormInstance } from 'antd';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, NETWORK_ERROR_CODE } from '../api/client';

/** The text to show for a failed call: the server's translated message when there is one. */
export function useErrorText(): (err: unknown) => string {
  const { t } = useTranslation();
  return useCallback(
    (err: unknown) => {
      if (err instanceof ApiError) {
        if (err.code === NETWORK_ERROR_CODE) return t('errors.network');
        if (err.message) return err.message;
        return t('errors.unexpected', { status: err.status });
      }
      return err instanceof Error ? err.message : String(err);
    },
    [t],
  );
}

/**
 * Shows a failed call to the user: on the form field the server named when the form has it,
 * otherwise as a message.
 */
export function useApiErrors(): (err: unknown, form?: FormInstance) => void {
  const { message } = App.useApp();
  const errorText = useErrorText();
  return useCallback(
    (err: unknown, form?: FormInstance) => {
      const text = errorText(err);
      if (form && err instanceof ApiError && err.field) {
        // The deepest field of the form on the named path: `rules.minRestHours.value` on that
        // nested field, `roles.0` on the `roles` field of a flat form.
        const path = err.field.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p));
        const registered = new Set(form.getFieldsError().map((f) => f.name.join('.')));
        for (let n = path.length; n >= 1; n--) {
          const name = path.slice(0, n);
          if (registered.has(name.join('.'))) {
            form.setFields([{ name, errors: [text] }]);
            return;
          }
        }
      }
      void message.error(text);
    },
    [message, errorText],
  );
}

/** Clears the server's error on the fields a user just changed (forms without rules keep it). */
export function clearErrors(form: FormInstance, changed: object): void {
  form.setFields(Object.keys(changed).map((name) => ({ name, errors: [] })));
}
