/**
 * Ids, secrets and hashes with Web Crypto only (edge-safe). Ids are unguessable (>= 128 random
 * bits) because knowing a job id must not be enough to find another tenant's work.
 */

const B32 = 'abcdefghijklmnopqrstuvwxyz234567';

function base32(bytes: Uint8Array): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += B32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += B32[(value << (5 - bits)) & 31];
  return out;
}

function base64url(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function randomBytes(n: number): Uint8Array {
  const b = new Uint8Array(n);
  crypto.getRandomValues(b);
  return b;
}

/** `prefix_` + 26 base32 chars (130 bits, 128 of them random). */
export function randomId(prefix: string): string {
  return `${prefix}_${base32(randomBytes(16))}`;
}

export function randomSecret(bytes = 32): string {
  return base64url(randomBytes(bytes));
}

export function toHex(bytes: ArrayBuffer | Uint8Array): string {
  const u = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  let s = '';
  for (const b of u) s += b.toString(16).padStart(2, '0');
  return s;
}

const enc = new TextEncoder();

export async function hmacSha256(secret: string, message: string): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey('raw', enc.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return new Uint8Array(await crypto.subtle.sign('HMAC', key, enc.encode(message)));
}

export async function hmacHex(secret: string, message: string): Promise<string> {
  return toHex(await hmacSha256(secret, message));
}

export async function sha256Hex(message: string | Uint8Array): Promise<string> {
  const data = typeof message === 'string' ? enc.encode(message) : new Uint8Array(message);
  return toHex(await crypto.subtle.digest('SHA-256', data));
}

/**
 * A job id derived from (tenant, Idempotency-Key) with the server's secret: a retried request
 * maps to the same job without a lookup table, and the id stays unguessable to anyone else.
 */
export async function idempotentId(prefix: string, secret: string, tenant: string, idempotencyKey: string): Promise<string> {
  const mac = await hmacSha256(secret, `idempotency\n${tenant}\n${idempotencyKey}`);
  return `${prefix}_${base32(mac.subarray(0, 16))}`;
}
