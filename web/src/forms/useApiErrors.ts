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
        // `roles.0` is reported on the `roles` field: forms here have flat fields.
        const name = err.field.split('.')[0] ?? err.field;
        const values = form.getFieldsValue() as Record<string, unknown>;
        if (Object.prototype.hasOwnProperty.call(values, name)) {
          form.setFields([{ name, errors: [text] }]);
          return;
        }
      }
      void message.error(text);
    },
    [message, errorText],
  );
}
