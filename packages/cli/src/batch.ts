/**
 * Runs a batch: each image is read, processed and its outputs written atomically, with up to
 * `concurrency` images in flight. A failing image is reported and skipped while the rest finish;
 * a failure that would hit every image (bad option, missing model, full disk) stops the batch.
 * Finished images are skipped on a rerun unless `overwrite` is set. An image whose outputs were
 * made with another prompt or options is redone and its outputs replaced (said on stderr), unless
 * `noClobber` asks for the old refusal (`conflict`).
 */
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { unlinkSync } from 'node:fs';
import {
  EXIT_INTERRUPTED,
  EXIT_SOME_INPUTS_FAILED,
  PromptsegError,
  toPromptsegError,
  type ErrorCode,
  type OutputFormat,
  type SegmentOptionsInput,
  type SegmentResult,
  DEFAULT_POLYGON_TOLERANCE,
  isDatasetFormat,
  type DatasetFormat,
} from '@promptseg/shared';
import type { DatasetEntry } from '@promptseg/model/dataset';
import type { CliContext } from './context.js';
import type { InputImage, MissingInput } from './inputs.js';
import { doneRecordPath, isFinished, pendingTemps, readDoneRecord, removeStale, writeFileAtomic, type DoneRecord } from './outputs.js';
import type { Processor } from './processor.js';
import { createProgress, type Progress } from './progress.js';
import { formatError } from './report.js';
import { alignColumns } from './table.js';

/** Files larger than this are refused before reading (an image this big is over any pixel limit anyway). */
export const MAX_FILE_BYTES = 1024 ** 3;

/** Failures that would repeat for every image: stop the batch instead of trying the rest. */
const BATCH_FATAL: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'invalid_option', 'invalid_prompt', 'unknown_engine', 'engine_unavailable', 'model_missing', 'model_invalid',
  'download_failed', 'checksum_mismatch', 'unauthorized', 'forbidden', 'quota_exceeded', 'auth_required',
  'disk_full', 'network_unavailable',
]);

export interface BatchSettings {
  prompt: string;
  options: SegmentOptionsInput;
  formats: OutputFormat[];
  /** --polygons: each instance's polygons in the result JSON. */
  polygons: boolean;
  /** --polygon-tolerance (pixels), for --polygons, GeoJSON and YOLO. */
  tolerance: number;
  /** Absolute --out folder, and how to show it. */
  outDir: string;
  outDisplay: string;
  concurrency: number;
  overwrite: boolean;
  /** --no-clobber: refuse (conflict) instead of replacing outputs made with another prompt or options. */
  noClobber: boolean;
  json: boolean;
  maxPixels?: number;
}

/** The model (or other processor) could not be set up: every image would fail the same way. */
class ProcessorUnavailable extends Error {
  constructor(readonly error: PromptsegError) {
    super(error.message);
  }
}

type ItemOutcome =
  | { status: 'ok'; image: InputImage; result: SegmentResult; files: string[]; ms: number; replaced?: DoneRecord }
  | { status: 'skipped'; image: InputImage; storedJson?: string; record: DoneRecord }
  | { status: 'failed'; path: string; error: PromptsegError };

