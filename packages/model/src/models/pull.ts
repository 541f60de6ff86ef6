/**
 * `promptseg models pull sam3`: fetch a variant's files from a source into a staging folder
 * (resumable, checked), then install them by writing the manifest. A failure at any point leaves
 * the previous install untouched and the finished/partial files in staging for the next run.
 */
import { createHash } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, stat, statfs, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PromptsegError } from '@promptseg/shared';
import { resolveSource, resolveVariant, sam3Files, type Sam3Variant, type Source } from './catalogue.js';
import { downloadFile, fsError } from './download.js';
import { fetchPublishedSums, probeRemote, type RemoteFile, type RemoteOptions } from './remote.js';
import { filesDirOf, ModelStore, type ManifestFile, type ModelId, type ModelManifest } from './store.js';

export type PullEvent =
  | { type: 'plan'; files: { name: string; size: number }[]; totalBytes: number; haveBytes: number }
  | { type: 'progress'; file: string; received: number; total: number; overallReceived: number; overallTotal: number }
  | { type: 'file-done'; file: string; checksum: 'published' | 'computed' }
  | { type: 'skip'; file: string; reason: string };

export interface PullOptions extends RemoteOptions {
  model?: ModelId;
  variant?: string;
  source?: string;
  /** PROMPTSEG_HOME (default from the environment). */
  home?: string;
  retries?: number;
  retryDelayMs?: number;
  onEvent?: (e: PullEvent) => void;
  /** Free bytes on the disk holding `dir` (tests pass their own). */
  freeBytes?: (dir: string) => Promise<number>;
}

export interface PullReport {
  model: ModelId;
  variant: Sam3Variant;
  source: string;
  /** Folder holding the installed files. */
  dir: string;
  files: ManifestFile[];
  downloadedBytes: number;
  resumedBytes: number;
  alreadyInstalled: boolean;
}

interface DoneEntry { size: number; sha256: string; checksum: 'published' | 'computed' }

export async function pullModel(opts: PullOptions = {}): Promise<PullReport> {
  const model = opts.model ?? 'sam3';
  const source = resolveSource(opts.source);
  const variant = resolveVariant(source, opts.variant);
  const store = new ModelStore(opts.home);
  const modelDir = store.modelDir(model);

  const current = await store.status(model);
  if (current.installed && current.manifest.variant === variant && current.manifest.source === source.id) {
    return { model, variant, source: source.id, dir: current.dir, files: current.manifest.files, downloadedBytes: 0, resumedBytes: 0, alreadyInstalled: true };
  }

  const staging = join(modelDir, `.staging-${variant}-${createHash('sha256').update(source.id).digest('hex').slice(0, 8)}`);
  try {
    await mkdir(staging, { recursive: true });
  } catch (e) {
    throw fsError(e, staging);
  }
  const unlock = await lock(staging);
  try {
    const remotes = await plan(source, variant, opts);
    const done = await readDone(staging);
    const have = await Promise.all(remotes.map(async (r) => {
      if (done[r.name]?.size === r.size && (await stat(join(staging, r.name)).catch(() => null))?.size === r.size) return r.size;
      return (await stat(join(staging, `${r.name}.partial`)).catch(() => null))?.size ?? 0;
    }));
    const totalBytes = remotes.reduce((a, r) => a + r.size, 0);
    const haveBytes = have.reduce((a, b) => a + b, 0);
    opts.onEvent?.({ type: 'plan', files: remotes.map((r) => ({ name: r.name, size: r.size })), totalBytes, haveBytes });
    await checkSpace(staging, totalBytes - haveBytes, opts.freeBytes);

    let overall = haveBytes, downloaded = 0, resumed = 0;
    const files: ManifestFile[] = [];
    for (const [i, r] of remotes.entries()) {
      const prior = done[r.name];
      const onDisk = (await stat(join(staging, r.name)).catch(() => null))?.size;
      if (prior && prior.size === r.size && onDisk === r.size && (!r.sha256 || r.sha256 === prior.sha256)) {
        files.push({ name: r.name, size: r.size, sha256: prior.sha256, checksum: prior.checksum });
        opts.onEvent?.({ type: 'file-done', file: r.name, checksum: prior.checksum });
        continue;
      }
      const before = overall - have[i];
      const d = await downloadFile(r, staging, {
        retries: opts.retries,
        retryDelayMs: opts.retryDelayMs,
        onProgress: (p) => {
          overall = before + p.received;
          opts.onEvent?.({ type: 'progress', file: p.file, received: p.received, total: p.total, overallReceived: overall, overallTotal: totalBytes });
        },
      });
      downloaded += d.size - d.resumedFrom;
      resumed += d.resumedFrom;
      done[r.name] = { size: d.size, sha256: d.sha256, checksum: d.checksum };
      await writeDone(staging, done);
      files.push({ name: r.name, size: d.size, sha256: d.sha256, checksum: d.checksum });
      opts.onEvent?.({ type: 'file-done', file: r.name, checksum: d.checksum });
    }

    // Install: move staging into place, then commit by writing the manifest.
    const dirName = `${variant}-${Date.now()}`;
    await rm(join(staging, DONE), { force: true });
    await unlock();
    await rename(staging, join(modelDir, dirName));
    const previous = await store.readManifest(model).catch(() => null);
    const now = new Date().toISOString();
    const manifest: ModelManifest = { schema: 1, model, variant, source: source.id, naming: source.naming, dir: dirName, registered: false, files, installed_at: now, verified_at: now };
    await store.writeManifest(model, manifest);
    if (previous && !previous.registered && previous.dir !== dirName) await rm(filesDirOf(modelDir, previous), { recursive: true, force: true });
    return { model, variant, source: source.id, dir: join(modelDir, dirName), files, downloadedBytes: downloaded, resumedBytes: resumed, alreadyInstalled: false };
  } finally {
    await unlock();
  }
}

