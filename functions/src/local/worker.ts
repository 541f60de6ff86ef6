/**
 * Local mode's inference "container": a child process that imports the inference handler (its
 * models load once, at start, like a Lambda cold start) and runs invocations sent over IPC. A
 * separate process so a crash — or a test killing it mid-job — behaves like a Lambda crash.
 *
 * Fault injection for tests: PROMPTSEG_FAULT_HOLD_MS holds a job that long after its claim (so a
 * test can kill the worker while the job is `running`), for attempts up to
 * PROMPTSEG_FAULT_HOLD_ATTEMPTS (default 1: a retry runs normally).
 */
import { createInferenceHandler } from '../inference/handler.js';

interface InvokeMessage {
  type: 'invoke';
  id: number;
  payload: unknown;
}
interface StatsMessage {
  type: 'stats';
  id: number;
}

const holdMs = Number(process.env.PROMPTSEG_FAULT_HOLD_MS ?? 0);
const holdAttempts = Number(process.env.PROMPTSEG_FAULT_HOLD_ATTEMPTS ?? 1);
const handler = createInferenceHandler({
  afterClaim: holdMs > 0 ? async (job) => void (job.attempt <= holdAttempts && (await new Promise((r) => setTimeout(r, holdMs)))) : undefined,
});

const send = (m: unknown) => process.send?.(m);

handler.ready.then(
  (r) => send({ type: 'ready', models: r }),
  (e: unknown) => send({ type: 'ready', error: e instanceof Error ? e.message : String(e) }),
);

process.on('message', (m: InvokeMessage | StatsMessage) => {
  if (m.type === 'stats') {
    send({ type: 'stats', id: m.id, memory: process.memoryUsage() });
    return;
  }
  handler(m.payload).then(
    (result) => send({ type: 'result', id: m.id, ok: true, result }),
    (e: unknown) => {
      const err = e instanceof Error ? e : new Error(String(e));
      send({ type: 'result', id: m.id, ok: false, error: { name: err.name, message: err.message } });
    },
  );
});

// The parent going away ends the "container".
process.on('disconnect', () => process.exit(0));
