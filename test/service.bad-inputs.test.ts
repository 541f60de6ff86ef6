// A corpus of bad (and odd-but-valid) inputs, generated here, sent through the whole service.
// Each gets its documented answer — refused by the S3 signature/policy, by the API (400/404/413/
// 415, not billed), or a job that fails with a typed error — and /v1/health keeps answering.
import { readFileSync } from 'node:fs';
import { crc32, deflateSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { encodeImage, readRawPixels, segment, type RawPixels } from '@promptseg/model';
import { MAX_PROMPT_CHARS } from '@promptseg/shared';
import { sendToS3, startTestStack, stableResult, type Client, type TestStack } from './service-kit.js';

const MAX_UPLOAD = 300_000;
let stack: TestStack;
let api: Client;
const horse = new Uint8Array(readFileSync(new URL('../web/public/samples/horse.png', import.meta.url)));
const counted: string[] = [];

beforeAll(async () => {
  stack = await startTestStack({ env: { PROMPTSEG_MAX_UPLOAD_BYTES: String(MAX_UPLOAD) } });
  api = stack.client(await stack.newKey({ tenant: 'corpus' }));
});
afterAll(async () => {
  await stack?.teardown();
});
afterEach(async () => {
  const h = await fetch(`${stack.apiUrl}/v1/health`);
  expect(h.status).toBe(200);
});

// ------------------------------------------------------------------ generators
function pattern(w: number, h: number, channels: 3 | 4 = 3): RawPixels {
  const data = new Uint8Array(w * h * channels);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const i = (y * w + x) * channels;
      data[i] = x < w / 2 ? 220 : 30;
      data[i + 1] = y < h / 2 ? 40 : 200;
      data[i + 2] = (x * 7 + y * 3) % 255;
      if (channels === 4) data[i + 3] = 255;
    }
  return { width: w, height: h, channels, data };
}
const png = (w = 64, h = 48) => encodeImage(pattern(w, h), 'png');

function chunk(type: string, data: Uint8Array): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}
/** A valid PNG header claiming w x h, with one tiny IDAT: a decompression-bomb header. */
function pngClaiming(w: number, h: number): Uint8Array {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  return new Uint8Array(Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(Buffer.alloc(64))), chunk('IEND', new Uint8Array(0))]));
}

/** Stores `upright` rotated so that EXIF orientation 6 (rotate 90° clockwise) shows it upright. */
function rotatedForOrientation6(up: RawPixels): RawPixels {
  const { width: W, height: H, channels: c } = up;
  const data = new Uint8Array(W * H * c);
  for (let sy = 0; sy < W; sy++)
    for (let sx = 0; sx < H; sx++) {
      const from = (sx * W + (W - 1 - sy)) * c;
      data.set(up.data.subarray(from, from + c), (sy * H + sx) * c);
    }
  return { width: H, height: W, channels: c, data };
}

// ------------------------------------------------------------------ helpers
async function presignedUpload(contentType: string, extra: Record<string, unknown> = {}) {
  const p = await api.presign(contentType, extra);
  expect(p.status).toBe(201);
  return p.body;
}

async function expectS3Refusal(status: number, s3Code: string, send: () => Promise<{ status: number; body: string }>, what: string) {
  counted.push(what);
  const r = await send();
  expect(r.status, r.body).toBe(status);
  expect(r.body).toContain(`<Code>${s3Code}</Code>`);
}

async function expectApiError(status: number, code: string, message: RegExp, call: () => Promise<{ status: number; body: unknown }>, what: string) {
  counted.push(what);
  const r = await call();
  const body = r.body as { error?: { code: string; message: string; hint: string } };
  expect(r.status, JSON.stringify(body)).toBe(status);
  expect(body.error?.code).toBe(code);
  expect(body.error?.message).toMatch(message);
  expect(body.error?.hint.length).toBeGreaterThan(10);
}

async function runJob(bytes: Uint8Array, contentType: string, body: Record<string, unknown> = {}) {
  const key = await api.uploadOk(bytes, contentType);
  const created = await api.createJob({ upload_key: key, prompt: 'horse, person', engine: 'lite', ...body });
  expect(created.status, JSON.stringify(created.body)).toBe(202);
  return api.waitJob(created.body.job_id);
}

async function expectJobFailure(code: string, message: RegExp, bytes: Uint8Array, contentType: string, what: string) {
  counted.push(what);
  const job = await runJob(bytes, contentType);
  expect(job.status).toBe('failed');
  expect(job.error?.code).toBe(code);
  expect(job.error?.message).toMatch(message);
  expect(job.error?.hint.length).toBeGreaterThan(10);
  expect(job.result).toBeUndefined();
  expect(job.downloads).toBeUndefined();
  // A bad input is the caller's: the job ran and is billed (only our failures are not).
  expect(job.billable).toBe(true);
}

