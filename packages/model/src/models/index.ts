// The model store: install, verify and remove model files (`promptseg models ...`), and the
// hosted service's copy from S3.
export * from './catalogue.js';
export * from './store.js';
export { pullModel, type PullEvent, type PullOptions, type PullReport } from './pull.js';
export { registerModelDir, type RegisterOptions, type RegisterReport } from './register.js';
export { syncModelFromS3, syncModelFromS3Once, type S3SyncOptions, type S3SyncReport } from './s3-sync.js';
