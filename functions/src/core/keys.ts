/**
 * API keys. A key is `psk_<key id>_<secret>`; the store keeps only HMAC-SHA256(pepper, key) at
 * `keys/<key id>.json`, looked up by the public key id and compared in constant time. Each key
 * belongs to one tenant; quota and rate limit live on the key. Used by the API (verify) and the
 * admin CLI (create, list, revoke).
 */
import { timingSafeEqual } from 'hono/utils/buffer';
import { PromptsegError } from '@promptseg/shared';
import { hmacHex, randomBytes, randomSecret } from './ids.js';
import type { ObjectStore } from './objects.js';

export interface KeyRecord {
  key_id: string;
  tenant: string;
  name: string;
  /** hex HMAC-SHA256(pepper, full key). */
  hash: string;
  created_at: string;
  revoked_at?: string;
  /** Billable calls per UTC calendar month; null = the server default. */
  quota_monthly: number | null;
  /** Requests per minute; null = the server default. */
  rate_limit_per_min: number | null;
}

export type PublicKeyRecord = Omit<KeyRecord, 'hash'>;

export const TENANT_PATTERN = /^[a-z0-9][a-z0-9_-]{0,62}$/;
const KEY_PATTERN = /^psk_([a-z0-9]{16})_([A-Za-z0-9_-]{43})$/;

const keyPath = (keyId: string) => `keys/${keyId}.json`;

function keyId(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  return Array.from(randomBytes(16), (b) => alphabet[b % 36]).join('');
}

export interface CreateKeyInput {
  tenant: string;
  name?: string;
  quotaMonthly?: number | null;
  rateLimitPerMin?: number | null;
}

export function checkTenant(tenant: string): void {
  if (!TENANT_PATTERN.test(tenant)) {
    throw new PromptsegError('invalid_option', `Tenant "${tenant}" is not a valid tenant id.`, 'Use 1-63 lower-case letters, digits, "-" or "_", starting with a letter or digit.');
  }
}

/** Creates a key; the plaintext is returned once and never stored. */
export async function createKey(store: ObjectStore, pepper: string, input: CreateKeyInput): Promise<{ key: string; record: PublicKeyRecord }> {
  checkTenant(input.tenant);
  const id = keyId();
  const key = `psk_${id}_${randomSecret(32)}`;
  const record: KeyRecord = {
    key_id: id,
    tenant: input.tenant,
    name: input.name ?? '',
    hash: await hmacHex(pepper, key),
    created_at: new Date().toISOString(),
    quota_monthly: input.quotaMonthly ?? null,
    rate_limit_per_min: input.rateLimitPerMin ?? null,
  };
  const put = await store.putJson(keyPath(id), record, { ifNoneMatch: true });
  if (!put) throw new PromptsegError('conflict', 'A key id collided while creating the key.', 'Run the command again.');
  return { key, record: publicRecord(record) };
}

export function publicRecord(r: KeyRecord): PublicKeyRecord {
  const { hash: _hash, ...rest } = r;
  return rest;
}

const unauthorized = (message: string, hint: string) => new PromptsegError('unauthorized', message, hint);

/** The key record of a presented key, or an `unauthorized` error saying why. */
export async function verifyKey(store: ObjectStore, pepper: string, presented: string): Promise<KeyRecord> {
  const m = KEY_PATTERN.exec(presented);
  if (!m) throw unauthorized('The API key is malformed.', 'Send "Authorization: Bearer psk_…" with a key from `promptseg keys create` (local mode prints a dev key on start).');
  const found = await store.getJson<KeyRecord>(keyPath(m[1]));
  const hash = await hmacHex(pepper, presented);
  // Compare even when the record is missing so timing does not reveal which key ids exist.
  const stored = found?.value.hash ?? '0'.repeat(64);
  const same = await timingSafeEqual(hash, stored);
  if (!found || !same) throw unauthorized('The API key is not valid.', 'Check for a typo, or create a new key with `promptseg keys create`.');
  if (found.value.revoked_at) throw unauthorized(`The API key was revoked on ${found.value.revoked_at}.`, 'Create a new key with `promptseg keys create`.');
  return found.value;
}

export async function getKey(store: ObjectStore, id: string): Promise<KeyRecord | null> {
  return (await store.getJson<KeyRecord>(keyPath(id)))?.value ?? null;
}

export async function listKeys(store: ObjectStore, tenant?: string): Promise<PublicKeyRecord[]> {
  const out: PublicKeyRecord[] = [];
  for await (const o of store.list('keys/')) {
    const r = await store.getJson<KeyRecord>(o.key);
    if (r && (!tenant || r.value.tenant === tenant)) out.push(publicRecord(r.value));
  }
  return out.sort((a, b) => a.created_at.localeCompare(b.created_at));
}

/** Revokes a key (idempotent); returns the record, or null when no such key exists. */
export async function revokeKey(store: ObjectStore, id: string): Promise<PublicKeyRecord | null> {
  for (let i = 0; i < 5; i++) {
    const cur = await store.getJson<KeyRecord>(keyPath(id));
    if (!cur) return null;
    if (cur.value.revoked_at) return publicRecord(cur.value);
    const next = { ...cur.value, revoked_at: new Date().toISOString() };
    if (await store.putJson(keyPath(id), next, { ifMatch: cur.etag })) return publicRecord(next);
  }
  throw new PromptsegError('conflict', `Key ${id} kept changing while revoking it.`, 'Run the command again.');
}

/** Accepts a key id or a full key (the admin may paste either). */
export function keyIdOf(idOrKey: string): string {
  return KEY_PATTERN.exec(idOrKey)?.[1] ?? idOrKey;
}
