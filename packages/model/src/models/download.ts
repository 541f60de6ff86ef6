/**
 * Downloads one remote file into a folder as `<name>.partial`, resuming from the bytes already
 * there (HTTP Range), retrying dropped connections, hashing as it writes, and renaming to
 * `<name>` only when the size and (when published) the sha256 match. A mismatch deletes the
 * partial file: nothing wrong is ever left under the final name.
 */
import { createHash, type Hash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { rename, rm, stat, truncate } from 'node:fs/promises';
import { join } from 'node:path';
import { PromptsegError } from '@promptseg/shared';
import { networkError, type RemoteFile } from './remote.js';

export interface DownloadProgress {
  file: string;
  /** Bytes of this file on disk so far (resumed bytes included). */
  received: number;
  total: number;
}

export interface DownloadOptions {
  /** Extra attempts after a dropped connection; each resumes from the bytes on disk. */
  retries?: number;
  retryDelayMs?: number;
  onProgress?: (p: DownloadProgress) => void;
}

export interface Downloaded {
  path: string;
  size: number;
  sha256: string;
  checksum: 'published' | 'computed';
  /** Bytes that were already on disk from an earlier, interrupted run. */
  resumedFrom: number;
}

export async function downloadFile(remote: RemoteFile, dir: string, opts: DownloadOptions = {}): Promise<Downloaded> {
  const partial = join(dir, `${remote.name}.partial`);
  const final = join(dir, remote.name);
  const retries = opts.retries ?? 3;
  let resumedFrom = -1;
  for (let attempt = 0; ; attempt++) {
    // Start (or restart after a drop) from what is on disk, re-hashing it so the checksum covers the whole file.
    let have = (await stat(partial).catch(() => null))?.size ?? 0;
    if (have > remote.size) { await rm(partial, { force: true }); have = 0; }
    if (resumedFrom < 0) resumedFrom = have;
    const hash = createHash('sha256');
    if (have > 0) for await (const chunk of createReadStream(partial)) hash.update(chunk as Buffer);
    try {
      if (have < remote.size) have = await appendFrom(remote, partial, have, hash, opts);
    } catch (e) {
      const err = e instanceof PromptsegError ? e : networkError(e, remote.url);
      if (err.code !== 'network_unavailable') throw err;
      if (attempt >= retries) {
        const kept = (await stat(partial).catch(() => null))?.size ?? 0;
        throw new PromptsegError(err.code, `${err.message} ${remote.name}: ${kept} of ${remote.size} bytes kept.`, err.hint, err.details);
      }
      await new Promise((r) => setTimeout(r, (opts.retryDelayMs ?? 1000) * (attempt + 1)));
      continue;
    }
    return finish(remote, partial, final, have, hash.digest('hex'), resumedFrom);
  }
}

async function finish(remote: RemoteFile, partial: string, final: string, have: number, sha256: string, resumedFrom: number): Promise<Downloaded> {
  if (have !== remote.size) {
    await rm(partial, { force: true });
    throw new PromptsegError('download_failed', `${remote.name} has ${have} bytes, the source announced ${remote.size}.`, 'Rerun the pull; if it happens again the source changed while downloading.');
  }
  if (remote.sha256 && remote.sha256 !== sha256) {
    await rm(partial, { force: true });
    throw new PromptsegError('checksum_mismatch', `${remote.name} does not match the published checksum (sha256 ${sha256.slice(0, 16)}…, expected ${remote.sha256.slice(0, 16)}…); it was deleted and nothing was installed.`, 'Rerun the pull to download it again; if it fails again the source or a proxy serves a different file.', { file: remote.name, expected: remote.sha256, actual: sha256 });
  }
  await rename(partial, final);
  return { path: final, size: have, sha256, checksum: remote.sha256 ? 'published' : 'computed', resumedFrom };
}

/** Streams from `offset` to the end of the file, appending to `partial`; returns the new size. */
async function appendFrom(remote: RemoteFile, partial: string, offset: number, hash: Hash, opts: DownloadOptions): Promise<number> {
  const { stream, restarted } = await remote.open(offset);
  if (restarted && offset > 0) {
    // The server ignored the Range header: start over rather than append a second copy.
    await truncate(partial, 0);
    throw new PromptsegError('network_unavailable', `The server does not support resuming ${remote.name}.`, 'Rerun to download it from the start.');
  }
  let have = offset;
  const out = createWriteStream(partial, { flags: 'a' });
  const failed = new Promise<never>((_, reject) => out.on('error', (e) => reject(fsError(e, partial))));
  failed.catch(() => undefined);
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await Promise.race([reader.read(), failed]);
      if (done) break;
      if (have + value.byteLength > remote.size) throw new PromptsegError('download_failed', `${remote.name} is larger than the ${remote.size} bytes the source announced.`, 'Rerun the pull; the source may have changed.');
      hash.update(value);
      have += value.byteLength;
      if (!out.write(value)) await Promise.race([new Promise<void>((r) => out.once('drain', () => r())), failed]);
      opts.onProgress?.({ file: remote.name, received: have, total: remote.size });
    }
  } catch (e) {
    reader.cancel().catch(() => undefined);
    throw e;
  } finally {
    await Promise.race([new Promise<void>((r) => out.end(() => r())), failed]);
  }
  return have;
}

export function fsError(e: unknown, path: string): PromptsegError {
  const code = (e as { code?: string })?.code;
  if (code === 'ENOSPC' || code === 'EDQUOT') {
    return new PromptsegError('disk_full', `The disk is full while writing ${path}.`, 'Free some space (or point PROMPTSEG_HOME at a larger disk) and rerun: the partial download is kept and resumes.');
  }
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
    return new PromptsegError('storage_unavailable', `Cannot write ${path} (${code}).`, 'Point PROMPTSEG_HOME at a folder you can write to.');
  }
  return new PromptsegError('internal', `Writing ${path} failed: ${(e as Error)?.message ?? e}.`, 'Check the disk and rerun.');
}
