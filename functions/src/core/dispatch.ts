/**
 * Sends jobs to the inference function with the Lambda SDK: `Event` (asynchronous) for jobs,
 * `RequestResponse` for POST /v1/segment. The same code talks to AWS Lambda and to local mode's
 * Invoke endpoint. Edge-safe: AWS SDK only.
 */
import { LambdaClient, InvokeCommand } from '@aws-sdk/client-lambda';
import { PromptsegError, type ErrorBody } from '@promptseg/shared';
import type { JobRecord } from './jobs.js';

/** What the inference function receives. It reads everything else from the job record. */
export interface InferenceEvent {
  type: 'job';
  tenant: string;
  job_id: string;
}

/**
 * One segment of a fanned-out video job (inference/video-job.ts): sent by the job's coordinator
 * to the inference function, one per segment. `attempt` is the coordinator's attempt: a segment
 * event of an older attempt finds the job moved on and does nothing.
 */
export interface SegmentEvent {
  type: 'video_segment';
  tenant: string;
  job_id: string;
  attempt: number;
  segment: number;
}

/** What it answers (RequestResponse): the job record after its run, or why it did not run. */
export interface InferenceResponse {
  job_id: string;
  status: JobRecord['status'];
  ran: boolean;
  /** Set when this invocation found the job held by another attempt or already finished (a segment: already done or taken). */
  skipped?: 'in_progress' | 'finished' | 'exhausted' | 'cancelled' | 'segment_taken';
  error?: ErrorBody;
  /** Model session creation time of this container, on its first invocation only. */
  cold_start_ms?: number;
}

export interface DispatchConfig {
  functionName: string;
  region: string;
  endpoint?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

export class Dispatcher {
  private readonly lambda: LambdaClient;

  constructor(private readonly config: DispatchConfig) {
    this.lambda = new LambdaClient({
      region: config.region,
      endpoint: config.endpoint,
      credentials: config.credentials,
      maxAttempts: 2,
      requestHandler: { connectionTimeout: 3000 },
    });
  }

  static eventOf(job: Pick<JobRecord, 'tenant' | 'job_id'>): InferenceEvent {
    return { type: 'job', tenant: job.tenant, job_id: job.job_id };
  }

  private invokeCommand(job: Pick<JobRecord, 'tenant' | 'job_id'>, type: 'Event' | 'RequestResponse'): InvokeCommand {
    return new InvokeCommand({ FunctionName: this.config.functionName, InvocationType: type, Payload: new TextEncoder().encode(JSON.stringify(Dispatcher.eventOf(job))) });
  }

  /** Asynchronous invoke: Lambda queues the event and answers 202 at once. */
  async dispatch(job: Pick<JobRecord, 'tenant' | 'job_id'>): Promise<void> {
    try {
      const r = await this.lambda.send(this.invokeCommand(job, 'Event'));
      if (r.StatusCode !== 202) throw new Error(`Lambda answered ${r.StatusCode} to an Event invoke`);
    } catch (e) {
      throw inferenceError('queueing the job', e);
    }
  }

  /** Asynchronous invoke of one video segment (the coordinator fans out with this). */
  async dispatchSegment(event: SegmentEvent): Promise<void> {
    try {
      const r = await this.lambda.send(new InvokeCommand({ FunctionName: this.config.functionName, InvocationType: 'Event', Payload: new TextEncoder().encode(JSON.stringify(event)) }));
      if (r.StatusCode !== 202) throw new Error(`Lambda answered ${r.StatusCode} to an Event invoke`);
    } catch (e) {
      throw inferenceError(`queueing segment ${event.segment}`, e);
    }
  }

  /** Synchronous invoke with a deadline; rejects with job_timeout when the deadline passes. */
  async run(job: Pick<JobRecord, 'tenant' | 'job_id'>, timeoutMs: number): Promise<InferenceResponse> {
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), timeoutMs);
    try {
      const r = await this.lambda.send(this.invokeCommand(job, 'RequestResponse'), { abortSignal: abort.signal });
      const text = r.Payload ? new TextDecoder().decode(r.Payload) : '';
      if (r.FunctionError) throw new Error(`the function failed (${r.FunctionError}): ${text.slice(0, 500)}`);
      return JSON.parse(text) as InferenceResponse;
    } catch (e) {
      if (abort.signal.aborted) {
        throw new PromptsegError('job_timeout', `The result was not ready within ${Math.round(timeoutMs / 1000)} s.`, 'The job keeps running: poll its status_url, or use POST /v1/jobs for large images.');
      }
      throw inferenceError('running the job', e);
    } finally {
      clearTimeout(timer);
    }
  }
}

function inferenceError(op: string, e: unknown): PromptsegError {
  if (e instanceof PromptsegError) return e;
  const msg = e instanceof Error ? `${e.name !== 'Error' ? `${e.name}: ` : ''}${e.message}` : String(e);
  return new PromptsegError('inference_unavailable', `The inference function could not be reached while ${op}: ${msg}.`, 'Retry in a moment; nothing was billed for a job that did not run.');
}
