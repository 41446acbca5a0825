/**
 * Which IP addresses a metadata document may be fetched from: the special-purpose ranges
 * of the IANA registries (RFC 6890 and its updates) as one table per family, read by one
 * function. An address whose bytes embed an IPv4 address (IPv4-mapped, NAT64, 6to4) is
 * judged by the embedded address too, so `::ffff:127.0.0.1` is loopback.
 *
 * @see https://www.iana.org/assignments/iana-ipv4-special-registry/
 * @see https://www.iana.org/assignments/iana-ipv6-special-registry/
 */
import { isIPv4, isIPv6 } from 'node:net';

/** Why an address may not be fetched from. */
export type SpecialAddressKind =
  | 'unspecified'
  | 'this_network'
  | 'private'
  | 'shared'
  | 'loopback'
  | 'link_local'
  | 'protocol_assignment'
  | 'documentation'
  | 'benchmarking'
  | 'multicast'
  | 'reserved'
  | 'broadcast'
  | 'unique_local'
  | 'site_local'
  | 'discard'
  | 'ipv4_compatible'
  | 'translation'
  | 'invalid';

/** One special range: its first bytes, its prefix length, what it is. */
interface Range {
  readonly bytes: readonly number[];
  readonly prefix: number;
  readonly kind: SpecialAddressKind;
}

const v4 = (cidr: string, kind: SpecialAddressKind): Range => {
  const [address = '', prefix = '32'] = cidr.split('/');
  return { bytes: address.split('.').map(Number), prefix: Number(prefix), kind };
};

const v6 = (cidr: string, kind: SpecialAddressKind): Range => {
  const [address = '', prefix = '128'] = cidr.split('/');
  return { bytes: [...(parseIPv6(address) ?? [])], prefix: Number(prefix), kind };
};

/** IPv4 ranges never fetched from (most specific first where they nest). */
const IPV4_SPECIAL: readonly Range[] = [
  v4('0.0.0.0/32', 'unspecified'),
  v4('0.0.0.0/8', 'this_network'),
  v4('10.0.0.0/8', 'private'),
  v4('100.64.0.0/10', 'shared'),
  v4('127.0.0.0/8', 'loopback'),
  v4('169.254.0.0/16', 'link_local'),
  v4('172.16.0.0/12', 'private'),
  v4('192.0.0.0/24', 'protocol_assignment'),
  v4('192.0.2.0/24', 'documentation'),
  v4('192.88.99.0/24', 'reserved'),
  v4('192.168.0.0/16', 'private'),
  v4('198.18.0.0/15', 'benchmarking'),
  v4('198.51.100.0/24', 'documentation'),
  v4('203.0.113.0/24', 'documentation'),
  v4('224.0.0.0/4', 'multicast'),
  v4('255.255.255.255/32', 'broadcast'),
  v4('240.0.0.0/4', 'reserved'),
];

/**
 * IPv6 ranges never fetched from. The IPv4-embedding prefixes (`::ffff:0:0/96`,
 * `64:ff9b::/96`, `2002::/16`) are not here: {@link embeddedIPv4} judges them by the
 * IPv4 address inside.
 */
const IPV6_SPECIAL: readonly Range[] = [
  v6('::/128', 'unspecified'),
  v6('::1/128', 'loopback'),
  v6('::/96', 'ipv4_compatible'),
  v6('64:ff9b:1::/48', 'translation'),
  v6('100::/64', 'discard'),
  v6('2001::/23', 'protocol_assignment'),
  v6('2001:db8::/32', 'documentation'),
  v6('3fff::/20', 'documentation'),
  v6('5f00::/16', 'reserved'),
  v6('fc00::/7', 'unique_local'),
  v6('fe80::/10', 'link_local'),
  v6('fec0::/10', 'site_local'),
  v6('ff00::/8', 'multicast'),
];

/**
 * Prefixes whose address carries an IPv4 address, and the byte where it starts: it is
 * the address the packets reach in the end, so it is the one judged.
 */
const IPV4_EMBEDDING: readonly { readonly range: Range; readonly at: number }[] = [
  { range: v6('::ffff:0:0/96', 'reserved'), at: 12 },
  { range: v6('64:ff9b::/96', 'translation'), at: 12 },
  { range: v6('2002::/16', 'translation'), at: 2 },
];

/**
 * Why `address` (an IPv4 or IPv6 literal, as `dns.lookup` answers) is special, or
 * `undefined` for an ordinary public address. Anything that is not a plain literal
 * (a zone id, brackets, junk) is `invalid`: fail closed.
 *
 * @example
 * ```ts
 * specialAddressKind('10.1.2.3'); // 'private'
 * specialAddressKind('::ffff:127.0.0.1'); // 'loopback'
 * specialAddressKind('93.184.215.14'); // undefined
 * ```
 */
export function specialAddressKind(address: string): SpecialAddressKind | undefined {
  if (isIPv4(address)) return matchIn(IPV4_SPECIAL, address.split('.').map(Number));
  if (!isIPv6(address) || address.includes('%')) return 'invalid';
  const bytes = parseIPv6(address);
  if (!bytes) return 'invalid';
  const inner = embeddedIPv4(bytes);
  if (inner) return matchIn(IPV4_SPECIAL, inner);
  return matchIn(IPV6_SPECIAL, bytes);
}

/** The IPv4 address an IPv4-embedding IPv6 address carries, when it is one. */
function embeddedIPv4(bytes: readonly number[]): number[] | undefined {
  for (const { range, at } of IPV4_EMBEDDING) {
    if (inRange(range, bytes)) return bytes.slice(at, at + 4);
  }
  return undefined;
}

function matchIn(
  ranges: readonly Range[],
  bytes: readonly number[],
): SpecialAddressKind | undefined {
  return ranges.find((range) => inRange(range, bytes))?.kind;
}

function inRange(range: Range, bytes: readonly number[]): boolean {
  let bits = range.prefix;
  for (let index = 0; bits > 0; index++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if (((bytes[index] ?? 0) & mask) !== ((range.bytes[index] ?? 0) & mask)) return false;
  }
  return true;
}

/** The 16 bytes of an IPv6 literal (`::`, embedded dotted IPv4 allowed); undefined if malformed. */
function parseIPv6(address: string): number[] | undefined {
  let text = address;
  let tail: number[] = [];
  const dotted = /:(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted?.[1] !== undefined) {
    if (!isIPv4(dotted[1])) return undefined;
    tail = dotted[1].split('.').map(Number);
    text = `${text.slice(0, dotted.index)}:0:0`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = (part: string | undefined) => (part ? part.split(':') : []);
  const head = groups(halves[0]);
  const rest = groups(halves[1]);
  const missing = 8 - head.length - rest.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const all = [...head, ...Array<string>(halves.length === 1 ? 0 : missing).fill('0'), ...rest];
  const bytes: number[] = [];
  for (const group of all) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(group)) return undefined;
    const value = Number.parseInt(group, 16);
    bytes.push(value >> 8, value & 0xff);
  }
  if (tail.length === 4) bytes.splice(12, 4, ...tail);
  return bytes;
}
