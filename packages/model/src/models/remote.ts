/**
 * One remote file: its size, a published checksum when the source has one, and a byte stream
 * from any offset (for resuming). Hugging Face sources go through @huggingface/hub (token,
 * redirects, LFS metadata); a plain base URL (the usls GitHub release, a mirror, a test server)
 * uses fetch with an HTTP Range header.
 */
import { downloadFile, fileDownloadInfo, HubApiError } from '@huggingface/hub';
import { PromptsegError } from '@promptseg/shared';
import type { Source } from './catalogue.js';

export interface RemoteFile {
  name: string;
  url: string;
  size: number;
  /** sha256 published by the source (HF LFS ETag, SHA256SUMS), if any. */
  sha256?: string;
  /** Bytes from `offset` to the end. `restarted` = the server ignored the range and sends from 0. */
  open(offset: number): Promise<{ stream: ReadableStream<Uint8Array>; restarted: boolean }>;
}

export interface RemoteOptions {
  /** Hugging Face token (HF_TOKEN). */
  token?: string;
  /** Hugging Face endpoint (HF_ENDPOINT), default https://huggingface.co. */
  hubUrl?: string;
  fetch?: typeof fetch;
}

const SHA256 = /^[0-9a-f]{64}$/;

/** Returns null when the source does not have the file (HTTP 404). */
export async function probeRemote(source: Source, name: string, opts: RemoteOptions): Promise<RemoteFile | null> {
  return source.kind === 'hf' ? probeHf(source, name, opts) : probeUrl(new URL(name, source.base).href, name, opts);
}

async function probeHf(source: Source, name: string, opts: RemoteOptions): Promise<RemoteFile | null> {
  const repo = source.repo as string;
  const hubUrl = opts.hubUrl ?? 'https://huggingface.co';
  const url = `${hubUrl}/${repo}/resolve/${source.revision ?? 'main'}/${name}`;
  const common = { repo, path: name, revision: source.revision, hubUrl, fetch: opts.fetch, ...(opts.token ? { accessToken: opts.token } : {}) };
  const info = await hubCall(url, () => fileDownloadInfo(common));
  if (!info) return null;
  // For LFS files the ETag is the sha256 of the content; for small git files it is a git hash.
  const etag = info.etag.replace(/^W\//, '').replace(/"/g, '').toLowerCase();
  return {
    name,
    url,
    size: info.size,
    ...(SHA256.test(etag) ? { sha256: etag } : {}),
    async open(offset) {
      const blob = await hubCall(url, () => downloadFile({ ...common, downloadInfo: info }));
      if (!blob) throw missing(url);
      return { stream: blob.slice(offset).stream() as ReadableStream<Uint8Array>, restarted: false };
    },
  };
}

async function hubCall<T>(url: string, call: () => Promise<T>): Promise<T | null> {
  try {
    return await call();
  } catch (e) {
    if (e instanceof HubApiError) {
      if (e.statusCode === 404) return null;
      throw httpError(e.statusCode, url, true);
    }
    if (e instanceof TypeError && /access token must start with/.test(e.message)) {
      throw new PromptsegError('auth_required', 'HF_TOKEN is not a Hugging Face access token (it must start with "hf_").', 'Create a read token at https://huggingface.co/settings/tokens and export HF_TOKEN=hf_...');
    }
    throw networkError(e, url);
  }
}

async function probeUrl(url: string, name: string, opts: RemoteOptions): Promise<RemoteFile | null> {
  const f = opts.fetch ?? fetch;
  let res: Response;
  try {
    res = await f(url, { headers: { Range: 'bytes=0-0' } });
  } catch (e) {
    throw networkError(e, url);
  }
  await res.body?.cancel();
  if (res.status === 404) return null;
  if (!res.ok) throw httpError(res.status, url, false);
  let size: number;
  if (res.status === 206) size = Number(res.headers.get('content-range')?.split('/').pop());
  else size = Number(res.headers.get('content-length'));
  if (!Number.isFinite(size) || size < 0) {
    throw new PromptsegError('download_failed', `The server did not say how large ${url} is.`, 'Use a source that sends Content-Length or supports range requests.');
  }
  return {
    name,
    url,
    size,
    async open(offset) {
      let r: Response;
      try {
        r = await f(url, offset > 0 ? { headers: { Range: `bytes=${offset}-` } } : {});
      } catch (e) {
        throw networkError(e, url);
      }
      if (!r.ok) { await r.body?.cancel(); throw httpError(r.status, url, false); }
      if (!r.body) throw new PromptsegError('download_failed', `Empty response for ${url}.`, 'Retry later.');
      return { stream: r.body, restarted: offset > 0 && r.status !== 206 };
    },
  };
}

/** Parses a SHA256SUMS file ("<hex>  <name>" lines, as sha256sum writes them). */
export function parseSha256Sums(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^([0-9a-fA-F]{64})\s+\*?(.+?)\s*$/.exec(line);
    if (m) out.set(m[2], m[1].toLowerCase());
  }
  return out;
}

/** The source's SHA256SUMS file, if it publishes one (URL sources). */
export async function fetchPublishedSums(source: Source, opts: RemoteOptions): Promise<Map<string, string>> {
  if (source.kind !== 'url') return new Map();
  const url = new URL('SHA256SUMS', source.base).href;
  let res: Response;
  try {
    res = await (opts.fetch ?? fetch)(url);
  } catch (e) {
    throw networkError(e, url);
  }
  if (res.status === 404) { await res.body?.cancel(); return new Map(); }
  if (!res.ok) { await res.body?.cancel(); throw httpError(res.status, url, false); }
  return parseSha256Sums(await res.text());
}

function missing(url: string): PromptsegError {
  return new PromptsegError('download_failed', `${url} was not found (HTTP 404).`, 'The source may have moved the file; check --source and --variant.');
}

export function httpError(status: number, url: string, hf: boolean): PromptsegError {
  if (status === 401 || status === 403) {
    return new PromptsegError(
      'auth_required',
      `The source refused access to ${url} (HTTP ${status}).`,
      hf
        ? 'The repository is gated or private: accept its licence on the model page, then export HF_TOKEN=hf_... (a read token of that account) and rerun.'
        : 'The server needs credentials that promptseg does not send; download the files yourself and register them with: promptseg models pull sam3 --from DIR',
      { status },
    );
  }
  if (status === 404) return missing(url);
  return new PromptsegError('download_failed', `Downloading ${url} failed (HTTP ${status}).`, 'Retry later; a rerun resumes where it stopped.', { status });
}

const NETWORK_CODES = ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'ECONNRESET', 'ENETUNREACH', 'EHOSTUNREACH', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_SOCKET'];

export function networkError(e: unknown, url: string): PromptsegError {
  if (e instanceof PromptsegError) return e;
  const cause = (e as { cause?: { code?: string; message?: string } })?.cause;
  const code = cause?.code ?? (e as { code?: string })?.code;
  const detail = code ?? cause?.message ?? (e as Error)?.message ?? String(e);
  return new PromptsegError(
    'network_unavailable',
    `Could not reach ${new URL(url).host} (${detail}).`,
    NETWORK_CODES.includes(code ?? '') || !code
      ? 'Check the network connection (and proxy settings), then rerun: finished and partial files are kept and the download resumes.'
      : 'Rerun later: the download resumes where it stopped.',
    { code },
  );
}