/** Probes every file of the variant: required ones must exist; published checksums are attached. */
async function plan(source: Source, variant: Sam3Variant, opts: PullOptions): Promise<RemoteFile[]> {
  const specs = sam3Files(source.naming, variant);
  const sums = await fetchPublishedSums(source, opts);
  const remotes: RemoteFile[] = [];
  for (const spec of specs) {
    const r = await probeRemote(source, spec.name, opts);
    if (!r) {
      if (spec.required) {
        throw new PromptsegError('download_failed', `The source ${source.id} has no ${spec.name} (HTTP 404), so the ${variant} variant cannot be installed from it.`, `Check --variant (this source should have: ${source.variants.join(', ')}) and --source; or download the files yourself and use --from DIR.`);
      }
      opts.onEvent?.({ type: 'skip', file: spec.name, reason: 'not published by the source' });
      continue;
    }
    const published = sums.get(spec.name);
    remotes.push(published ? { ...r, sha256: published } : r);
  }
  return remotes;
}

async function checkSpace(dir: string, need: number, freeBytes?: (dir: string) => Promise<number>): Promise<void> {
  const free = freeBytes ? await freeBytes(dir) : await statfs(dir).then((s) => s.bavail * s.bsize).catch(() => Infinity);
  if (need > free) {
    const gb = (n: number) => `${(n / 1e9).toFixed(2)} GB`;
    throw new PromptsegError('disk_full', `Not enough disk space: the download needs ${gb(need)} more, ${dir} has ${gb(free)} free.`, 'Free some space or set PROMPTSEG_HOME to a folder on a larger disk, then rerun.', { need, free });
  }
}

const DONE = '.done.json';

async function readDone(staging: string): Promise<Record<string, DoneEntry>> {
  try {
    return JSON.parse(await readFile(join(staging, DONE), 'utf8')) as Record<string, DoneEntry>;
  } catch {
    return {};
  }
}

async function writeDone(staging: string, done: Record<string, DoneEntry>): Promise<void> {
  const tmp = join(staging, `${DONE}.tmp`);
  await writeFile(tmp, JSON.stringify(done));
  await rename(tmp, join(staging, DONE));
}

/** One pull per staging folder at a time; a lock left by a dead process is taken over. */
async function lock(staging: string): Promise<() => Promise<void>> {
  const path = join(staging, '.lock');
  for (let tries = 0; tries < 2; tries++) {
    try {
      const fh = await open(path, 'wx');
      await fh.writeFile(String(process.pid));
      await fh.close();
      let released = false;
      return async () => {
        if (released) return;
        released = true;
        await rm(path, { force: true });
      };
    } catch (e) {
      if ((e as { code?: string }).code !== 'EEXIST') throw fsError(e, path);
      const pid = Number(await readFile(path, 'utf8').catch(() => ''));
      if (pid && pid !== process.pid && isAlive(pid)) {
        throw new PromptsegError('conflict', `Another promptseg process (pid ${pid}) is downloading into ${staging}.`, 'Wait for it to finish, or stop it and rerun.');
      }
      await rm(path, { force: true });
    }
  }
  throw new PromptsegError('conflict', `Could not lock ${staging}.`, 'Rerun the pull.');
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as { code?: string }).code === 'EPERM';
  }
}
