import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { DomainError, type ErrorKind } from '../lib/errors.js';
import { type Locale, hasKey, t } from '../i18n/i18n.js';

/** The one error envelope every route answers with. */
export interface ErrorBody {
  code: string;
  message: string;
  field?: string;
}

const STATUS: Record<ErrorKind, number> = {
  validation: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  rate_limited: 429,
  unavailable: 503,
};

interface ValidationItem {
  keyword: string;
  instancePath: string;
  message: string;
  params: Record<string, unknown>;
}

function str(v: unknown, fallback = '?'): string {
  return typeof v === 'string' ||
    typeof v === 'number' ||
    typeof v === 'bigint' ||
    typeof v === 'boolean'
    ? String(v)
    : fallback;
}

function fieldOf(path: string): string {
  return path.replace(/^\//, '').split('/').filter(Boolean).join('.');
}

/** Turn the first zod issue into a message that names the field and the reason. */
export function describeValidation(
  locale: Locale,
  item: ValidationItem,
  context: string | undefined,
): ErrorBody {
  let field = fieldOf(item.instancePath);
  const p = item.params;
  let key = 'validation.invalid';
  const params: Record<string, unknown> = {};
  switch (item.keyword) {
    case 'unrecognized_keys': {
      const keys = Array.isArray(p.keys) ? (p.keys as string[]) : [];
      field = [field, keys[0]].filter(Boolean).join('.');
      key = 'validation.unknownField';
      break;
    }
    case 'invalid_type':
      if (/received undefined/.test(item.message)) key = 'validation.required';
      else {
        key = 'validation.type';
        params.expected = str(p.expected);
      }
      break;
    case 'too_small':
      key = 'validation.tooSmall';
      params.minimum = str(p.minimum);
      break;
    case 'too_big':
      key = 'validation.tooBig';
      params.maximum = str(p.maximum);
      break;
    case 'invalid_format':
      key = p.format === 'uuid' ? 'validation.id' : 'validation.format';
      params.format = str(p.format, str(p.pattern, item.message));
      break;
    case 'invalid_value':
      key = 'validation.enum';
      params.options = Array.isArray(p.values) ? (p.values as unknown[]).join(', ') : '?';
      break;
    case 'custom':
      key = 'validation.format';
      params.format = item.message;
      break;
    default:
      key = 'validation.invalid';
  }
  if (!field) field = context === 'body' ? 'body' : (context ?? 'body');
  return { code: 'validation_failed', message: t(locale, key, { ...params, field }), field };
}

export function sendError(reply: FastifyReply, status: number, body: ErrorBody): FastifyReply {
  return reply.status(status).type('application/json; charset=utf-8').send(body);
}

/**
 * Domain code names the kind of thing in `entity` with a code ('escalationPolicy'); the reader
 * sees its name in their language (升级策略), from the `entities.*` messages.
 */
function withEntityName(locale: Locale, params: Record<string, string | number>) {
  const entity = params.entity;
  if (typeof entity !== 'string' || !hasKey(locale, `entities.${entity}`)) return params;
  return { ...params, entity: t(locale, `entities.${entity}`) };
}

/** Fastify's error handler: domain errors and validation → 4xx envelope; the rest → logged 500. */
export function handleError(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): FastifyReply {
  const locale = request.locale;
  if (error instanceof DomainError) {
    const body: ErrorBody = {
      code: error.code,
      message: t(locale, error.messageKey, withEntityName(locale, error.params)),
    };
    if (error.field) body.field = error.field;
    if (error.kind === 'rate_limited' && typeof error.params.seconds === 'number')
      void reply.header('retry-after', String(error.params.seconds));
    return sendError(reply, STATUS[error.kind], body);
  }
  if (hasZodFastifySchemaValidationErrors(error)) {
    const first = error.validation[0] as unknown as ValidationItem;
    return sendError(reply, 400, describeValidation(locale, first, error.validationContext));
  }
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return sendError(reply, 400, {
        code: 'invalid_json',
        message: t(locale, 'errors.invalidJson', { reason: error.message }),
        field: 'body',
      });
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return sendError(reply, 413, {
        code: 'body_too_large',
        message: t(locale, 'errors.bodyTooLarge', { limit: request.routeOptions.bodyLimit ?? 0 }),
        field: 'body',
      });
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return sendError(reply, 415, {
        code: 'unsupported_media_type',
        message: t(locale, 'errors.unsupportedMediaType', {
          type: request.headers['content-type'] ?? '',
        }),
      });
    default:
      break;
  }
  if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
    // A client error that Fastify raised itself (e.g. bad content-length): say what it was.
    return sendError(reply, error.statusCode, {
      code: String(error.code ?? 'bad_request').toLowerCase(),
      message: error.message,
    });
  }
  request.log.error({ err: error }, 'unhandled error');
  return sendError(reply, 500, {
    code: 'internal',
    message: t(locale, 'errors.internal', { requestId: request.id }),
  });
}
