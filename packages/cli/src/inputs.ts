/**
 * Turns the command line's files, folders and globs into the list of images to segment, each
 * with the output name it will get. Inputs that match nothing are kept as failures (reported
 * with the rest of the batch), not thrown: the other images still run.
 */
import { stat } from 'node:fs/promises';
import { basename, extname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import fg from 'fast-glob';
import { PromptsegError } from '@promptseg/shared';

/** Extensions picked up when a folder is given (globs take whatever they match). */
export const IMAGE_EXTENSIONS = ['jpg', 'jpeg', 'jpe', 'jfif', 'png', 'webp', 'gif', 'tif', 'tiff', 'avif', 'heic', 'heif'];

export interface InputImage {
  /** Absolute path. */
  file: string;
  /** As shown to the user and written in the result (relative to the working directory when inside it). */
  display: string;
  /** Output base name relative to the --out folder, without extension ("cat", "trip/beach"). */
  stem: string;
}

export interface MissingInput {
  arg: string;
  error: PromptsegError;
}

export interface ExpandedInputs {
  images: InputImage[];
  missing: MissingInput[];
}

/** `path` relative to `base` when it lies below it; undefined otherwise (or when it is `base` itself). */
function relativeInside(base: string, path: string): string | undefined {
  const rel = relative(base, path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : undefined;
}

/** How a path is shown to the user: relative to the working directory when inside it, else absolute. */
export function displayPath(path: string, cwd: string): string {
  return relativeInside(cwd, path) ?? path;
}

function stemOf(file: string, base: string): string {
  const inside = relativeInside(base, file) ?? basename(file);
  const noExt = inside.slice(0, inside.length - extname(inside).length) || inside;
  return noExt.split(sep).join('/');
}

/**
 * Two inputs must never write the same output names (x.jpg and x.png, or a/x.jpg and b/x.jpg):
 * colliding stems get their extension appended ("x-jpg"), then a counter. Sorted by path first
 * so the names are the same on every run of the same command (a rerun resumes).
 */
function disambiguate(images: InputImage[]): InputImage[] {
  images.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  const count = new Map<string, number>();
  for (const im of images) count.set(im.stem.toLowerCase(), (count.get(im.stem.toLowerCase()) ?? 0) + 1);
  const taken = new Set<string>();
  for (const im of images) {
    let stem = im.stem;
    if ((count.get(stem.toLowerCase()) ?? 0) > 1) stem = `${stem}-${extname(im.file).slice(1).toLowerCase() || 'noext'}`;
    let candidate = stem;
    for (let n = 2; taken.has(candidate.toLowerCase()); n++) candidate = `${stem}-${n}`;
    taken.add(candidate.toLowerCase());
    im.stem = candidate;
  }
  return images;
}

async function kindOf(path: string): Promise<'file' | 'dir' | undefined> {
  try {
    const s = await stat(path);
    return s.isDirectory() ? 'dir' : 'file';
  } catch {
    return undefined;
  }
}

export async function expandInputs(args: string[], cwd: string = process.cwd()): Promise<ExpandedInputs> {
  const byFile = new Map<string, InputImage>();
  const missing: MissingInput[] = [];
  const add = (file: string, base: string) => {
    if (!byFile.has(file)) byFile.set(file, { file, display: displayPath(file, cwd), stem: stemOf(file, base) });
  };
  for (const arg of args) {
    const abs = resolve(cwd, arg);
    const kind = await kindOf(abs);
    if (kind === 'file') {
      add(abs, join(abs, '..'));
    } else if (kind === 'dir') {
      const pattern = `**/*.{${IMAGE_EXTENSIONS.join(',')}}`;
      const found = await fg(pattern, { cwd: abs, absolute: true, onlyFiles: true, caseSensitiveMatch: false, dot: false });
      if (found.length === 0) {
        missing.push({ arg, error: new PromptsegError('file_not_found', `The folder ${arg} contains no images.`, `promptseg looks for ${IMAGE_EXTENSIONS.slice(0, 9).join(', ')} files in it and its subfolders; check the path.`) });
      }
      for (const f of found) add(resolve(f), abs);
    } else if (fg.isDynamicPattern(arg)) {
      const found = await fg(arg, { cwd, absolute: true, onlyFiles: true, dot: false });
      if (found.length === 0) {
        missing.push({ arg, error: new PromptsegError('file_not_found', `No files match the pattern ${arg}.`, 'Check the pattern; quote it so the shell does not expand it first, e.g. "photos/**/*.jpg".') });
      }
      const base = resolve(cwd, fg.generateTasks([arg])[0]?.base ?? '.');
      for (const f of found) add(resolve(f), base);
    } else {
      missing.push({ arg, error: new PromptsegError('file_not_found', `${arg}: no such file or folder.`, 'Check the path (relative paths start from the current folder).') });
    }
  }
  return { images: disambiguate([...byFile.values()]), missing };
}
