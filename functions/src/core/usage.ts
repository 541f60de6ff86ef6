/**
 * Metering for pay-per-call, in S3 objects with deterministic keys:
 *
 *   usage/<tenant>/<YYYY-MM-DD>/<event id>.<key id>.<engine>.<kind>.event   one accepted call
 *   usage/<tenant>/<YYYY-MM-DD>/<event id>.<key id>.<engine>.<kind>.void    that call is not billed
 *   usage/<tenant>/<YYYY-MM-DD>/<event id>.<key id>.<engine>.<kind>.video-<N>  a video job: N seconds of video
 *
 * The event id is the job id, so writing an event twice (a retried request, a replayed
 * Idempotency-Key, a crashed API process retrying) lands on the same object: billed once. The
 * event is written BEFORE the API answers 202/200, so an accepted call is never lost. A failure
 * on our side (5xx codes: storage, inference, timeouts) writes the `.void` marker next to it.
 * Everything the bill needs is in the object names, so usage is one listing, no reads.
 *
 * Video jobs are billed per second of video processed: the sampled span (frames / sampling
 * rate), rounded up to whole seconds per job, at least 1. The inference function writes the
 * `video-<N>` marker once it has planned the clip, before any segment runs; N comes from the plan,
 * which is stored in the job record the first time, so a retried attempt writes the same object
 * (billed once). The job's `.void` (an unbilled failure, a cancellation) voids its seconds too.
 */
import type { ObjectStore } from './objects.js';

export type UsageKind = 'job' | 'sync';

export interface UsageRef {
  tenant: string;
  keyId: string;
  eventId: string;
  /** UTC day the call was accepted (YYYY-MM-DD). */
  day: string;
  /** Engine the caller asked for (lite, sam3, auto): the price tier. */
  engine: string;
  kind: UsageKind;
}

export const utcDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
export const utcMonth = (ms: number): string => new Date(ms).toISOString().slice(0, 7);

const base = (r: UsageRef) => `usage/${r.tenant}/${r.day}/${r.eventId}.${r.keyId}.${r.engine}.${r.kind}`;
export const eventKey = (r: UsageRef) => `${base(r)}.event`;
export const voidKey = (r: UsageRef) => `${base(r)}.void`;

export async function recordEvent(store: ObjectStore, ref: UsageRef, details: Record<string, unknown> = {}): Promise<void> {
  await store.putJson(eventKey(ref), { ...ref, ...details, recorded_at: new Date().toISOString() });
}

export const videoSecondsKey = (r: UsageRef, seconds: number) => `${base(r)}.video-${seconds}`;

/** Records the seconds of video a job processes (idempotent: the same plan gives the same key). */
export async function recordVideoSeconds(store: ObjectStore, ref: UsageRef, seconds: number): Promise<void> {
  await store.putJson(videoSecondsKey(ref, seconds), { ...ref, seconds, recorded_at: new Date().toISOString() });
}

/** Whole seconds billed for a span of video (rounded up, at least 1). */
export const billedVideoSeconds = (spanS: number): number => Math.max(1, Math.ceil(spanS - 1e-6));

export async function voidEvent(store: ObjectStore, ref: UsageRef, reason: string): Promise<void> {
  await store.putJson(voidKey(ref), { ...ref, reason, voided_at: new Date().toISOString() });
}

interface ParsedName {
  day: string;
  eventId: string;
  keyId: string;
  engine: string;
  kind: UsageKind;
  marker: 'event' | 'void' | 'video';
  seconds: number;
}

function parseName(key: string): ParsedName | null {
  const m = /^usage\/[^/]+\/(\d{4}-\d{2}-\d{2})\/([^.]+)\.([^.]+)\.([^.]+)\.(job|sync)\.(event|void|video-(\d+))$/.exec(key);
  if (!m) return null;
  const marker = m[7] !== undefined ? 'video' : (m[6] as 'event' | 'void');
  return { day: m[1], eventId: m[2], keyId: m[3], engine: m[4], kind: m[5] as UsageKind, marker, seconds: m[7] !== undefined ? Number(m[7]) : 0 };
}

export interface UsageRow {
  day: string;
  engine: string;
  kind: UsageKind;
  accepted: number;
  voided: number;
  billable: number;
  /** Seconds of video billed (non-voided video jobs). */
  video_seconds: number;
}

/** Accepted / voided / billable calls per (day, engine, kind) for days in [from, to]. */
export async function summarizeUsage(store: ObjectStore, tenant: string, from: string, to: string, keyId?: string): Promise<UsageRow[]> {
  const events = new Map<string, ParsedName>();
  const voids = new Set<string>();
  const seconds = new Map<string, number>();
  const prefix = `usage/${tenant}/`;
  // Days sort lexically: every key of day `from` sorts after "<prefix><from>", and we stop past `to`.
  for await (const o of store.list(prefix, `${prefix}${from}`)) {
    const p = parseName(o.key);
    if (!p) continue;
    if (p.day > to) break;
    if (p.day < from || (keyId && p.keyId !== keyId)) continue;
    const id = `${p.day}/${p.eventId}`;
    if (p.marker === 'void') voids.add(id);
    else if (p.marker === 'video') seconds.set(id, Math.max(seconds.get(id) ?? 0, p.seconds));
    else events.set(id, p);
  }
  // A void counts only against its own event (a void whose event was never written voids nothing).
  const rows = new Map<string, UsageRow>();
  for (const [id, p] of events) {
    const rk = `${p.day}|${p.engine}|${p.kind}`;
    const row = rows.get(rk) ?? { day: p.day, engine: p.engine, kind: p.kind, accepted: 0, voided: 0, billable: 0, video_seconds: 0 };
    row.accepted++;
    if (voids.has(id)) row.voided++;
    else {
      row.billable++;
      // (one plan per job, so one marker; max() guards against a hand-written second one)
      row.video_seconds += seconds.get(id) ?? 0;
    }
    rows.set(rk, row);
  }
  return [...rows.values()].sort((a, b) => a.day.localeCompare(b.day) || a.engine.localeCompare(b.engine) || a.kind.localeCompare(b.kind));
}

/** Billable calls of one key in a UTC month (YYYY-MM): what the quota is checked against. */
export async function monthlyBillable(store: ObjectStore, tenant: string, month: string, keyId?: string): Promise<number> {
  const rows = await summarizeUsage(store, tenant, `${month}-01`, `${month}-31`, keyId);
  return rows.reduce((n, r) => n + r.billable, 0);
}
