/**
 * Writing outputs so that nothing is ever half-written and a rerun resumes:
 * - every file is written to a temporary name in its own folder, then renamed into place
 *   (a rename within one folder is atomic), so a reader sees the old file or the new, never part;
 * - when all of an image's files are in place, a small record of them is written (again
 *   atomically) under `<out>/.promptseg-done/`. An image is finished exactly when its record
 *   exists and lists every file; a rerun skips finished images and redoes the rest.
 */
import { mkdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { PromptsegError, isDatasetFormat, type OutputFormat, type SegmentOptionsInput, type SegmentResult } from '@promptseg/shared';

export const DONE_DIR = '.promptseg-done';

/** Temp files currently being written, removed if the user interrupts. */
export const pendingTemps = new Set<string>();
let tempCounter = 0;

function writeError(path: string, e: NodeJS.ErrnoException): PromptsegError {
  if (e.code === 'ENOSPC' || e.code === 'EDQUOT') {
    return new PromptsegError('disk_full', `No space left to write ${path}.`, 'Free some disk space or choose another --out folder, then rerun the same command: finished images are skipped.');
  }
  return new PromptsegError('invalid_option', `Cannot write ${path} (${e.code ?? e.message}).`, 'Choose an --out folder you can write to, then rerun the same command.');
}

export async function writeFileAtomic(path: string, bytes: Uint8Array | string): Promise<void> {
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${++tempCounter}.tmp`);
  try {
    await mkdir(dir, { recursive: true });
    pendingTemps.add(tmp);
    await writeFile(tmp, bytes, { flag: 'wx' });
    await rename(tmp, path);
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw writeError(path, e as NodeJS.ErrnoException);
  } finally {
    pendingTemps.delete(tmp);
  }
}

/** What was produced for one image, so a rerun knows it is finished. */
export interface DoneRecord {
  version: 1;
  input: string;
  prompt: string;
  options: SegmentOptionsInput;
  /** Polygon settings the outputs were drawn with (absent in records of older versions: the defaults). */
  export?: { polygons: boolean; tolerance: number };
  formats: OutputFormat[];
  /** Output files, relative to the --out folder. */
  files: string[];
  instances: number;
  finished_at: string;
  /** The result document, so a batch can write its dataset files (COCO, YOLO, …) over every image, resumed or not. */
  result?: SegmentResult;
  /** Written before the files of a (re)run: set until every file is in place, so an interrupted run is redone. */
  incomplete?: boolean;
}

export function doneRecordPath(outDir: string, stem: string): string {
  return join(outDir, DONE_DIR, `${stem}.json`);
}

export async function readDoneRecord(outDir: string, stem: string): Promise<DoneRecord | undefined> {
  try {
    const rec = JSON.parse(await readFile(doneRecordPath(outDir, stem), 'utf8')) as DoneRecord;
    return rec && rec.version === 1 && Array.isArray(rec.files) && Array.isArray(rec.formats) ? rec : undefined;
  } catch {
    return undefined;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/** Finished = recorded with every requested format, and every recorded file still there. */
export async function isFinished(outDir: string, rec: DoneRecord | undefined, formats: readonly OutputFormat[]): Promise<boolean> {
  if (!rec || rec.incomplete) return false;
  if (!formats.every((f) => rec.formats.includes(f))) return false;
  // the dataset files of a batch are built from the stored results
  if (formats.some(isDatasetFormat) && !rec.result) return false;
  for (const f of rec.files) if (!(await exists(join(outDir, f)))) return false;
  return true;
}

/** Removes files an earlier run listed that this run did not write again (e.g. fewer instances now). */
export async function removeStale(outDir: string, listed: readonly string[], written: readonly string[]): Promise<void> {
  const keep = new Set(written);
  for (const f of listed) {
    if (keep.has(f) || f.includes('..')) continue;
    await unlink(join(outDir, f)).catch(() => undefined);
  }
}
