/**
 * Domain errors. Domain and service code throws these; the HTTP layer maps `kind` to a
 * status code and translates `messageKey` with `params` into the caller's language.
 * `field` names the offending input so a form can show the message in place.
 */
export type ErrorKind =
  | 'validation'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'rate_limited'
  | 'unavailable';

export class DomainError extends Error {
  constructor(
    readonly kind: ErrorKind,
    readonly code: string,
    readonly messageKey: string,
    readonly params: Record<string, string | number> = {},
    readonly field?: string,
  ) {
    super(`${code}: ${messageKey} ${JSON.stringify(params)}`);
    this.name = 'DomainError';
  }
}

export const invalid = (
  field: string,
  messageKey: string,
  params: Record<string, string | number> = {},
) => new DomainError('validation', 'validation_failed', messageKey, { field, ...params }, field);

export const notFound = (entity: string, id: string) =>
  new DomainError('not_found', 'not_found', 'errors.notFound', { entity, id });

export const conflict = (
  code: string,
  messageKey: string,
  params: Record<string, string | number> = {},
  field?: string,
) => new DomainError('conflict', code, messageKey, params, field);

export const forbidden = (
  messageKey = 'errors.forbidden',
  params: Record<string, string | number> = {},
) => new DomainError('forbidden', 'forbidden', messageKey, params);
