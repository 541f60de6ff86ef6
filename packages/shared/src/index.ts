export * from './errors.js';
export * from './geometry.js';
export * from './rle.js';
export * from './result.js';
export * from './options.js';
export * from './prompt/types.js';
