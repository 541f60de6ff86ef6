/**
 * Model files for the hosted inference function: copy a model folder (manifest.json + files, as
 * `models pull` lays it out) from an S3 prefix to local disk, once per warm container. Objects
 * already on disk with the same size and ETag are not fetched again (a container's /tmp
 * survives between warm invocations); each file is written as `.partial` and renamed, and a
 * marker written last records what was copied, so an interrupted copy is never mistaken for a
 * complete one.
 */
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { PromptsegError } from '@promptseg/shared';
import { fsError } from './download.js';

export interface S3SyncOptions {
  client: S3Client;
  bucket: string;
  /** Key prefix of the model folder, e.g. "models/sam3/" (the folder holding manifest.json). */
  prefix: string;
  /** Local folder to mirror it into, e.g. "/tmp/promptseg/models/sam3". */
  localDir: string;
}

export interface S3SyncReport {
  localDir: string;
  copied: string[];
  skipped: string[];
  bytes: number;
}

interface Marker { [relPath: string]: { size: number; etag: string } }
const MARKER = '.s3-sync.json';

export async function syncModelFromS3(o: S3SyncOptions): Promise<S3SyncReport> {
  const prefix = o.prefix === '' || o.prefix.endsWith('/') ? o.prefix : `${o.prefix}/`;
  const root = resolve(o.localDir);
  const objects = await listAll(o.client, o.bucket, prefix);
  if (!objects.some((x) => x.key === `${prefix}manifest.json`)) {
    throw new PromptsegError('model_missing', `s3://${o.bucket}/${prefix} has no manifest.json.`, 'Upload a whole model folder (PROMPTSEG_HOME/models/sam3, as `promptseg models pull sam3` leaves it) to that prefix.');
  }
  await mkdir(root, { recursive: true }).catch((e) => { throw fsError(e, root); });
  const previous: Marker = await readFile(join(root, MARKER), 'utf8').then((t) => JSON.parse(t) as Marker).catch(() => ({}));
  const marker: Marker = {};
  const report: S3SyncReport = { localDir: root, copied: [], skipped: [], bytes: 0 };
  // The manifest last: a reader that sees it sees every file it lists.
  const isManifest = (k: string) => k === `${prefix}manifest.json`;
  const ordered = [...objects.filter((x) => !isManifest(x.key)), ...objects.filter((x) => isManifest(x.key))];
  for (const obj of ordered) {
    const rel = obj.key.slice(prefix.length);
    if (!rel || rel.endsWith('/')) continue;
    const dest = resolve(root, rel);
    if (!dest.startsWith(root + sep)) continue; // never write outside localDir ("../" in a key)
    const onDisk = await stat(dest).catch(() => null);
    if (onDisk?.size === obj.size && previous[rel]?.etag === obj.etag) {
      marker[rel] = previous[rel];
      report.skipped.push(rel);
      continue;
    }
    await mkdir(dirname(dest), { recursive: true });
    const res = await o.client.send(new GetObjectCommand({ Bucket: o.bucket, Key: obj.key }));
    if (!res.Body) throw new PromptsegError('storage_unavailable', `s3://${o.bucket}/${obj.key} came back empty.`, 'Check the object in the bucket.');
    const partial = `${dest}.partial`;
    try {
      await pipeline(res.Body as Readable, createWriteStream(partial));
    } catch (e) {
      await rm(partial, { force: true });
      const code = (e as { code?: string }).code;
      if (code === 'ENOSPC' || code === 'EDQUOT' || code === 'EACCES' || code === 'EROFS') throw fsError(e, partial);
      throw new PromptsegError('storage_unavailable', `Copying s3://${o.bucket}/${obj.key} failed: ${(e as Error).message}.`, 'Retry; the copy resumes with the files not yet on disk.');
    }
    const got = (await stat(partial)).size;
    if (got !== obj.size) {
      await rm(partial, { force: true });
      throw new PromptsegError('storage_unavailable', `s3://${o.bucket}/${obj.key} arrived with ${got} of ${obj.size} bytes.`, 'Retry the invocation.');
    }
    await rename(partial, dest);
    marker[rel] = { size: obj.size, etag: obj.etag };
    report.copied.push(rel);
    report.bytes += obj.size;
  }
  await writeFile(join(root, MARKER), JSON.stringify(marker));
  // Files an earlier copy brought that the prefix no longer has (e.g. another variant): free the disk.
  for (const rel of Object.keys(previous)) if (!marker[rel]) await rm(resolve(root, rel), { force: true });
  return report;
}

async function listAll(client: S3Client, bucket: string, prefix: string): Promise<{ key: string; size: number; etag: string }[]> {
  const out: { key: string; size: number; etag: string }[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
    for (const c of page.Contents ?? []) if (c.Key) out.push({ key: c.Key, size: c.Size ?? 0, etag: c.ETag ?? '' });
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return out;
}

const once = new Map<string, Promise<S3SyncReport>>();

/**
 * The same copy, at most once per process for a given bucket/prefix/folder (the warm container);
 * concurrent callers share it. A failed copy is forgotten so the next invocation retries.
 */
export function syncModelFromS3Once(o: S3SyncOptions): Promise<S3SyncReport> {
  const key = `${o.bucket}\0${o.prefix}\0${resolve(o.localDir)}`;
  let p = once.get(key);
  if (!p) {
    p = syncModelFromS3(o).catch((e) => { once.delete(key); throw e; });
    once.set(key, p);
  }
  return p;
}