// ------------------------------------------------------------------ refused by S3 (signature / policy)
describe('uploads refused by the presigned signature or policy', () => {
  it('zero-byte file (POST policy range starts at 1)', async () => {
    const u = await presignedUpload('image/png');
    await expectS3Refusal(400, 'EntityTooSmall', () => sendToS3(u, new Uint8Array(0)), 'zero-byte upload');
  });

  it('oversized file (POST content-length-range)', async () => {
    const u = await presignedUpload('image/png');
    await expectS3Refusal(400, 'EntityTooLarge', () => sendToS3(u, new Uint8Array(MAX_UPLOAD + 1)), 'oversized POST upload');
  });

  it('more bytes than the PUT signature binds', async () => {
    const u = await presignedUpload('image/png', { method: 'PUT', size: 100 });
    await expectS3Refusal(403, 'SignatureDoesNotMatch', async () => {
      const r = await fetch(u.url, { method: 'PUT', headers: { 'Content-Type': 'image/png' }, body: new Uint8Array(5000) });
      return { status: r.status, body: await r.text() };
    }, 'PUT larger than signed');
  });

  it('wrong content type (POST field / PUT header)', async () => {
    const post = await presignedUpload('image/png');
    await expectS3Refusal(403, 'AccessDenied', () => sendToS3(post, horse, { contentType: 'text/plain' }), 'POST with another Content-Type');
    const put = await presignedUpload('image/png', { method: 'PUT', size: horse.length });
    await expectS3Refusal(403, 'SignatureDoesNotMatch', () => sendToS3(put, horse, { contentType: 'image/jpeg' }), 'PUT with another Content-Type');
  });

  it('expired presigned POST and PUT', async () => {
    const post = await stack.store.presignPost('uploads/corpus/upl_expiredpostaaaaaaaaaaaaaa', 'image/png', MAX_UPLOAD, 1);
    const put = await stack.store.presignPut('uploads/corpus/upl_expiredputaaaaaaaaaaaaaaa', 'image/png', horse.length, 1);
    await new Promise((r) => setTimeout(r, 1300));
    await expectS3Refusal(403, 'AccessDenied', () => sendToS3({ ...post, method: 'POST', upload_id: '', upload_key: '', content_type: 'image/png', max_bytes: 0, expires_at: '' }, horse), 'expired POST policy');
    await expectS3Refusal(403, 'AccessDenied', () => sendToS3({ ...put, method: 'PUT', upload_id: '', upload_key: '', content_type: 'image/png', max_bytes: 0, expires_at: '' }, horse), 'expired PUT URL');
  });

  it('an upload without any signature (anonymous) is refused', async () => {
    await expectS3Refusal(403, 'AccessDenied', async () => {
      const r = await fetch(`${stack.s3Url}/${stack.bucket}/uploads/corpus/upl_anonymousaaaaaaaaaaaaaaaa`, { method: 'PUT', body: horse });
      return { status: r.status, body: await r.text() };
    }, 'anonymous PUT');
  });
});

// ------------------------------------------------------------------ refused by the API (never billed)
describe('presign requests refused by the API', () => {
  it.each([
    [{ content_type: 'image/svg+xml' }, 'invalid_option', /content_type must be one of/, 'presign SVG'],
    [{ content_type: 'application/pdf' }, 'invalid_option', /content_type must be one of/, 'presign PDF'],
    [{ content_type: 'image/png', size: 0 }, 'invalid_option', /size must be at least 1 byte/, 'presign size 0'],
    [{ content_type: 'image/png', size: -5 }, 'invalid_option', /size/, 'presign negative size'],
    [{ content_type: 'image/png', method: 'PATCH' }, 'invalid_option', /method must be POST or PUT/, 'presign bad method'],
  ])('%j', async (body, code, message, what) => {
    await expectApiError(400, code, message, () => api.request('POST', '/v1/uploads', body), what);
  });

  it('a declared size over the limit is 413 before any URL is signed', async () => {
    await expectApiError(413, 'payload_too_large', /limited to 300000 bytes/, () => api.request('POST', '/v1/uploads', { content_type: 'image/png', size: MAX_UPLOAD + 1, method: 'PUT' }), 'presign oversized PUT');
  });
});

