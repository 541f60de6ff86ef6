/**
 * Which webhook URLs the service will POST to. A webhook makes our servers open a connection
 * the caller chose, so without these checks it would reach what only our network can reach
 * (the cloud metadata service at 169.254.169.254, a VPC's private load balancers, localhost).
 * Refused, with `invalid_webhook_url`:
 *  - anything but https (local mode may allow http, for receivers on 127.0.0.1 in tests);
 *  - user:password@ in the URL (it would be logged and shown in delivery lists);
 *  - hosts that are, or resolve to, loopback, private (RFC 1918, CGNAT 100.64/10, IPv6 ULA
 *    fc00::/7), link-local (169.254/16, fe80::/10), unspecified, multicast, reserved or
 *    documentation addresses, including IPv4 mapped or translated into IPv6.
 * The API checks at job creation (before billing), the deliverer again right before every
 * attempt, on the very addresses it then connects to (webhooks/send.ts), so a DNS answer that
 * changes later (rebinding) still cannot reach a private address. Edge-safe: no Node imports;
 * name resolution is passed in by the runtime that has it.
 */
import { PromptsegError } from '@promptseg/shared';

export interface WebhookUrlPolicy {
  /** Local mode only: allow http:// and loopback addresses (127.0.0.0/8, ::1, localhost). */
  allowLoopback: boolean;
}

/** Every address a host name resolves to (IPv4 and IPv6); rejects when it does not resolve. */
export type ResolveHost = (hostname: string) => Promise<string[]>;

const HINT = 'Give an https URL of a host on the public internet, e.g. "https://example.com/hooks/promptseg" (README "Webhooks"). Receivers inside a private network need a public endpoint or tunnel.';

export function invalidWebhookUrl(message: string, hint = HINT): PromptsegError {
  return new PromptsegError('invalid_webhook_url', message, hint);
}

function ipv4Bytes(s: string): number[] | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (!m) return null;
  const b = m.slice(1).map(Number);
  return b.every((x) => x <= 255) ? b : null;
}

