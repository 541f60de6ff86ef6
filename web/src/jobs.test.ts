import { describe, expect, it } from 'vitest';
import type { SegmentResult } from '@promptseg/shared';
import { ApiError } from './api/client.js';
import type { JobView } from './api/types.js';
import { runJob, runQuick, type JobsApi } from './jobs.js';

const result: SegmentResult = { image: { width: 2, height: 2 }, prompt: 'cup', engine: 'lite', concepts: [], instances: [], timings_ms: {} };

function view(job_id: string, status: JobView['status'], extra: Partial<JobView> = {}): JobView {
  return { job_id, status, status_url: '', mode: 'async', prompt: 'cup', engine: 'lite', outputs: ['json'], created_at: '', attempts: 1, timings_ms: {}, billable: true, ...extra };
}

/** Answers like the service: a scripted list of job states per job id; counts every call. */
function fakeApi(states: Record<string, JobView[]>, segment: () => Promise<unknown> = async () => ({})) {
  const calls = { create: 0, get: 0, segment: 0 };
  let next = 0;
  const api: JobsApi = {
    presign: async () => {
      throw new Error('not used');
    },
    upload: async () => undefined,
    createJob: async () => {
      calls.create++;
      return { job_id: `job${next++}`, status: 'queued', status_url: '' };
    },
    getJob: async (id) => {
      calls.get++;
      const list = states[id];
      if (!list?.length) throw new Error(`no state for ${id}`);
      return list.length > 1 ? (list.shift() as JobView) : list[0];
    },
    segment: async () => {
      calls.segment++;
      return segment();
    },
    cancelJob: async (id) => view(id, 'cancelled'),
  };
  return { api, calls };
}

describe('runJob', () => {
  it('reports queued and running, then returns the result', async () => {
    const { api } = fakeApi({ job0: [view('job0', 'queued'), view('job0', 'running'), view('job0', 'succeeded', { result })] });
    const seen: string[] = [];
    const out = await runJob(api, 'uploads/t/upl_x', { prompt: 'cup' }, (j) => seen.push(j.status));
    expect(seen).toEqual(['queued', 'running', 'succeeded']);
    expect(out.result.prompt).toBe('cup');
  });

  it('throws the failed job\'s own error (code, message, hint)', async () => {
    const error = { code: 'corrupt_image' as const, message: 'The PNG file could not be decoded.', hint: 'Re-export it.' };
    const { api } = fakeApi({ job0: [view('job0', 'failed', { error })] });
    await expect(runJob(api, 'k', { prompt: 'cup' }, () => {})).rejects.toMatchObject({ code: 'corrupt_image', message: error.message, hint: error.hint });
  });
});

describe('runJob and cancellation', () => {
  it('hands out the job id at once and ends with the cancellation as a typed error', async () => {
    const error = { code: 'job_cancelled' as const, message: 'The job was cancelled while it ran; its result was discarded.', hint: 'You were not billed for it.' };
    const { api } = fakeApi({ job0: [view('job0', 'running'), view('job0', 'cancelled', { error, billable: false })] });
    let id = '';
    await expect(runJob(api, 'k', { prompt: 'cup' }, () => {}, undefined, (j) => (id = j))).rejects.toMatchObject({ code: 'job_cancelled' });
    expect(id).toBe('job0');
  });
});

describe('runQuick (click refinement)', () => {
  it('takes the result of the synchronous answer', async () => {
    const { api, calls } = fakeApi({}, async () => view('job9', 'succeeded', { mode: 'sync', result }));
    expect((await runQuick(api, 'k', { prompt: 'cup' })).engine).toBe('lite');
    expect(calls).toEqual({ create: 0, get: 0, segment: 1 });
  });

  it('polls the same job when the service answers 504 with its id: no second, billed request', async () => {
    const { api, calls } = fakeApi({ job7: [view('job7', 'running'), view('job7', 'succeeded', { result })] }, async () => {
      throw new ApiError(504, 'job_timeout', 'Still running.', 'Poll it.', undefined, { job_id: 'job7' });
    });
    await runQuick(api, 'k', { prompt: 'cup' });
    expect(calls.create).toBe(0);
    expect(calls.get).toBe(2);
  });

  it('falls back to a job when the image is too big for the sync route', async () => {
    const { api, calls } = fakeApi({ job0: [view('job0', 'succeeded', { result })] }, async () => {
      throw new ApiError(413, 'payload_too_large', 'Too big for POST /v1/segment.', 'Use jobs.');
    });
    await runQuick(api, 'k', { prompt: 'cup' });
    expect(calls).toEqual({ create: 1, get: 1, segment: 1 });
  });

  it('passes other errors on', async () => {
    const { api } = fakeApi({}, async () => {
      throw new ApiError(401, 'unauthorized', 'Bad key.', 'Check the key.');
    });
    await expect(runQuick(api, 'k', { prompt: 'cup' })).rejects.toMatchObject({ code: 'unauthorized' });
  });
});
