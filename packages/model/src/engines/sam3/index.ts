export { Sam3Engine, isSam3Embedding, resolveSam3Files, VISUAL_PHRASE, type Sam3Embedding, type Sam3EngineOptions } from './engine.js';
export { Sam3Model, type Sam3Files, type DecoderOutput } from './model.js';
export { detectLayout, type Sam3Layout, type LayoutId } from './layout.js';
export { Sam3Tokenizer, type PaddingRule } from './tokenizer.js';
