/**
 * Where the SAM 3 ONNX files come from and what they are called (docs/sam3-onnx-contract.md §2,
 * §4, §7). File names only decide WHAT to download; which file is the vision encoder, text
 * encoder or decoder, and which export layout they form, is read from the models' input/output
 * names when they are loaded (engines/sam3/layout.ts).
 */
import { PromptsegError } from '@promptseg/shared';

export const SAM3_VARIANTS = ['fp32', 'fp16', 'q4f16', 'int4'] as const;
export type Sam3Variant = (typeof SAM3_VARIANTS)[number];

/** File naming of an export family: usls (Layout A, `-` separator) or danilobukvic (Layout C, `_`). */
export type Naming = 'usls' | 'danilobukvic';

export interface Source {
  /** What the user typed or the named source's id; stored in the manifest. */
  id: string;
  kind: 'url' | 'hf';
  /** kind 'url': base URL the file names are appended to (ends with '/'). */
  base?: string;
  /** kind 'hf': Hugging Face repo id and revision. */
  repo?: string;
  revision?: string;
  naming: Naming;
  /** Variants this source publishes (as far as is known). */
  variants: Sam3Variant[];
  defaultVariant: Sam3Variant;
}

export interface FileSpec {
  name: string;
  /** Optional files (external weights, extra configs) are skipped when the source lacks them. */
  required: boolean;
  kind: 'model' | 'weights' | 'tokenizer' | 'config';
}

export const NAMED_SOURCES: Record<string, Source> = {
  usls: {
    id: 'usls',
    kind: 'url',
    base: 'https://github.com/jamjamjon/assets/releases/download/sam3/',
    naming: 'usls',
    variants: ['fp32', 'fp16', 'q4f16'],
    defaultVariant: 'fp32',
  },
  danilobukvic: {
    id: 'danilobukvic',
    kind: 'hf',
    repo: 'danilobukvic/sam3-text-onnx',
    revision: 'main',
    naming: 'danilobukvic',
    variants: ['fp32', 'int4'],
    defaultVariant: 'fp32',
  },
};

export const DEFAULT_SOURCE = 'usls';

const STEMS: Record<Naming, string[]> = {
  usls: ['vision-encoder', 'text-encoder', 'geo-encoder-mask-decoder'],
  danilobukvic: ['vision_encoder', 'text_encoder', 'decoder'],
};

const SUFFIX: Record<Naming, Partial<Record<Sam3Variant, string>>> = {
  usls: { fp32: '', fp16: '-fp16', q4f16: '-q4f16' },
  danilobukvic: { fp32: '', int4: '_int4' },
};

const EXTRA: Record<Naming, FileSpec[]> = {
  usls: [
    { name: 'tokenizer.json', required: true, kind: 'tokenizer' },
    { name: 'tokenizer_config.json', required: false, kind: 'config' },
    { name: 'special_tokens_map.json', required: false, kind: 'config' },
    { name: 'config.json', required: false, kind: 'config' },
  ],
  danilobukvic: [
    { name: 'tokenizer.json', required: true, kind: 'tokenizer' },
    { name: 'tokenizer_config.json', required: false, kind: 'config' },
  ],
};

/** The three model files of a variant, in the naming of its family. */
export function modelFileNames(naming: Naming, variant: Sam3Variant): string[] {
  const suffix = SUFFIX[naming][variant];
  if (suffix === undefined) {
    throw new PromptsegError('invalid_option', `Variant ${variant} does not exist in the ${naming} file naming.`, `Choose one of: ${Object.keys(SUFFIX[naming]).join(', ')}.`);
  }
  return STEMS[naming].map((stem) => `${stem}${suffix}.onnx`);
}

/** Everything to fetch for a variant: each model with its optional external-data file, then the tokenizer and configs. */
export function sam3Files(naming: Naming, variant: Sam3Variant): FileSpec[] {
  const files: FileSpec[] = [];
  for (const name of modelFileNames(naming, variant)) {
    files.push({ name, required: true, kind: 'model' });
    files.push({ name: `${name}.data`, required: false, kind: 'weights' });
  }
  return [...files, ...EXTRA[naming]];
}

/**
 * `--source`: a named source (usls, danilobukvic), `hf:OWNER/REPO[@REVISION]` (a Hugging Face
 * repo with danilobukvic's file names, e.g. its copies), or an http(s) base URL holding files
 * with the usls names (a mirror of the usls release, or a local server).
 */
export function resolveSource(arg: string | undefined): Source {
  const id = (arg ?? DEFAULT_SOURCE).trim();
  const named = NAMED_SOURCES[id];
  if (named) return named;
  if (id.startsWith('hf:')) {
    const m = /^hf:([\w.-]+\/[\w.-]+)(?:@([\w./-]+))?$/.exec(id);
    if (!m) throw new PromptsegError('invalid_option', `"${id}" is not a Hugging Face source.`, 'Write it as hf:OWNER/REPO or hf:OWNER/REPO@REVISION.');
    return { id, kind: 'hf', repo: m[1], revision: m[2] ?? 'main', naming: 'danilobukvic', variants: ['fp32', 'int4'], defaultVariant: 'fp32' };
  }
  if (/^https?:\/\//.test(id)) {
    let url: URL;
    try { url = new URL(id); } catch { throw new PromptsegError('invalid_option', `"${id}" is not a valid URL.`, 'Pass a base URL such as https://example.com/sam3/.'); }
    const base = url.href.endsWith('/') ? url.href : `${url.href}/`;
    return { id: base, kind: 'url', base, naming: 'usls', variants: ['fp32', 'fp16', 'q4f16'], defaultVariant: 'fp32' };
  }
  throw new PromptsegError('invalid_option', `Unknown model source "${id}".`, `Use ${Object.keys(NAMED_SOURCES).join(', ')}, hf:OWNER/REPO, or an http(s) base URL.`);
}

export function resolveVariant(source: Source, variant: string | undefined): Sam3Variant {
  const v = (variant ?? source.defaultVariant) as Sam3Variant;
  if (!SAM3_VARIANTS.includes(v)) {
    throw new PromptsegError('invalid_option', `Unknown variant "${variant}".`, `Choose one of: ${SAM3_VARIANTS.join(', ')}.`);
  }
  if (!source.variants.includes(v)) {
    throw new PromptsegError('invalid_option', `The ${source.id} source does not publish the ${v} variant.`, `It has: ${source.variants.join(', ')}${v === 'int4' ? ' (int4 exists for --source danilobukvic)' : ''}.`);
  }
  return v;
}