async function readInput(image: InputImage): Promise<Uint8Array> {
  try {
    const s = await stat(image.file);
    if (s.size > MAX_FILE_BYTES) {
      throw new PromptsegError('payload_too_large', `${image.display} is ${(s.size / 1024 ** 3).toFixed(1)} GiB, above the ${MAX_FILE_BYTES / 1024 ** 3} GiB limit.`, 'Downscale or re-compress it first.');
    }
    return await readFile(image.file);
  } catch (e) {
    if (e instanceof PromptsegError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new PromptsegError('file_not_found', `${image.display} no longer exists.`, 'It was moved or deleted while the batch ran; check the path and rerun.');
    throw new PromptsegError('file_not_found', `${image.display} cannot be read (${code ?? (e as Error).message}).`, 'Check the file permissions (it must be readable by you) and rerun.');
  }
}

function describeResult(result: SegmentResult): string {
  const found = result.instances.length
    ? result.instances.slice(0, 6).map((i) => `${i.label} ${i.score.toFixed(2)}`).join(', ') + (result.instances.length > 6 ? `, … (${result.instances.length})` : '')
    : 'nothing found';
  const unknown = result.concepts.filter((c) => c.status !== 'ok').map((c) => `"${c.text}"`);
  return found + (unknown.length ? `; not understood: ${unknown.join(', ')}` : '');
}

/** How the outputs are drawn beyond the segmentation options; part of what makes a request "the same". */
const exportSettings = (s: BatchSettings) => ({ polygons: s.polygons, tolerance: s.tolerance });

/** Same prompt and options as the record: its outputs answer this command. */
function sameRequest(rec: DoneRecord, s: BatchSettings): boolean {
  const recExport = rec.export ?? { polygons: false, tolerance: DEFAULT_POLYGON_TOLERANCE };
  return rec.prompt === s.prompt && JSON.stringify(rec.options) === JSON.stringify(s.options) && JSON.stringify(recExport) === JSON.stringify(exportSettings(s));
}

async function runOne(image: InputImage, s: BatchSettings, getProcessor: () => Promise<Processor>, single: boolean): Promise<ItemOutcome> {
  const started = performance.now();
  // `--format none` writes nothing, so there is nothing to resume: always run
  const writes = s.formats.length > 0;
  const previous = writes ? await readDoneRecord(s.outDir, image.stem) : undefined;
  const changed = previous !== undefined && !sameRequest(previous, s);
  if (previous && !s.overwrite) {
    if (changed && s.noClobber) {
      // --no-clobber: never replace another prompt's outputs unasked
      throw new PromptsegError(
        'conflict',
        `${s.outDisplay}${image.stem}.* hold outputs made with another prompt or options ("${previous.prompt}").`,
        'Drop --no-clobber to replace them, add --overwrite, or choose another --out folder.',
      );
    }
    // One image with --json always prints a fresh result (the interactive loop); otherwise a
    // finished image of the same request is skipped, so a rerun resumes a batch.
    if (!changed && !(single && s.json) && (await isFinished(s.outDir, previous, s.formats))) {
      const storedJson = s.json && previous.formats.includes('json') ? await readFile(join(s.outDir, `${image.stem}.json`), 'utf8').catch(() => undefined) : undefined;
      return { status: 'skipped', image, storedJson, record: previous };
    }
  }
  const bytes = await readInput(image);
  const processor = await getProcessor();
  const { result, files } = await processor.process({
    bytes, path: image.display, prompt: s.prompt, options: s.options, maxPixels: s.maxPixels, baseName: image.stem,
    formats: s.formats.filter((f) => !isDatasetFormat(f)), polygons: s.polygons, tolerance: s.tolerance,
  });
  const names = files.map((f) => f.name);
  const ms = () => Math.round(performance.now() - started);
  if (!writes) return { status: 'ok', image, result, files: names, ms: ms() };
  const record: DoneRecord = {
    version: 1, input: image.file, prompt: s.prompt, options: s.options, export: exportSettings(s), formats: s.formats, files: names,
    instances: result.instances.length, finished_at: new Date().toISOString(), result,
  };
  // Replacing is all-or-nothing as far as a rerun can tell: first a record marked incomplete that
  // lists every file the old and the new outputs may leave (so an interruption from here on
  // leaves an image that is redone, and whose leftovers are removed, by the next run), then the
  // files, each renamed into place, then the stale ones removed, then the finished record.
  const leftovers = [...new Set([...(previous?.files ?? []), ...names])];
  await writeFileAtomic(doneRecordPath(s.outDir, image.stem), JSON.stringify({ ...record, files: leftovers, incomplete: true }, null, 2) + '\n');
  for (const f of files) await writeFileAtomic(join(s.outDir, f.name), f.bytes);
  await removeStale(s.outDir, leftovers, names);
  await writeFileAtomic(doneRecordPath(s.outDir, image.stem), JSON.stringify(record, null, 2) + '\n');
  return { status: 'ok', image, result, files: names, ms: ms(), replaced: changed ? previous : undefined };
}

/** What stderr says when an image's outputs of another request were replaced. */
function replacedLine(stem: string, old: DoneRecord, s: BatchSettings): string {
  const what = old.prompt === s.prompt ? `prompt "${old.prompt}" with other options` : `prompt "${old.prompt}"`;
  return `replaced ${s.outDisplay}${stem}.* (made with ${what}); --no-clobber keeps such outputs instead`;
}

function parseStored(json: string | undefined): object | undefined {
  try {
    return json === undefined ? undefined : (JSON.parse(json) as object);
  } catch {
    return undefined; // edited by hand: report the skip without it
  }
}

/** What --json prints for an image that failed. */
function errorDoc(path: string, e: PromptsegError): object {
  return { image: { path }, error: e.toJSON() };
}

export interface BatchSummary {
  ok: number;
  skipped: number;
  failed: { path: string; error: PromptsegError }[];
  aborted?: PromptsegError;
  exitCode: number;
}

/** Runs every image; returns the summary with the exit code (errors' own, from the EXIT_CODE table). */
export async function runBatch(ctx: CliContext, images: InputImage[], missing: MissingInput[], s: BatchSettings, makeProcessor: () => Promise<Processor>): Promise<BatchSummary> {
  const total = images.length + missing.length;
  const single = total === 1;
  const out = (line: string) => ctx.stdout.write(line + '\n');
  // --json: one indented document for one image, one document per line (JSON Lines) for a batch
  const doc = (value: object) => (single ? JSON.stringify(value, null, 2) : JSON.stringify(value));
  const summary: BatchSummary = { ok: 0, skipped: 0, failed: [], exitCode: 0 };
  const progress: Progress = single ? { done() {}, log: (l) => ctx.stderr.write(l + '\n'), stop() {} } : createProgress(ctx.stderr, total, false);

  // what the dataset formats (COCO, YOLO, Label Studio) cover: every image of this run that is finished, now or earlier
  const entries: DatasetEntry[] = [];
  const report = (o: ItemOutcome) => {
    if (o.status === 'ok') entries.push({ result: o.result, file: o.image.display, stem: o.image.stem });
    if (o.status === 'skipped' && o.record.result) entries.push({ result: o.record.result, file: o.image.display, stem: o.image.stem });
    if (o.status === 'failed') {
      summary.failed.push({ path: o.path, error: o.error });
      if (s.json) out(doc(errorDoc(o.path, o.error)));
      progress.done('failed', `FAIL  ${o.path}: ${o.error.message}\n      hint: ${o.error.hint}`, true);
      if (single) ctx.stderr.write(formatError(o.error, o.path) + '\n');
    } else if (o.status === 'skipped') {
      summary.skipped++;
      if (s.json) {
        out(doc(parseStored(o.storedJson) ?? { image: { path: o.image.display }, skipped: true, reason: 'outputs exist; use --overwrite to redo' }));
      }
      progress.done('skipped', `skip  ${o.image.display} (outputs exist)`, false);
      if (single && !s.json) ctx.stderr.write(`${o.image.display}: outputs already in ${s.outDisplay}; use --overwrite to redo.\n`);
    } else {
      summary.ok++;
      if (o.replaced) progress.log(replacedLine(o.image.stem, o.replaced, s));
      if (s.json) out(doc(o.result));
      progress.done('ok', `ok    ${o.image.display} → ${describeResult(o.result)} (${o.ms} ms)`, false);
      if (single && !s.json) printSingle(ctx, o.result, o.files, s, o.ms);
    }
  };

  for (const m of missing) report({ status: 'failed', path: m.arg, error: m.error });

  // Ctrl-C: remove half-written temp files; finished images are kept and a rerun resumes.
  const onSigint = () => {
    for (const t of pendingTemps) {
      try {
        unlinkSync(t);
      } catch {
        /* already renamed or removed */
      }
    }
    progress.stop();
    ctx.stderr.write(`\nInterrupted after ${summary.ok} images; rerun the same command to resume.\n`);
    process.exit(EXIT_INTERRUPTED);
  };
  process.once('SIGINT', onSigint);

  try {
    // the processor (model sessions) is created on first need: a rerun where every image is
    // already finished never loads a model
    let processorP: Promise<Processor> | undefined;
    const getProcessor = () =>
      (processorP ??= makeProcessor().catch((e: unknown) => {
        throw new ProcessorUnavailable(toPromptsegError(e));
      }));
    let next = 0;
    const worker = async () => {
      while (!summary.aborted && next < images.length) {
        const image = images[next++];
        try {
          report(await runOne(image, s, getProcessor, single));
        } catch (e) {
          const err = e instanceof ProcessorUnavailable ? e.error : toPromptsegError(e);
          if ((e instanceof ProcessorUnavailable || BATCH_FATAL.has(err.code)) && !single) {
            if (!summary.aborted) {
              summary.aborted = err;
              progress.log(`${formatError(err)}\nStopping the batch: this would fail for every image.`);
            }
          } else {
            report({ status: 'failed', path: image.display, error: err });
          }
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(s.concurrency, images.length) }, worker));
  } finally {
    process.removeListener('SIGINT', onSigint);
    progress.stop();
  }

  const datasetFormats = s.formats.filter(isDatasetFormat);
  if (datasetFormats.length && entries.length) {
    try {
      const written = await writeDatasets(s, entries, datasetFormats);
      (s.json ? ctx.stderr : ctx.stdout).write(`dataset over ${entries.length} image(s) in ${s.outDisplay}: ${written}\n`);
    } catch (e) {
      const err = toPromptsegError(e);
      summary.aborted ??= err;
      ctx.stderr.write(formatError(err) + '\n');
    }
  }

  if (summary.aborted) {
    summary.exitCode = summary.aborted.exitCode;
  } else if (summary.failed.length) {
    summary.exitCode = single ? summary.failed[0].error.exitCode : EXIT_SOME_INPUTS_FAILED;
  }
  if (!single) printSummary(ctx, summary, total, s);
  return summary;
}

/** Writes the run's dataset files (each atomically), replacing those of an earlier run; says what it wrote. */
async function writeDatasets(s: BatchSettings, entries: DatasetEntry[], formats: DatasetFormat[]): Promise<string> {
  // the pure exporters only (no model sessions, no sharp): API mode never loads model code
  const { exportDataset, YOLO_DIR } = await import('@promptseg/model/dataset');
  const files = exportDataset(entries, formats, { tolerance: s.tolerance, yoloRoot: join(s.outDir, YOLO_DIR) });
  for (const f of files) await writeFileAtomic(join(s.outDir, f.name), f.bytes);
  const labels = files.filter((f) => f.name.startsWith(`${YOLO_DIR}/labels/`)).length;
  return files
    .filter((f) => !f.name.startsWith(`${YOLO_DIR}/labels/`))
    .map((f) => (f.name === `${YOLO_DIR}/data.yaml` ? `${f.name} + ${labels} label file(s) in ${YOLO_DIR}/labels/` : f.name))
    .join(', ');
}

function printSingle(ctx: CliContext, r: SegmentResult, files: string[], s: BatchSettings, ms: number): void {
  const lines: string[] = [];
  lines.push(`${r.image.path ?? ''}  ${r.image.width}x${r.image.height}  engine ${r.engine}  ${ms} ms`);
  if (r.instances.length) {
    const rows = r.instances.map((i) => [i.id, i.label, i.score.toFixed(2), i.box.map((v) => Math.round(v)).join(','), i.area]);
    for (const line of alignColumns([['id', 'label', 'score', 'box x,y,w,h', 'area'], ...rows])) lines.push('  ' + line);
  } else {
    lines.push('  nothing found');
  }
  for (const c of r.concepts) {
    if (c.status !== 'ok') lines.push(`  "${c.text}": not understood. ${c.message ?? ''}`.trimEnd());
  }
  if (files.length) lines.push(`wrote ${files.length} file(s) to ${s.outDisplay}: ${files.slice(0, 6).join(', ')}${files.length > 6 ? ', …' : ''}`);
  ctx.stdout.write(lines.join('\n') + '\n');
}

function printSummary(ctx: CliContext, sum: BatchSummary, total: number, s: BatchSettings): void {
  const lines: string[] = [];
  const notRun = total - sum.ok - sum.skipped - sum.failed.length;
  lines.push(
    `${total} image(s): ${sum.ok} segmented, ${sum.skipped} skipped (outputs exist), ${sum.failed.length} failed` +
      (notRun > 0 ? `, ${notRun} not run` : '') + ` · outputs in ${s.outDisplay}`,
  );
  if (sum.aborted) lines.push(`stopped: ${sum.aborted.message}\n  hint: ${sum.aborted.hint}`);
  if (sum.failed.length) {
    lines.push('failed:');
    for (const f of sum.failed) lines.push(`  ${f.path}: ${f.error.message}\n    hint: ${f.error.hint}`);
  }
  // with --json stdout carries only the documents; the summary goes with the logs
  (s.json ? ctx.stderr : ctx.stdout).write(lines.join('\n') + '\n');
}
