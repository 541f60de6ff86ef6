/**
 * The sweeper (a scheduled function, e.g. every minute): settles every unfinished job whose
 * lease or dispatch ran out — retried while attempts are left, else failed and unbilled — so
 * no job stays `running` or `queued` forever even if nobody polls it. Same code as the API's
 * settle-on-read (core/lifecycle.ts). Local mode runs it on a timer.
 */
import { loadApiConfig } from '../config.js';
import { sweepJobs } from '../core/lifecycle.js';
import { createDeps } from './app.js';

let deps: ReturnType<typeof createDeps> | undefined;

export async function sweepHandler(): Promise<{ settled: number }> {
  deps ??= createDeps(loadApiConfig());
  const d = deps;
  return { settled: await sweepJobs(d.store, d.config, (job) => d.dispatcher.dispatch(job)) };
}
