import type { HttpProviderConfig } from './sms-voice-channel.js';
import type { VapidConfig } from './webpush-channel.js';

/**
 * The SMS/voice provider and web push (VAPID) keys, from environment variables (README,
 * "Configuration"). Each group is all or nothing: a half-set group is an error naming the
 * missing variable, so a typo does not silently leave a channel off.
 */
export function notifyChannelsFromEnv(env: Record<string, string | undefined>): {
  smsVoice?: HttpProviderConfig;
  vapid?: VapidConfig;
} {
  const group = (names: readonly string[]) => {
    const set = names.filter((n) => (env[n] ?? '').trim() !== '');
    if (set.length === 0) return null;
    const missing = names.filter((n) => !set.includes(n));
    if (missing.length > 0)
      throw new Error(`${missing.join(', ')} must be set together with ${set.join(', ')}`);
    return Object.fromEntries(names.map((n) => [n, env[n]!.trim()]));
  };
  const out: { smsVoice?: HttpProviderConfig; vapid?: VapidConfig } = {};
  const sms = group(['SMS_PROVIDER_URL', 'SMS_PROVIDER_KEY_ID', 'SMS_PROVIDER_SECRET']);
  if (sms) {
    let url: URL;
    try {
      url = new URL(sms.SMS_PROVIDER_URL!);
    } catch {
      throw new Error('SMS_PROVIDER_URL is not a URL');
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:')
      throw new Error('SMS_PROVIDER_URL must be http(s)');
    out.smsVoice = {
      baseUrl: sms.SMS_PROVIDER_URL!.replace(/\/+$/, ''),
      keyId: sms.SMS_PROVIDER_KEY_ID!,
      secret: sms.SMS_PROVIDER_SECRET!,
      ...(env.SMS_SENDER?.trim() ? { sender: env.SMS_SENDER.trim() } : {}),
    };
  }
  const vapid = group(['VAPID_PUBLIC_KEY', 'VAPID_PRIVATE_KEY', 'VAPID_SUBJECT']);
  if (vapid) {
    if (!/^(mailto:|https:)/.test(vapid.VAPID_SUBJECT!))
      throw new Error('VAPID_SUBJECT must be a mailto: or https: address');
    out.vapid = {
      publicKey: vapid.VAPID_PUBLIC_KEY!,
      privateKey: vapid.VAPID_PRIVATE_KEY!,
      subject: vapid.VAPID_SUBJECT!,
    };
  }
  return out;
}
