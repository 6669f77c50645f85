import { isIPv4, isIPv6 } from 'node:net';

/**
 * The part of a client address that identifies one client for rate limiting. IPv4
 * addresses (also when mapped into IPv6) count as themselves; an IPv6 address counts
 * by its /64, because one subscriber usually owns a whole /64 and could otherwise
 * rotate through 2^64 addresses to dodge the per-IP limits.
 */
export function rateLimitSubject(address: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  if (mapped?.[1]) return mapped[1];
  if (isIPv4(address)) return address;
  if (isIPv6(address)) return `${expandIPv6(address).slice(0, 4).join(':')}::/64`;
  return address || 'unknown';
}

/** Eight four-digit groups, so equal /64s compare equal however they were written. */
function expandIPv6(address: string): string[] {
  const withoutZone = address.split('%')[0] ?? address;
  const [head = '', tail] = withoutZone.split('::');
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  const missing = tail === undefined ? 0 : 8 - headGroups.length - tailGroups.length;
  const groups = [...headGroups, ...Array<string>(missing).fill('0'), ...tailGroups];
  return groups.map((group) => group.toLowerCase().padStart(4, '0'));
}
