/**
 * One fan-out worker process (local-workers.ts forks it): runs segmentVideo on one segment of a
 * clip and sends back its document. Messages: in `{source, prompt, options}`; out
 * `{type: 'progress', frames_done}` per frame, then `{type: 'done', result}` or
 * `{type: 'error', error: {code, message, hint, details}}`.
 */
import { toPromptsegError } from '@promptseg/shared';
import { segmentVideo, type SegmentVideoOptions } from '../segment-video.js';

export interface WorkerRequest {
  source: string;
  prompt: string;
  options: SegmentVideoOptions;
}

const send = (m: unknown) => new Promise<void>((resolve) => process.send?.(m, () => resolve()) ?? resolve());

process.once('message', async (req: WorkerRequest) => {
  try {
    const { result } = await segmentVideo(req.source, req.prompt, {
      ...req.options,
      collectFrames: true,
      onFrame: (out) => void process.send?.({ type: 'progress', frames_done: out.progress.frames_done }),
    });
    await send({ type: 'done', result });
  } catch (e) {
    const err = toPromptsegError(e);
    await send({ type: 'error', error: { code: err.code, message: err.message, hint: err.hint, details: err.details } });
  }
  process.disconnect?.();
});
