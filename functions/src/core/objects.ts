/**
 * The one wrapper around S3 for the service: JSON records with conditional writes (the job
 * state machine and idempotent creation rely on If-None-Match / If-Match), bytes, listings and
 * presigned URLs. Every S3 failure that is not "no such key" or "precondition failed" becomes
 * `storage_unavailable` (HTTP 503) with a message that names the operation, so callers never
 * leak SDK errors. Edge-safe: AWS SDK only.
 */
import {
  S3Client,
  GetObjectCommand,
  PutObjectCommand,
  HeadObjectCommand,
  DeleteObjectCommand,
  HeadBucketCommand,
  CreateBucketCommand,
  paginateListObjectsV2,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { PromptsegError } from '@promptseg/shared';
import type { StorageConfig } from '../config.js';

export interface ObjectInfo {
  size: number;
  contentType?: string;
  etag?: string;
}

export interface ListedObject {
  key: string;
  size: number;
}

export interface Versioned<T> {
  value: T;
  etag: string;
}

export type PutCondition = { ifNoneMatch: true } | { ifMatch: string } | undefined;

interface SdkErrorShape {
  name?: string;
  message?: string;
  code?: string;
  $metadata?: { httpStatusCode?: number };
}

function sdkStatus(e: unknown): number | undefined {
  return (e as SdkErrorShape)?.$metadata?.httpStatusCode;
}

function isNotFound(e: unknown): boolean {
  const name = (e as SdkErrorShape)?.name;
  return name === 'NoSuchKey' || name === 'NotFound' || (sdkStatus(e) === 404 && name !== 'NoSuchBucket');
}

function isPreconditionFailed(e: unknown): boolean {
  const name = (e as SdkErrorShape)?.name;
  // 409 ConditionalRequestConflict: a concurrent conditional write won; treat like 412.
  return name === 'PreconditionFailed' || sdkStatus(e) === 412 || sdkStatus(e) === 409;
}

export function storageError(op: string, e: unknown): PromptsegError {
  if (e instanceof PromptsegError) return e;
  const err = e as SdkErrorShape;
  const status = sdkStatus(e);
  const what = [err?.name, err?.code, err?.message].filter((s) => s && s !== 'Error' && s !== 'UnknownError').join(': ') || String(e);
  return new PromptsegError(
    'storage_unavailable',
    `The storage service (S3) is unavailable (${op}${status ? `, HTTP ${status}` : ''}): ${what}.`,
    'Nothing was half-written; retry the request in a moment. If it keeps failing, the operator should check the S3 endpoint, bucket and credentials.',
  );
}

export class ObjectStore {
  readonly bucket: string;
  readonly s3: S3Client;
  private readonly presigner: S3Client;

  constructor(readonly config: StorageConfig) {
    this.bucket = config.bucket;
    this.s3 = new S3Client(clientOptions(config, config.endpoint));
    const pub = config.publicEndpoint ?? config.endpoint;
    this.presigner = pub === config.endpoint ? this.s3 : new S3Client(clientOptions(config, pub));
  }

  async getJson<T>(key: string): Promise<Versioned<T> | null> {
    const got = await this.getBytes(key);
    if (!got) return null;
    return { value: JSON.parse(new TextDecoder().decode(got.bytes)) as T, etag: got.etag };
  }

  async getBytes(key: string, range?: { start: number; end: number }): Promise<{ bytes: Uint8Array; etag: string; contentType?: string } | null> {
    try {
      const r = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key, Range: range ? `bytes=${range.start}-${range.end}` : undefined }));
      const bytes = r.Body ? await r.Body.transformToByteArray() : new Uint8Array(0);
      return { bytes, etag: r.ETag ?? '', contentType: r.ContentType };
    } catch (e) {
      if (isNotFound(e)) return null;
      // An empty object asked for a byte range answers 416; it exists but holds nothing.
      if (range && sdkStatus(e) === 416) return { bytes: new Uint8Array(0), etag: '' };
      throw storageError('reading an object', e);
    }
  }

  async head(key: string): Promise<ObjectInfo | null> {
    try {
      const r = await this.s3.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return { size: r.ContentLength ?? 0, contentType: r.ContentType, etag: r.ETag };
    } catch (e) {
      if (isNotFound(e)) return null;
      throw storageError('checking an object', e);
    }
  }

  /** Writes JSON; with a condition, returns null when the condition failed (someone else wrote first). */
  async putJson(key: string, value: unknown, condition?: PutCondition): Promise<{ etag: string } | null> {
    return this.putBytes(key, new TextEncoder().encode(JSON.stringify(value)), 'application/json', condition);
  }

  async putBytes(key: string, bytes: Uint8Array, contentType: string, condition?: PutCondition): Promise<{ etag: string } | null> {
    try {
      const r = await this.s3.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: key,
          Body: bytes,
          ContentType: contentType,
          ContentLength: bytes.length,
          IfNoneMatch: condition && 'ifNoneMatch' in condition ? '*' : undefined,
          IfMatch: condition && 'ifMatch' in condition ? condition.ifMatch : undefined,
        }),
      );
      return { etag: r.ETag ?? '' };
    } catch (e) {
      if (condition && isPreconditionFailed(e)) return null;
      throw storageError('writing an object', e);
    }
  }

  async delete(key: string): Promise<void> {
    try {
      await this.s3.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
    } catch (e) {
      if (isNotFound(e)) return;
      throw storageError('deleting an object', e);
    }
  }

  async *list(prefix: string, startAfter?: string): AsyncGenerator<ListedObject> {
    try {
      for await (const page of paginateListObjectsV2({ client: this.s3 }, { Bucket: this.bucket, Prefix: prefix, StartAfter: startAfter })) {
        for (const o of page.Contents ?? []) if (o.Key) yield { key: o.Key, size: o.Size ?? 0 };
      }
    } catch (e) {
      throw storageError('listing objects', e);
    }
  }

  async ping(): Promise<void> {
    try {
      await this.s3.send(new HeadBucketCommand({ Bucket: this.bucket }));
    } catch (e) {
      throw storageError('checking the bucket', e);
    }
  }

  /** Local mode only: create the bucket if missing. */
  async ensureBucket(): Promise<void> {
    try {
      await this.s3.send(new HeadBucketCommand({ Bucket: this.bucket }));
    } catch {
      await this.s3.send(new CreateBucketCommand({ Bucket: this.bucket })).catch((e: unknown) => {
        if ((e as SdkErrorShape)?.name !== 'BucketAlreadyOwnedByYou') throw storageError('creating the bucket', e);
      });
    }
  }

  /**
   * A presigned POST whose policy binds the key, the exact Content-Type and a content-length
   * range: S3 refuses any other file before storing a byte.
   */
  async presignPost(key: string, contentType: string, maxBytes: number, expiresS: number): Promise<{ url: string; fields: Record<string, string> }> {
    try {
      return await createPresignedPost(this.presigner, {
        Bucket: this.bucket,
        Key: key,
        Conditions: [
          ['content-length-range', 1, maxBytes],
          ['eq', '$Content-Type', contentType],
        ],
        Fields: { 'Content-Type': contentType },
        Expires: expiresS,
      });
    } catch (e) {
      throw storageError('presigning an upload', e);
    }
  }

  /** A presigned PUT whose signature covers Content-Type and the exact Content-Length. */
  async presignPut(key: string, contentType: string, size: number, expiresS: number): Promise<{ url: string; headers: Record<string, string> }> {
    try {
      const url = await getSignedUrl(this.presigner, new PutObjectCommand({ Bucket: this.bucket, Key: key, ContentType: contentType, ContentLength: size }), {
        expiresIn: expiresS,
        signableHeaders: new Set(['content-type', 'content-length']),
      });
      return { url, headers: { 'Content-Type': contentType, 'Content-Length': String(size) } };
    } catch (e) {
      throw storageError('presigning an upload', e);
    }
  }

  async presignGet(key: string, expiresS: number, downloadName?: string): Promise<string> {
    try {
      return await getSignedUrl(
        this.presigner,
        new GetObjectCommand({ Bucket: this.bucket, Key: key, ResponseContentDisposition: downloadName ? `attachment; filename="${downloadName.replace(/"/g, '')}"` : undefined }),
        { expiresIn: expiresS },
      );
    } catch (e) {
      throw storageError('presigning a download', e);
    }
  }
}

function clientOptions(config: StorageConfig, endpoint: string | undefined): S3ClientConfig {
  return {
    region: config.region,
    endpoint,
    forcePathStyle: endpoint !== undefined,
    credentials: config.credentials,
    // Presigned PUTs must not carry a checksum of an empty body (S3 would reject the upload),
    // and s3rver predates the flexible checksums: only send them where S3 requires them.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: 3,
    requestHandler: { connectionTimeout: 3000, requestTimeout: 15000 },
  };
}
