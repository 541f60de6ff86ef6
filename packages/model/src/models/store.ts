/**
 * The model store: one folder per model under PROMPTSEG_HOME (default ~/.cache/promptseg), with
 * a manifest that lists every file with its size and sha256. The manifest is the commit point of
 * an install: it is written last, atomically, so a model is either fully installed or not at all.
 *
 *   <home>/models/sam3/manifest.json
 *   <home>/models/sam3/fp16-<time>/...        pulled files (manifest.dir is relative)
 *   <home>/models/sam3/.staging-<key>/...     a download in progress (resumable)
 *
 * A folder registered with `--from DIR` stays where it is (manifest.dir is absolute,
 * `registered: true`) and `remove` never deletes it.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { PromptsegError } from '@promptseg/shared';
import type { Naming, Sam3Variant } from './catalogue.js';

export const MODEL_IDS = ['sam3'] as const;
export type ModelId = (typeof MODEL_IDS)[number];

export interface ManifestFile {
  name: string;
  size: number;
  sha256: string;
  /** 'published': the source published this checksum and the download matched it; 'computed': hashed here (no published checksum). */
  checksum: 'published' | 'computed';
}

export interface ModelManifest {
  schema: 1;
  model: ModelId;
  variant: Sam3Variant;
  /** Where the files came from: a source id, a URL, or "local:<dir>" for --from. */
  source: string;
  naming: Naming;
  /** The files' folder: relative to the model folder (pulled) or absolute (registered). */
  dir: string;
  registered: boolean;
  files: ManifestFile[];
  installed_at: string;
  verified_at: string;
}

export function promptsegHome(env: NodeJS.ProcessEnv = process.env): string {
  if (env.PROMPTSEG_HOME) return env.PROMPTSEG_HOME;
  const cache = env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(cache, 'promptseg');
}

export type InstallStatus =
  | { installed: true; manifest: ModelManifest; dir: string; modelDir: string }
  | { installed: false; reason: string; manifest?: ModelManifest; modelDir: string };

export interface VerifyReport {
  ok: boolean;
  files: { name: string; ok: boolean; problem?: string }[];
}

export class ModelStore {
  constructor(readonly home: string = promptsegHome()) {}

  /** The folder of one model: holds manifest.json. A service may point straight at a copy of it. */
  modelDir(model: ModelId): string {
    return join(this.home, 'models', model);
  }

  async readManifest(model: ModelId): Promise<ModelManifest | null> {
    return readManifestAt(this.modelDir(model));
  }

  async writeManifest(model: ModelId, manifest: ModelManifest): Promise<void> {
    const dir = this.modelDir(model);
    await mkdir(dir, { recursive: true });
    const tmp = join(dir, `manifest.json.${process.pid}.tmp`);
    await writeFile(tmp, `${JSON.stringify(manifest, null, 2)}\n`);
    await rename(tmp, join(dir, 'manifest.json'));
  }

  /** Cheap check (no hashing): the manifest exists and every file is there with its recorded size. */
  async status(model: ModelId): Promise<InstallStatus> {
    return installStatusAt(this.modelDir(model));
  }

  /** Re-hashes every file against the manifest; records verified_at when all match. */
  async verify(model: ModelId, onFile?: (name: string, index: number, total: number) => void): Promise<VerifyReport> {
    const manifest = await this.readManifest(model);
    if (!manifest) {
      throw new PromptsegError('model_missing', `The ${model} model is not installed.`, `Run: promptseg models pull ${model}`);
    }
    const dir = filesDirOf(this.modelDir(model), manifest);
    const files: VerifyReport['files'] = [];
    for (const [i, f] of manifest.files.entries()) {
      onFile?.(f.name, i, manifest.files.length);
      const path = join(dir, f.name);
      const st = await stat(path).catch(() => null);
      if (!st) { files.push({ name: f.name, ok: false, problem: 'missing' }); continue; }
      if (st.size !== f.size) { files.push({ name: f.name, ok: false, problem: `size ${st.size}, expected ${f.size}` }); continue; }
      const sha = await sha256File(path);
      files.push(sha === f.sha256 ? { name: f.name, ok: true } : { name: f.name, ok: false, problem: `sha256 ${sha.slice(0, 12)}…, expected ${f.sha256.slice(0, 12)}…` });
    }
    const ok = files.every((f) => f.ok);
    if (ok) await this.writeManifest(model, { ...manifest, verified_at: new Date().toISOString() });
    return { ok, files };
  }

  /** Removes the install (and any partial download). Files registered with --from are left in place. */
  async remove(model: ModelId): Promise<{ removed: boolean; keptDir?: string }> {
    const modelDir = this.modelDir(model);
    const manifest = await this.readManifest(model);
    const exists = await stat(modelDir).catch(() => null);
    if (!exists) return { removed: false };
    // Delete the manifest first: from then on the model counts as not installed.
    await rm(join(modelDir, 'manifest.json'), { force: true });
    await rm(modelDir, { recursive: true, force: true });
    return manifest?.registered ? { removed: true, keptDir: manifest.dir } : { removed: true };
  }

  async list(): Promise<{ model: ModelId; status: InstallStatus }[]> {
    return Promise.all(MODEL_IDS.map(async (model) => ({ model, status: await this.status(model) })));
  }
}

export function filesDirOf(modelDir: string, manifest: ModelManifest): string {
  return isAbsolute(manifest.dir) ? manifest.dir : join(modelDir, manifest.dir);
}

export async function readManifestAt(modelDir: string): Promise<ModelManifest | null> {
  let text: string;
  try {
    text = await readFile(join(modelDir, 'manifest.json'), 'utf8');
  } catch {
    return null;
  }
  try {
    const m = JSON.parse(text) as ModelManifest;
    if (m.schema !== 1 || !Array.isArray(m.files) || typeof m.dir !== 'string') throw new Error('unexpected content');
    return m;
  } catch (e) {
    throw new PromptsegError('model_invalid', `The model manifest ${join(modelDir, 'manifest.json')} is damaged (${(e as Error).message}).`, 'Reinstall the model: promptseg models remove sam3 && promptseg models pull sam3');
  }
}

/** Installed = a manifest whose files are all present with their recorded sizes (no hashing: fast enough for every call). */
export async function installStatusAt(modelDir: string): Promise<InstallStatus> {
  const manifest = await readManifestAt(modelDir);
  if (!manifest) return { installed: false, reason: `no model files installed in ${modelDir}`, modelDir };
  const dir = filesDirOf(modelDir, manifest);
  for (const f of manifest.files) {
    const st = await stat(join(dir, f.name)).catch(() => null);
    if (!st) return { installed: false, reason: `${f.name} is missing from ${dir}`, manifest, modelDir };
    if (st.size !== f.size) return { installed: false, reason: `${f.name} has ${st.size} bytes, the manifest says ${f.size}`, manifest, modelDir };
  }
  return { installed: true, manifest, dir, modelDir };
}

export async function sha256File(path: string, onBytes?: (n: number) => void): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    hash.update(chunk as Buffer);
    onBytes?.((chunk as Buffer).length);
  }
  return hash.digest('hex');
}
