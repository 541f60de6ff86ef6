/**
 * Each tenant's webhook signing secret (`whsec_` + base64 of 24 random bytes), at
 * `tenants/<tenant>/webhook-secret.json`. Unlike an API key it cannot be kept as a hash: Standard
 * Webhooks signatures are HMACs, so the deliverer needs the secret itself. It is stored
 * encrypted (AES-256-GCM, key derived with HKDF-SHA256 from PROMPTSEG_KEY_PEPPER, the tenant as
 * associated data), so a copy of the bucket alone reveals no secret and one tenant's ciphertext
 * cannot be swapped into another's record. Shown once, by POST /v1/webhooks/secret; never
 * returned again. Rotating keeps the replaced secret for ROTATION_GRACE_MS: deliveries then
 * carry both signatures (space-separated, as the spec allows), so receivers switch without a gap.
 * Changing the pepper makes every stored secret unreadable (as it invalidates every API key).
 * Edge-safe: Web Crypto only.
 */
import { PromptsegError, WEBHOOK_SECRET_PREFIX } from '@promptseg/shared';
import { randomBytes } from './ids.js';
import type { ObjectStore } from './objects.js';

export const ROTATION_GRACE_MS = 24 * 3600 * 1000;
export const webhookSecretKey = (tenant: string) => `tenants/${tenant}/webhook-secret.json`;

interface Sealed {
  iv: string;
  ciphertext: string;
}

interface SecretRecord {
  tenant: string;
  created_at: string;
  current: Sealed;
  previous?: Sealed & { valid_until: string };
}

const enc = new TextEncoder();
const dec = new TextDecoder();

function b64(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

function unb64(s: string): Uint8Array<ArrayBuffer> {
  return Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
}

async function sealingKey(pepper: string): Promise<CryptoKey> {
  const base = await crypto.subtle.importKey('raw', enc.encode(pepper), 'HKDF', false, ['deriveKey']);
  return crypto.subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt: enc.encode('promptseg'), info: enc.encode('webhook signing secrets v1') },
    base,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  );
}

async function seal(pepper: string, tenant: string, secret: string): Promise<Sealed> {
  const iv = new Uint8Array(randomBytes(12));
  const ct = await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: enc.encode(tenant) }, await sealingKey(pepper), enc.encode(secret));
  return { iv: b64(iv), ciphertext: b64(new Uint8Array(ct)) };
}

async function unseal(pepper: string, tenant: string, s: Sealed): Promise<string> {
  try {
    const pt = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: unb64(s.iv), additionalData: enc.encode(tenant) }, await sealingKey(pepper), unb64(s.ciphertext));
    return dec.decode(pt);
  } catch {
    throw new PromptsegError('internal', `The webhook signing secret of tenant ${tenant} cannot be decrypted (was PROMPTSEG_KEY_PEPPER changed?).`, 'Create a new secret with POST /v1/webhooks/secret.');
  }
}

export function newWebhookSecret(): string {
  return `${WEBHOOK_SECRET_PREFIX}${b64(randomBytes(24))}`;
}

/** Creates or rotates the tenant's secret; returns the plaintext, this one time. */
export async function rotateWebhookSecret(store: ObjectStore, pepper: string, tenant: string, now = Date.now()): Promise<{ secret: string; created_at: string; previous_valid_until: string | null }> {
  const secret = newWebhookSecret();
  for (let i = 0; i < 5; i++) {
    const cur = await store.getJson<SecretRecord>(webhookSecretKey(tenant));
    const validUntil = new Date(now + ROTATION_GRACE_MS).toISOString();
    const next: SecretRecord = {
      tenant,
      created_at: new Date(now).toISOString(),
      current: await seal(pepper, tenant, secret),
      ...(cur ? { previous: { ...cur.value.current, valid_until: validUntil } } : {}),
    };
    const put = await store.putJson(webhookSecretKey(tenant), next, cur ? { ifMatch: cur.etag } : { ifNoneMatch: true });
    if (put) return { secret, created_at: next.created_at, previous_valid_until: cur ? validUntil : null };
  }
  throw new PromptsegError('conflict', 'The webhook secret was being rotated by another request at the same time.', 'Retry once; the secret shown by the request that succeeded is the current one.');
}

export async function hasWebhookSecret(store: ObjectStore, tenant: string): Promise<boolean> {
  return (await store.head(webhookSecretKey(tenant))) !== null;
}

/** The secrets deliveries are signed with now: the current one, then the replaced one while in its grace period. Empty when none exists. */
export async function signingSecrets(store: ObjectStore, pepper: string, tenant: string, now = Date.now()): Promise<string[]> {
  const got = await store.getJson<SecretRecord>(webhookSecretKey(tenant));
  if (!got) return [];
  const out = [await unseal(pepper, tenant, got.value.current)];
  const prev = got.value.previous;
  if (prev && Date.parse(prev.valid_until) > now) out.push(await unseal(pepper, tenant, prev));
  return out;
}
