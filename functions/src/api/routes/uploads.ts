/**
 * POST /v1/uploads: a presigned upload for one image under the caller's tenant prefix. The
 * limits are in the signature: POST policies bind key, Content-Type and a content-length-range;
 * PUT signatures bind Content-Type and the exact Content-Length. S3 refuses anything else.
 * Images and clips (video/mp4, video/webm, video/quicktime) have separate size limits.
 */
import type { Hono } from 'hono';
import { isVideoContentType, PromptsegError, UploadRequestSchema, type UploadResponse } from '@promptseg/shared';
import { randomId } from '../../core/ids.js';
import { parseBody } from '../body.js';
import { uploadKeyOf, type ApiDeps, type ApiEnv } from '../context.js';

export function registerUploads(app: Hono<ApiEnv>, deps: ApiDeps): void {
  app.post('/v1/uploads', async (c) => {
    const key = c.get('key');
    const req = await parseBody(c, UploadRequestSchema, 'upload request');
    const { uploadUrlTtlS } = deps.config;
    // Clips have their own limit, bound into their policy/signature as the image limit is.
    const video = isVideoContentType(req.content_type);
    const maxUploadBytes = video ? deps.config.maxVideoUploadBytes : deps.config.maxUploadBytes;
    if (req.size !== undefined && req.size > maxUploadBytes) {
      throw new PromptsegError(
        'payload_too_large',
        `The ${video ? 'clip' : 'image'} is ${req.size} bytes; ${video ? 'video' : 'image'} uploads are limited to ${maxUploadBytes} bytes.`,
        video ? 'Cut the clip (ffmpeg -ss/-t) or re-encode it smaller before uploading.' : 'Downscale or recompress the image before uploading.',
        { max_bytes: maxUploadBytes },
      );
    }
    if (req.method === 'PUT' && req.size === undefined) {
      throw new PromptsegError('invalid_option', 'Invalid upload request: size is required with method PUT (the signature binds the exact length).', 'Send the file size in bytes as "size", or use method POST.');
    }
    const uploadId = randomId('upl');
    const objectKey = uploadKeyOf(key.tenant, uploadId);
    const expiresAt = new Date(Date.now() + uploadUrlTtlS * 1000).toISOString();
    const base = { upload_id: uploadId, upload_key: objectKey, content_type: req.content_type, max_bytes: maxUploadBytes, expires_at: expiresAt };
    let body: UploadResponse;
    if (req.method === 'PUT') {
      const put = await deps.store.presignPut(objectKey, req.content_type, req.size ?? 0, uploadUrlTtlS);
      body = { ...base, method: 'PUT', url: put.url, headers: put.headers };
    } else {
      const post = await deps.store.presignPost(objectKey, req.content_type, maxUploadBytes, uploadUrlTtlS);
      body = { ...base, method: 'POST', url: post.url, fields: post.fields };
    }
    return c.json(body, 201);
  });
}
