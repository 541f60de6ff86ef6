/**
 * Wire shapes of the service, from packages/shared/src/api.ts (the schemas the API validates
 * with), plus the few things the page reads that those schemas leave open.
 */
import type { JobView as WireJobView, SegmentResult } from '@promptseg/shared';

export type { JobAccepted, JobRequestInput, UploadResponse, UploadRequest, JobStatus } from '@promptseg/shared';

export interface EngineInfo {
  id: string;
  installed: boolean;
  /** How to install it when it is not (e.g. the sam3 download command). */
  hint?: string;
}

export interface Health {
  status: string;
  version?: string;
  storage?: string;
  engines?: EngineInfo[];
  max_upload_bytes?: number;
  max_video_upload_bytes?: number;
  /** Largest image (pixels) the service decodes; absent until its inference function reported. */
  max_pixels?: number;
}

/** A job as polled; `result` is the result document once succeeded. */
export type JobView = Omit<WireJobView, 'result'> & { result?: SegmentResult };
