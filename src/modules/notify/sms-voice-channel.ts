import type {
  DeliveryContext,
  DeliveryOutcome,
  Locale,
  NotificationChannel,
  NotificationMessage,
} from './channel.js';
import { guardedPost, isReply, textOf, outcomeOfStatus, parseJsonObject } from './http.js';
import { label } from './labels.js';
import { plainText } from './render.js';
import { providerSignature } from './signing.js';

export const E164 = /^\+[1-9]\d{6,14}$/;

/** Any SMS/voice provider: one of these per vendor, behind the sms and voice channels. */
export interface SmsVoiceProvider {
  sendSms(
    to: string,
    text: string,
    idempotencyKey: string,
    ctx: DeliveryContext,
  ): Promise<DeliveryOutcome>;
  placeCall(
    to: string,
    speech: string,
    locale: Locale,
    idempotencyKey: string,
    ctx: DeliveryContext,
  ): Promise<DeliveryOutcome>;
}

export interface HttpProviderConfig {
  /** e.g. https://sms.example.com — the API lives under /v1. */
  baseUrl: string;
  keyId: string;
  secret: string;
  /** Sender id or number shown to the recipient, when the provider supports one. */
  sender?: string;
}

/** SMS bodies over this many characters are cut (providers bill per 70-character CJK segment). */
export const SMS_MAX_CHARS = 480;

/** The documented Dutydesk SMS/voice HTTP API (src/modules/notify/README.md). */
export function httpSmsVoiceProvider(config: HttpProviderConfig): SmsVoiceProvider {
  async function post(
    path: string,
    payload: Record<string, unknown>,
    key: string,
    ctx: DeliveryContext,
  ): Promise<DeliveryOutcome> {
    const body = JSON.stringify(payload);
    const ts = Math.floor(ctx.now / 1000);
    const url = new URL(path, config.baseUrl.endsWith('/') ? config.baseUrl : `${config.baseUrl}/`);
    const reply = await guardedPost(
      url.toString(),
      body,
      {
        'x-api-key': config.keyId,
        'x-timestamp': String(ts),
        'x-signature': providerSignature(config.secret, ts, 'POST', url.pathname, body),
        'idempotency-key': key,
      },
      ctx,
    );
    if (!isReply(reply)) return reply;
    const outcome = outcomeOfStatus(reply, ctx.now);
    const json = parseJsonObject(reply.text);
    if (outcome.status === 'delivered' && typeof json?.id === 'string')
      outcome.providerMessageId = json.id;
    const err = json?.error as { code?: unknown; message?: unknown } | undefined;
    if (outcome.status !== 'delivered' && err !== undefined && typeof err.code === 'string') {
      outcome.error = `${err.code}: ${textOf(err.message, '')}`;
    }
    return outcome;
  }
  return {
    sendSms: (to, text, key, ctx) => {
      const payload: Record<string, unknown> = { to, text: text.slice(0, SMS_MAX_CHARS) };
      if (config.sender !== undefined) payload.from = config.sender;
      return post('v1/messages', payload, key, ctx);
    },
    placeCall: (to, speech, locale, key, ctx) =>
      post(
        'v1/calls',
        { to, speech, language: locale === 'zh' ? 'zh-CN' : 'en-US', repeat: 2 },
        key,
        ctx,
      ),
  };
}

function invalidPhone(phone: string): DeliveryOutcome {
  return {
    status: 'permanent_error',
    error: `invalid phone number ${phone}: expected E.164 (+8613800138000)`,
  };
}

export function smsChannel(provider: SmsVoiceProvider): NotificationChannel<'sms'> {
  return {
    kind: 'sms',
    async send(message, target, ctx) {
      if (!E164.test(target.phone)) return invalidPhone(target.phone);
      return provider.sendSms(target.phone, plainText(message), message.id, ctx);
    },
  };
}

/** What the voice call says: no links, just who is paged for what. */
export function speechOf(m: NotificationMessage): string {
  return `${label(m.locale, 'notify.voice.intro')} ${m.title}. ${label(m.locale, 'notify.voice.outro')}`;
}

export function voiceChannel(provider: SmsVoiceProvider): NotificationChannel<'voice'> {
  return {
    kind: 'voice',
    async send(message, target, ctx) {
      if (!E164.test(target.phone)) return invalidPhone(target.phone);
      return provider.placeCall(target.phone, speechOf(message), message.locale, message.id, ctx);
    },
  };
}