describe('non-images refused when the job is created (not billed)', () => {
  const cases: [string, Uint8Array, string, RegExp][] = [
    ['text named .jpg', new TextEncoder().encode('Not a photo, just some text in a file called cat.jpg\n'), 'image/jpeg', /is text/],
    ['SVG', new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>'), 'image/png', /SVG drawing/],
    ['SVG with XML prolog', new TextEncoder().encode('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"></svg>'), 'image/png', /SVG drawing/],
    ['HTML page', new TextEncoder().encode('<!doctype html><html><body>hi</body></html>'), 'image/png', /HTML\/XML document/],
    ['PDF', new TextEncoder().encode('%PDF-1.4\n1 0 obj\n<<>>\nendobj\n'), 'image/png', /PDF document/],
    ['BMP', new Uint8Array([0x42, 0x4d, 0x3a, 0, 0, 0, 0, 0, 0, 0, 0x36, 0, 0, 0, 0x28, 0, 0, 0]), 'image/png', /BMP image/],
    ['random bytes', Uint8Array.from({ length: 256 }, (_, i) => (i * 73 + 11) % 256 & 0x1f), 'image/png', /not a supported image/],
  ];
  it.each(cases)('%s → 415 unsupported_image', async (what, bytes, type, message) => {
    const key = await api.uploadOk(bytes, type);
    await expectApiError(415, 'unsupported_image', message, () => api.createJob({ upload_key: key, prompt: 'cat' }), what);
  });
});

describe('job requests refused by the API (not billed)', () => {
  let key: string;
  beforeAll(async () => {
    key = await api.uploadOk(horse, 'image/png');
  });
  const cases: [string, Record<string, unknown> | string, number, string, RegExp][] = [
    ['empty prompt', { prompt: '' }, 400, 'invalid_prompt', /empty/],
    ['whitespace prompt', { prompt: ' \n\t ' }, 400, 'invalid_prompt', /empty/],
    ['100 KB prompt', { prompt: 'horse '.repeat(17_000) }, 400, 'invalid_prompt', new RegExp(`longer than ${MAX_PROMPT_CHARS}`)],
    ['500 concepts', { prompt: Array.from({ length: 500 }, (_, i) => `c${i}`).join(',') }, 400, 'invalid_prompt', /concepts; the limit is 32|longer than/],
    ['only an exclusion', { prompt: 'not the dog' }, 400, 'invalid_prompt', /only says what to leave out/],
    ['prompt is a number', { prompt: 42 }, 400, 'invalid_prompt', /prompt must be a string/],
    ['no prompt', {}, 400, 'invalid_prompt', /prompt must be a string/],
    ['threshold NaN (not JSON)', '{"prompt":"horse","threshold":NaN,"upload_key":"K"}', 400, 'bad_request', /not valid JSON/],
    ['threshold "NaN"', { prompt: 'horse', threshold: 'NaN' }, 400, 'invalid_option', /threshold must be a number/],
    ['threshold -1', { prompt: 'horse', threshold: -1 }, 400, 'invalid_option', /threshold must be between 0.1 and 0.9/],
    ['threshold 2', { prompt: 'horse', threshold: 2 }, 400, 'invalid_option', /threshold must be between 0.1 and 0.9/],
    ['threshold "abc"', { prompt: 'horse', threshold: 'abc' }, 400, 'invalid_option', /threshold must be a number/],
    ['threshold null', { prompt: 'horse', threshold: null }, 400, 'invalid_option', /threshold/],
    ['top_k 0', { prompt: 'horse', top_k: 0 }, 400, 'invalid_option', /top_k must be at least 1/],
    ['top_k 1.5', { prompt: 'horse', top_k: 1.5 }, 400, 'invalid_option', /top_k must be a whole number/],
    ['refine "ultra"', { prompt: 'horse', refine: 'ultra' }, 400, 'invalid_option', /refine must be one of/],
    ['unknown engine', { prompt: 'horse', engine: 'dall-e' }, 400, 'unknown_engine', /engine must be one of lite, sam3, auto/],
    ['unknown output', { prompt: 'horse', outputs: ['pdf'] }, 400, 'invalid_option', /outputs must be among/],
    ['box with negative width', { prompt: 'horse', boxes: [{ box: [1, 1, -5, 5] }] }, 400, 'invalid_option', /boxes/],
    ['misspelt field', { prompt: 'horse', treshold: 0.5 }, 400, 'invalid_option', /unknown field\(s\): treshold/],
    ['body over 256 KB', { prompt: 'horse', filler: 'x'.repeat(300_000) }, 413, 'payload_too_large', /larger than 262144 bytes/],
  ];
  it.each(cases)('%s', async (what, body, status, code, message) => {
    const send = typeof body === 'string' ? body.replace('"K"', JSON.stringify(key)) : { upload_key: key, ...body };
    await expectApiError(status, code, message, () => api.createJob(send as Record<string, unknown>), what);
  });

  it('uploads that do not exist, and malformed ids', async () => {
    await expectApiError(404, 'not_found', /No such upload/, () => api.createJob({ image_id: 'upl_zzzzzzzzzzzzzzzzzzzzzzzzzz', prompt: 'horse' }), 'unknown image_id');
    await expectApiError(404, 'not_found', /No such upload/, () => api.createJob({ image_id: '../../keys/x', prompt: 'horse' }), 'path-like image_id');
    await expectApiError(404, 'not_found', /No job/, () => api.getJob('job_zzzzzzzzzzzzzzzzzzzzzzzzzz'), 'unknown job id');
    await expectApiError(400, 'bad_request', /Idempotency-Key/, () => api.createJob({ upload_key: key, prompt: 'horse' }, { 'Idempotency-Key': 'has spaces in it' }), 'bad Idempotency-Key');
  });

  it('nothing above was billed', async () => {
    const u = await api.request<{ total_billable: number }>('GET', '/v1/usage');
    expect(u.body.total_billable).toBe(0);
  });
});

// ------------------------------------------------------------------ jobs that fail with a typed error
describe('images the inference function refuses (job failed with its error)', () => {
  it('truncated PNG', async () => {
    const full = await png(64, 48);
    await expectJobFailure('corrupt_image', /PNG/, new Uint8Array(full.subarray(0, Math.floor(full.length * 0.6))), 'image/png', 'truncated PNG');
  });

  it('truncated JPEG', async () => {
    const full = await encodeImage(pattern(64, 48), 'jpeg');
    await expectJobFailure('corrupt_image', /JPEG/, new Uint8Array(full.subarray(0, Math.floor(full.length * 0.5))), 'image/jpeg', 'truncated JPEG');
  });

  it('PNG header cut inside IHDR', async () => {
    const full = await png(64, 48);
    await expectJobFailure('corrupt_image', /damaged or cut short/, new Uint8Array(full.subarray(0, 20)), 'image/png', 'PNG cut in its header');
  });

  it('1×1 image', async () => {
    await expectJobFailure('image_too_small', /1x1/, new Uint8Array(await encodeImage(pattern(1, 1), 'png')), 'image/png', '1x1 PNG');
  });

  it('a header claiming 30000×30000 (refused before decoding pixels)', async () => {
    await expectJobFailure('image_too_large', /30000x30000/, pngClaiming(30000, 30000), 'image/png', 'PNG claiming 30000x30000');
  });
});

// ------------------------------------------------------------------ odd but valid: they work
describe('odd but valid images succeed', () => {
  it.each([
    ['CMYK JPEG', () => encodeImage(pattern(64, 48), 'jpeg', { cmyk: true }), 'image/jpeg'],
    ['16-bit PNG', () => encodeImage(pattern(64, 48), 'png', { sixteenBit: true }), 'image/png'],
    ['grayscale PNG', () => encodeImage({ ...pattern(64, 48), channels: 1, data: pattern(64, 48).data.filter((_, i) => i % 3 === 0) }, 'png'), 'image/png'],
    ['animated GIF (first frame used)', () => encodeImage(pattern(64, 48), 'gif', { frames: [pattern(64, 48)] }), 'image/gif'],
    ['PNG declared as image/jpeg', () => png(64, 48), 'image/jpeg'],
  ])('%s', async (what, make, type) => {
    counted.push(what);
    const job = await runJob(new Uint8Array(await make()), type);
    expect(job.status, JSON.stringify(job.error)).toBe('succeeded');
    expect(job.result).toMatchObject({ image: { width: 64, height: 48 } });
  });

  it('EXIF-rotated image: masks match the upright image', async () => {
    counted.push('EXIF orientation 6');
    const upright = await readRawPixels(horse);
    const stored = rotatedForOrientation6(upright);
    const rotatedPng = new Uint8Array(await encodeImage(stored, 'png', { orientation: 6 }));
    const job = await runJob(rotatedPng, 'image/png', { prompt: 'horse' });
    expect(job.status).toBe('succeeded');
    const here = await segment(horse, 'horse', { engine: 'lite' });
    // Same upright pixels → the same instances, masks (RLE) and boxes as the upright file.
    expect(stableResult(job.result)).toEqual(stableResult(here.result));
    expect((job.result as { image: { width: number; height: number } }).image).toEqual({ width: upright.width, height: upright.height });
    expect(here.result.instances.length).toBeGreaterThan(0);
  });
});

describe('the corpus', () => {
  it('has at least 40 generated bad or odd inputs, each checked above', () => {
    expect(new Set(counted).size).toBe(counted.length);
    expect(counted.length).toBeGreaterThanOrEqual(40);
  });
});
