import type { SsrfPolicy } from './ssrf.js';

export const CHANNEL_KINDS = [
  'email',
  'sms',
  'voice',
  'dingtalk',
  'wecom',
  'feishu',
  'slack',
  'webhook',
  'webpush',
] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];

export type Locale = 'zh' | 'en';

/** What is said, independent of channel; each adapter renders it in its provider's format. */
export interface NotificationMessage {
  /** Stable id (the send's idempotency key): providers that deduplicate receive it. */
  id: string;
  kind: 'page' | 'digest' | 'verification' | 'test';
  locale: Locale;
  title: string;
  /** Plain text; adapters escape it for their markup. */
  body: string;
  severity?: 'critical' | 'error' | 'warning' | 'info';
  pageId?: string;
  /** Signed action links and the page's own URL. */
  links: { acknowledge?: string; resolve?: string; view?: string };
}

/** Where a contact method sends to. Secrets are the method's own (robot signing secrets). */
export type ChannelTarget =
  | { kind: 'email'; address: string }
  | { kind: 'sms'; phone: string }
  | { kind: 'voice'; phone: string }
  | { kind: 'dingtalk'; webhookUrl: string; secret?: string }
  | { kind: 'wecom'; webhookUrl: string }
  | { kind: 'feishu'; webhookUrl: string; secret?: string }
  | { kind: 'slack'; webhookUrl: string }
  | { kind: 'webhook'; url: string; secret: string }
  /** A browser PushSubscription: endpoint plus its p256dh and auth keys (base64url). */
  | { kind: 'webpush'; endpoint: string; p256dh: string; auth: string };

export interface DeliveryContext {
  /** Send time (ms); signatures carry it. */
  now: number;
  timeoutMs: number;
  /** Where webhooks may point (the admin's allow-list lives here). */
  ssrf: SsrfPolicy;
}

export type DeliveryStatus = 'delivered' | 'retryable_error' | 'permanent_error';

/** The outcome of one attempt; every attempt's outcome is recorded. */
export interface DeliveryOutcome {
  status: DeliveryStatus;
  httpStatus?: number;
  providerMessageId?: string;
  error?: string;
  /** Provider asked us to wait this long before retrying (429 Retry-After, throttles). */
  retryAfterMs?: number;
}

export interface NotificationChannel<K extends ChannelTarget['kind'] = ChannelTarget['kind']> {
  readonly kind: K;
  send(
    message: NotificationMessage,
    target: Extract<ChannelTarget, { kind: K }>,
    ctx: DeliveryContext,
  ): Promise<DeliveryOutcome>;
}
