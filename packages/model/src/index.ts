// Public API of @promptseg/model. The pipeline (segment) is the one entry point for the CLI and
// the inference function.
export * from './io/image.js';
export * from './io/decode.js';
export * from './engines/engine.js';
