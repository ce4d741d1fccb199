import type {
  ChannelTarget,
  DeliveryContext,
  DeliveryOutcome,
  NotificationChannel,
  NotificationMessage,
} from './channel.js';
import { dingtalkChannel } from './dingtalk-channel.js';
import { emailChannel, type SmtpConfig } from './email-channel.js';
import { feishuChannel } from './feishu-channel.js';
import { slackChannel } from './slack-channel.js';
import {
  httpSmsVoiceProvider,
  smsChannel,
  voiceChannel,
  type HttpProviderConfig,
  type SmsVoiceProvider,
} from './sms-voice-channel.js';
import { webhookChannel } from './webhook-channel.js';
import { webpushChannel, type VapidConfig } from './webpush-channel.js';
import { wecomChannel } from './wecom-channel.js';

export interface NotifyConfig {
  smtp?: SmtpConfig;
  /** The documented HTTP provider, or any other SmsVoiceProvider. */
  smsVoice?: HttpProviderConfig | SmsVoiceProvider;
  vapid?: VapidConfig;
}

type Channels = { [K in ChannelTarget['kind']]?: NotificationChannel<K> };

function isProvider(v: HttpProviderConfig | SmsVoiceProvider): v is SmsVoiceProvider {
  return typeof (v as SmsVoiceProvider).sendSms === 'function';
}

/** One adapter per channel kind; kinds without configuration (no SMTP, no provider) are absent. */
export function createChannels(config: NotifyConfig): Channels {
  const channels: Channels = {
    dingtalk: dingtalkChannel,
    wecom: wecomChannel,
    feishu: feishuChannel,
    slack: slackChannel,
    webhook: webhookChannel,
  };
  if (config.smtp !== undefined) channels.email = emailChannel(config.smtp);
  if (config.vapid !== undefined) channels.webpush = webpushChannel(config.vapid);
  if (config.smsVoice !== undefined) {
    const provider = isProvider(config.smsVoice)
      ? config.smsVoice
      : httpSmsVoiceProvider(config.smsVoice);
    channels.sms = smsChannel(provider);
    channels.voice = voiceChannel(provider);
  }
  return channels;
}

/** Sends through the adapter for the target's kind; an unconfigured kind is a permanent error. */
export async function deliver(
  channels: Channels,
  message: NotificationMessage,
  target: ChannelTarget,
  ctx: DeliveryContext,
): Promise<DeliveryOutcome> {
  const ch = channels[target.kind] as NotificationChannel<typeof target.kind> | undefined;
  if (ch === undefined)
    return { status: 'permanent_error', error: `channel ${target.kind} is not configured` };
  try {
    return await ch.send(message, target, ctx);
  } catch (e) {
    // An adapter bug must not lose the attempt record; retrying may well hit the same bug.
    return { status: 'permanent_error', error: `adapter failed: ${(e as Error).message}` };
  }
}