/** 8 groups of 16 bits, or null. Accepts `::` and a trailing dotted IPv4. */
function ipv6Groups(s: string): number[] | null {
  let text = s.toLowerCase();
  const zone = text.indexOf('%');
  if (zone >= 0) text = text.slice(0, zone);
  // a trailing dotted IPv4 (::ffff:1.2.3.4) becomes its two 16-bit groups
  const lastColon = text.lastIndexOf(':');
  if (text.slice(lastColon + 1).includes('.')) {
    const v4 = ipv4Bytes(text.slice(lastColon + 1));
    if (!v4) return null;
    text = `${text.slice(0, lastColon + 1)}${((v4[0] << 8) | v4[1]).toString(16)}:${((v4[2] << 8) | v4[3]).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const part = (h: string) => (h === '' ? [] : h.split(':'));
  const head = part(halves[0]);
  const rest = halves.length === 2 ? part(halves[1]) : [];
  if ([...head, ...rest].some((g) => !/^[0-9a-f]{1,4}$/.test(g))) return null;
  const fixed = head.length + rest.length;
  if (halves.length === 1 && fixed !== 8) return null;
  if (halves.length === 2 && fixed > 7) return null;
  const zeros = Array(8 - fixed).fill(0);
  return [...head.map((g) => parseInt(g, 16)), ...zeros, ...rest.map((g) => parseInt(g, 16))];
}

function inV4(b: number[], net: [number, number, number, number], bits: number): boolean {
  let left = bits;
  for (let i = 0; i < 4 && left > 0; i++) {
    const take = Math.min(8, left);
    const mask = (0xff << (8 - take)) & 0xff;
    if ((b[i] & mask) !== (net[i] & mask)) return false;
    left -= take;
  }
  return true;
}

/** Not reachable on, or not meant for, the public internet (IANA special-purpose registries). */
const V4_BLOCKED: [[number, number, number, number], number, string][] = [
  [[0, 0, 0, 0], 8, 'unspecified ("this network")'],
  [[10, 0, 0, 0], 8, 'private (RFC 1918)'],
  [[100, 64, 0, 0], 10, 'shared / CGNAT (RFC 6598)'],
  [[127, 0, 0, 0], 8, 'loopback'],
  [[169, 254, 0, 0], 16, 'link-local (cloud metadata lives here)'],
  [[172, 16, 0, 0], 12, 'private (RFC 1918)'],
  [[192, 0, 0, 0], 24, 'IETF protocol assignments'],
  [[192, 0, 2, 0], 24, 'documentation'],
  [[192, 88, 99, 0], 24, '6to4 relay'],
  [[192, 168, 0, 0], 16, 'private (RFC 1918)'],
  [[198, 18, 0, 0], 15, 'benchmarking'],
  [[198, 51, 100, 0], 24, 'documentation'],
  [[203, 0, 113, 0], 24, 'documentation'],
  [[224, 0, 0, 0], 4, 'multicast'],
  [[240, 0, 0, 0], 4, 'reserved / broadcast'],
];

export interface AddressClass {
  /** Whether a webhook may be delivered to it. */
  public: boolean;
  loopback: boolean;
  /** Why not, when it is not public. */
  reason?: string;
}

function classifyV4(b: number[]): AddressClass {
  for (const [net, bits, reason] of V4_BLOCKED) if (inV4(b, net, bits)) return { public: false, loopback: b[0] === 127, reason };
  return { public: true, loopback: false };
}

/** Classifies an IP literal (IPv4 dotted, IPv6 with or without brackets); null when it is not one. */
export function classifyAddress(ip: string): AddressClass | null {
  const text = ip.startsWith('[') && ip.endsWith(']') ? ip.slice(1, -1) : ip;
  const v4 = ipv4Bytes(text);
  if (v4) return classifyV4(v4);
  const g = ipv6Groups(text);
  if (!g) return null;
  const embedded = (): number[] => [g[6] >> 8, g[6] & 0xff, g[7] >> 8, g[7] & 0xff];
  if (g.every((x) => x === 0)) return { public: false, loopback: false, reason: 'unspecified' };
  if (g.slice(0, 7).every((x) => x === 0) && g[7] === 1) return { public: false, loopback: true, reason: 'loopback' };
  // ::ffff:a.b.c.d (mapped), 64:ff9b::a.b.c.d (NAT64): judged by the IPv4 address inside.
  if (g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff) return classifyV4(embedded());
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0)) return classifyV4(embedded());
  if ((g[0] & 0xfe00) === 0xfc00) return { public: false, loopback: false, reason: 'unique local (IPv6 private)' };
  if ((g[0] & 0xffc0) === 0xfe80) return { public: false, loopback: false, reason: 'link-local' };
  if ((g[0] & 0xffc0) === 0xfec0) return { public: false, loopback: false, reason: 'site-local (deprecated private)' };
  if ((g[0] & 0xff00) === 0xff00) return { public: false, loopback: false, reason: 'multicast' };
  if (g[0] === 0x2001 && g[1] === 0x0db8) return { public: false, loopback: false, reason: 'documentation' };
  if (g[0] === 0x0100 && g.slice(1, 4).every((x) => x === 0)) return { public: false, loopback: false, reason: 'discard-only' };
  // 6to4 (2002::/16) carries an IPv4 address in groups 1-2.
  if (g[0] === 0x2002) return classifyV4([g[1] >> 8, g[1] & 0xff, g[2] >> 8, g[2] & 0xff]);
  // Other ::/96 (IPv4-compatible, deprecated) forms.
  if (g.slice(0, 6).every((x) => x === 0)) return { public: false, loopback: false, reason: 'IPv4-compatible (deprecated)' };
  return { public: true, loopback: false };
}

/** Whether an address may receive deliveries under the policy; the refusal's reason otherwise. */
export function addressRefusal(ip: string, policy: WebhookUrlPolicy): string | null {
  const c = classifyAddress(ip);
  if (!c) return `"${ip}" is not an IP address`;
  if (c.public) return null;
  if (c.loopback && policy.allowLoopback) return null;
  return `${ip} is a ${c.reason} address`;
}

function isLocalName(host: string): boolean {
  return host === 'localhost' || host.endsWith('.localhost');
}

/** The URL parsed and checked without name resolution (scheme, credentials, IP literals, localhost). */
export function parseWebhookUrl(raw: string, policy: WebhookUrlPolicy): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw invalidWebhookUrl(`webhook "${raw.slice(0, 100)}" is not an absolute URL.`);
  }
  const schemes = policy.allowLoopback ? ['https:', 'http:'] : ['https:'];
  if (!schemes.includes(url.protocol)) {
    throw invalidWebhookUrl(`webhook must be an ${policy.allowLoopback ? 'http(s)' : 'https'} URL (got ${url.protocol.replace(/:$/, '')}:).`);
  }
  if (url.username || url.password) throw invalidWebhookUrl('webhook must not carry a user name or password.', 'Authenticate deliveries by their signature (webhook-signature header) instead of credentials in the URL.');
  if (url.hash) throw invalidWebhookUrl('webhook must not have a #fragment.');
  // new URL() normalises IPv4 spellings (0x7f.1, 2130706433, 127.1) to dotted form, so they are caught here.
  const host = url.hostname.toLowerCase();
  if (isLocalName(host)) {
    if (!policy.allowLoopback) throw invalidWebhookUrl(`webhook host ${host} is this machine (loopback).`);
    return url;
  }
  const literal = classifyAddress(host);
  if (literal) {
    const why = addressRefusal(host, policy);
    if (why) throw invalidWebhookUrl(`webhook host ${why}; deliveries go only to public addresses.`);
  }
  if (url.protocol === 'http:' && !literal?.loopback) {
    throw invalidWebhookUrl(`webhook must be an https URL (http is allowed in local mode for loopback receivers only).`);
  }
  return url;
}

/**
 * The full check: parse, then resolve a host name and refuse it if any address it resolves to
 * is refused (a name with one private answer among public ones could be steered to it).
 * Without `resolve` (an edge runtime) the deliverer's own check before each attempt remains.
 */
export async function checkWebhookUrl(raw: string, policy: WebhookUrlPolicy, resolve?: ResolveHost): Promise<URL> {
  const url = parseWebhookUrl(raw, policy);
  const host = url.hostname.toLowerCase();
  if (!resolve || classifyAddress(host) || isLocalName(host)) return url;
  let addresses: string[];
  try {
    addresses = await resolve(host);
  } catch (e) {
    const code = (e as { code?: string }).code;
    throw invalidWebhookUrl(`webhook host ${host} does not resolve${code ? ` (${code})` : ''}.`, 'Check the host name; if it was just created, retry once its DNS record is visible.');
  }
  if (addresses.length === 0) throw invalidWebhookUrl(`webhook host ${host} has no address.`);
  for (const a of addresses) {
    const why = addressRefusal(a, policy);
    if (why) throw invalidWebhookUrl(`webhook host ${host} resolves to ${why}; deliveries go only to public addresses.`);
  }
  return url;
}
