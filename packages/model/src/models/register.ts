/**
 * `promptseg models pull sam3 --from DIR`: register SAM 3 files the user already has (an offline
 * install, a shared network folder). The files stay where they are; the manifest records their
 * sizes and sha256 so `models verify` can later tell if they changed.
 */
import { readdir, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { PromptsegError } from '@promptseg/shared';
import { SAM3_VARIANTS, sam3Files, type Naming, type Sam3Variant } from './catalogue.js';
import { ModelStore, sha256File, type ManifestFile, type ModelId, type ModelManifest } from './store.js';

export interface RegisterOptions {
  dir: string;
  variant?: string;
  model?: ModelId;
  home?: string;
  onFile?: (name: string, index: number, total: number) => void;
}

export interface RegisterReport {
  model: ModelId;
  variant: Sam3Variant;
  naming: Naming;
  dir: string;
  files: ManifestFile[];
}

const NAMINGS: Naming[] = ['usls', 'danilobukvic'];

export async function registerModelDir(opts: RegisterOptions): Promise<RegisterReport> {
  const model = opts.model ?? 'sam3';
  const dir = resolve(opts.dir);
  const listing = await readdir(dir).catch(() => null);
  if (!listing) throw new PromptsegError('file_not_found', `The folder ${dir} does not exist or cannot be read.`, 'Pass the folder that holds the SAM 3 .onnx files and tokenizer.json.');
  const present = new Set(listing);
  if (opts.variant !== undefined && !SAM3_VARIANTS.includes(opts.variant as Sam3Variant)) {
    throw new PromptsegError('invalid_option', `Unknown variant "${opts.variant}".`, `Choose one of: ${SAM3_VARIANTS.join(', ')}.`);
  }
  const variants = opts.variant ? [opts.variant as Sam3Variant] : [...SAM3_VARIANTS];

  // The first (naming, variant) whose required files are all in the folder.
  let found: { naming: Naming; variant: Sam3Variant; names: string[] } | undefined;
  const expected: string[] = [];
  for (const variant of variants) {
    for (const naming of NAMINGS) {
      let specs;
      try { specs = sam3Files(naming, variant); } catch { continue; }
      const required = specs.filter((s) => s.required).map((s) => s.name);
      expected.push(required.join(', '));
      if (required.every((n) => present.has(n))) {
        found = { naming, variant, names: specs.filter((s) => present.has(s.name)).map((s) => s.name) };
        break;
      }
    }
    if (found) break;
  }
  if (!found) {
    throw new PromptsegError('model_missing', `${dir} does not hold a complete SAM 3 export${opts.variant ? ` for variant ${opts.variant}` : ''}.`, `Expected one of these file sets: ${expected.map((e) => `[${e}]`).join(' or ')}.`);
  }

  const files: ManifestFile[] = [];
  for (const [i, name] of found.names.entries()) {
    opts.onFile?.(name, i, found.names.length);
    const path = join(dir, name);
    const st = await stat(path);
    files.push({ name, size: st.size, sha256: await sha256File(path), checksum: 'computed' });
  }
  const store = new ModelStore(opts.home);
  const now = new Date().toISOString();
  const manifest: ModelManifest = { schema: 1, model, variant: found.variant, source: `local:${dir}`, naming: found.naming, dir, registered: true, files, installed_at: now, verified_at: now };
  const previous = await store.readManifest(model).catch(() => null);
  await store.writeManifest(model, manifest);
  if (previous && !previous.registered) await rm(join(store.modelDir(model), previous.dir), { recursive: true, force: true });
  return { model, variant: found.variant, naming: found.naming, dir, files };
}
