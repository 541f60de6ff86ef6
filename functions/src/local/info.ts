/** What local mode leaves in its data dir for other tools (the `keys` admin command). */

/** s3rver's built-in account (it refuses other access keys). */
export const LOCAL_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

/** <dataDir>/local.json */
export interface LocalInfo {
  api_url: string;
  s3_endpoint: string;
  lambda_endpoint: string;
  bucket: string;
  region: string;
  pepper_file: string;
}
