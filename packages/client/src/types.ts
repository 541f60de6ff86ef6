/**
 * The wire types under the names the client uses, all taken from wire.gen.ts (generated from the
 * API's OpenAPI document), so the client cannot disagree with what the service validates.
 */
import type { components } from './wire.gen.js';

type Schemas = components['schemas'];

export type UploadRequest = Schemas['UploadRequest'];
export type UploadResponse = Schemas['UploadResponse'];
/** The body of POST /v1/jobs and POST /v1/segment (fields with defaults are optional). */
export type JobRequest = Schemas['JobRequest'];
export type JobAccepted = Schemas['JobAccepted'];
/** GET /v1/jobs/{id}: status, and when succeeded the result document and presigned downloads. */
export type Job = Schemas['Job'];
export type JobList = Schemas['JobList'];
/** A job as GET /v1/jobs lists it (no result document, no downloads). */
export type JobSummary = JobList['jobs'][number];
export type JobStatus = Job['status'];
export type Download = NonNullable<Job['downloads']>[number];
export type OutputFormat = Download['format'];
export type Usage = Schemas['Usage'];
export type Health = Schemas['Health'];
export type EngineInfo = NonNullable<Health['engines']>[number];
/** `{code, message, hint, details?}`: how every API error and every failed job explains itself. */
export type ErrorBody = Schemas['Error']['error'];
export type ErrorCode = ErrorBody['code'];

/** The job request without the image: what segment() and createJob() callers choose. */
export type JobOptions = Omit<JobRequest, 'upload_key' | 'image_id'>;

export const FINAL_STATUSES: readonly JobStatus[] = ['succeeded', 'failed', 'cancelled'];
export const isFinal = (s: JobStatus): boolean => FINAL_STATUSES.includes(s);
