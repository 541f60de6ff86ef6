/**
 * Batch progress on stderr: a live bar on a terminal (cli-progress), one plain line per image
 * otherwise (logs, CI). stdout is left alone so `--json` output stays parseable.
 */
import cliProgress from 'cli-progress';
import type { Output } from './context.js';

export type ItemStatus = 'ok' | 'skipped' | 'failed';

export interface Progress {
  /** One image finished; `line` describes it (shown as is on plain output, above the bar on a TTY). */
  done(status: ItemStatus, line: string, showOnTTY: boolean): void;
  /** A message not tied to the count (warnings). */
  log(line: string): void;
  stop(): void;
}

export function createProgress(stderr: Output, total: number, quiet: boolean): Progress {
  let n = 0;
  const tally = { ok: 0, skipped: 0, failed: 0 };
  const tty = stderr === process.stderr && process.stderr.isTTY === true && total > 1;
  if (!tty) {
    const width = String(total).length;
    return {
      done(status, line) {
        n++;
        tally[status]++;
        if (!quiet || status === 'failed') stderr.write(`[${String(n).padStart(width)}/${total}] ${line}\n`);
      },
      log(line) {
        stderr.write(line + '\n');
      },
      stop() {},
    };
  }
  const multi = new cliProgress.MultiBar(
    {
      stream: process.stderr,
      format: '{bar} {value}/{total} | ok {ok} · skipped {skipped} · failed {failed} | {duration_formatted} (eta {eta_formatted})',
      hideCursor: true,
      clearOnComplete: false,
    },
    cliProgress.Presets.shades_classic,
  );
  const bar = multi.create(total, 0, { ...tally });
  return {
    done(status, line, showOnTTY) {
      tally[status]++;
      if (showOnTTY) multi.log(line + '\n');
      bar.increment(1, { ...tally });
    },
    log(line) {
      multi.log(line + '\n');
    },
    stop() {
      multi.stop();
    },
  };
}
