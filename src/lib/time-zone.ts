import { IANAZone } from 'luxon';

/** True when `zone` is an IANA time zone name this runtime knows (e.g. Asia/Shanghai). */
export function isTimeZone(zone: string): boolean {
  return zone.includes('/') || zone === 'UTC' ? IANAZone.isValidZone(zone) : false;
}
