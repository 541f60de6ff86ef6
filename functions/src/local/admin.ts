/**
 * Where the admin commands (`promptseg keys …`) find the key and usage store: the production
 * bucket when PROMPTSEG_KEY_PEPPER is set (with PROMPTSEG_BUCKET / PROMPTSEG_S3_ENDPOINT /
 * AWS_REGION and the usual AWS credentials), else local mode's store as `npm start` left it in
 * PROMPTSEG_DATA_DIR (default .local-data: local.json + pepper).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PromptsegError } from '@promptseg/shared';
import { API_ENV, LOCAL_ENV, envString, type Env } from '../config.js';
import { ObjectStore } from '../core/objects.js';
import { LOCAL_CREDENTIALS, type LocalInfo } from './info.js';

export interface AdminStore {
  store: ObjectStore;
  pepper: string;
  /** Where it points, for messages. */
  where: string;
}

export function openAdminStore(env: Env, cwd = process.cwd()): AdminStore {
  if (env.PROMPTSEG_KEY_PEPPER) {
    const endpoint = envString(API_ENV, env, 'PROMPTSEG_S3_ENDPOINT') || undefined;
    const bucket = envString(API_ENV, env, 'PROMPTSEG_BUCKET');
    return {
      store: new ObjectStore({ bucket, region: envString(API_ENV, env, 'AWS_REGION'), endpoint }),
      pepper: env.PROMPTSEG_KEY_PEPPER,
      where: `s3://${bucket}${endpoint ? ` at ${endpoint}` : ''}`,
    };
  }
  const dataDir = resolve(cwd, envString(LOCAL_ENV, env, 'PROMPTSEG_DATA_DIR'));
  const infoFile = join(dataDir, 'local.json');
  if (!existsSync(infoFile)) {
    throw new PromptsegError(
      'file_not_found',
      `No local mode data in ${dataDir} (local.json is missing).`,
      'Run `npm start` once in the repository (it creates the local store), or set PROMPTSEG_KEY_PEPPER, PROMPTSEG_BUCKET and AWS credentials to manage the production keys.',
    );
  }
  const info = JSON.parse(readFileSync(infoFile, 'utf8')) as LocalInfo;
  return {
    store: new ObjectStore({ bucket: info.bucket, region: info.region, endpoint: info.s3_endpoint, credentials: LOCAL_CREDENTIALS }),
    pepper: readFileSync(info.pepper_file, 'utf8').trim(),
    where: `local mode (${info.s3_endpoint}, data in ${dataDir})`,
  };
}
