/**
 * Runs inference invocations in a child process (worker.ts), at most `concurrency` at a time,
 * queueing the rest — what Lambda does with its execution environments, in one process. A
 * worker that dies (crash, kill, out of memory) fails its in-flight invocations the way Lambda
 * reports a runtime exit, and the next invocation starts a fresh worker (a new cold start). An
 * invocation running past `timeoutMs` kills the worker ("Task timed out"), as Lambda does.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { InvokeTarget } from '../inference/invoke-api.js';

export interface WorkerPoolOptions {
  env: NodeJS.ProcessEnv;
  concurrency: number;
  timeoutMs: number;
  log?: (line: string) => void;
}

interface Pending {
  id: number;
  payload: unknown;
  resolve(v: unknown): void;
  reject(e: Error): void;
  timer?: NodeJS.Timeout;
}

interface WorkerMessage {
  type: 'ready' | 'result' | 'stats';
  id?: number;
  ok?: boolean;
  result?: unknown;
  error?: { name: string; message: string };
  memory?: NodeJS.MemoryUsage;
  models?: { ms: number };
}

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '../../..');

class FunctionError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

export class WorkerPool implements InvokeTarget {
  private child?: ChildProcess;
  /** Set once the current child has loaded its models and listens for invocations. */
  private childReady = false;
  private readyWaiters: { resolve(): void; reject(e: Error): void }[] = [];
  private readonly queue: Pending[] = [];
  private readonly inflight = new Map<number, Pending>();
  private readonly statsWaiters = new Map<number, (m: NodeJS.MemoryUsage) => void>();
  private nextId = 1;
  private closed = false;
  /** Cold starts so far (worker processes started) and the last one's model load time. */
  coldStarts = 0;
  lastColdStartMs?: number;

  constructor(private readonly opts: WorkerPoolOptions) {}

  invoke(payload: unknown): Promise<unknown> {
    if (this.closed) return Promise.reject(new FunctionError('ServiceException', 'the local inference worker pool is closed'));
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, payload, resolve, reject });
      this.pump();
    });
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get busy(): number {
    return this.inflight.size + this.queue.length;
  }

  /** Starts the worker now (instead of on the first invocation) and waits for its models. */
  async start(): Promise<void> {
    this.ensureChild();
    if (this.childReady) return;
    await new Promise<void>((resolve, reject) => this.readyWaiters.push({ resolve, reject }));
  }

  /** For fault tests: kill the worker as a crash would. */
  kill(signal: NodeJS.Signals = 'SIGKILL'): void {
    this.child?.kill(signal);
  }

  async memory(): Promise<NodeJS.MemoryUsage> {
    await this.start();
    const child = this.ensureChild();
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.statsWaiters.set(id, resolve);
      child.send({ type: 'stats', id });
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const child = this.child;
    for (const p of this.queue.splice(0)) p.reject(new FunctionError('ServiceException', 'local mode is shutting down'));
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  }

  private ensureChild(): ChildProcess {
    if (this.child) return this.child;
    const started = Date.now();
    const child = fork(join(here, 'worker.ts'), [], {
      cwd: repoRoot,
      env: { ...this.opts.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.coldStarts++;
    this.child = child;
    this.childReady = false;
    child.on('message', (m: WorkerMessage) => this.onMessage(m, started));
    child.once('exit', (code, signal) => this.onExit(child, code, signal));
    return child;
  }

  private onMessage(m: WorkerMessage, started: number): void {
    if (m.type === 'ready') {
      this.lastColdStartMs = m.models?.ms;
      this.opts.log?.(`inference worker ready in ${Date.now() - started} ms (models ${m.models?.ms ?? '?'} ms)`);
      this.childReady = true;
      for (const w of this.readyWaiters.splice(0)) w.resolve();
      this.pump();
      return;
    }
    if (m.type === 'stats' && m.id !== undefined && m.memory) {
      this.statsWaiters.get(m.id)?.(m.memory);
      this.statsWaiters.delete(m.id);
      return;
    }
    if (m.type !== 'result' || m.id === undefined) return;
    const p = this.inflight.get(m.id);
    if (!p) return;
    this.inflight.delete(m.id);
    clearTimeout(p.timer);
    if (m.ok) p.resolve(m.result);
    else p.reject(new FunctionError(m.error?.name ?? 'Error', m.error?.message ?? 'unknown error'));
    this.pump();
  }

  private onExit(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    const wasReady = this.childReady;
    if (this.child === child) {
      this.child = undefined;
      this.childReady = false;
    }
    const why = signal ? `signal: ${signal}` : `exit status ${code}`;
    if (!wasReady) {
      // Died during init (as a Lambda init failure): fail what waits instead of restarting in a loop.
      const err = new FunctionError('Runtime.InitError', `The inference worker exited while starting (${why})`);
      for (const w of this.readyWaiters.splice(0)) w.reject(err);
      for (const p of this.queue.splice(0)) p.reject(err);
    }
    if (!this.closed) this.opts.log?.(`inference worker ${child.pid} exited (${why})`);
    for (const [id, p] of this.inflight) {
      clearTimeout(p.timer);
      p.reject(new FunctionError('Runtime.ExitError', `RequestId: ${id} Error: Runtime exited with error: ${why}`));
    }
    this.inflight.clear();
    if (!this.closed) this.pump();
  }

  /** Sends queued invocations to a ready worker (starting one if none runs). */
  private pump(): void {
    if (this.closed || this.queue.length === 0) return;
    const child = this.ensureChild();
    if (!this.childReady) return; // the 'ready' message pumps again
    while (this.inflight.size < this.opts.concurrency && this.queue.length > 0) {
      const p = this.queue.shift() as Pending;
      this.inflight.set(p.id, p);
      p.timer = setTimeout(() => {
        this.opts.log?.(`invocation ${p.id} timed out after ${this.opts.timeoutMs / 1000} s; stopping the worker`);
        child.kill('SIGKILL');
      }, this.opts.timeoutMs);
      child.send({ type: 'invoke', id: p.id, payload: p.payload });
    }
  }
}
