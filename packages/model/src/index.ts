// Public API of @promptseg/model. The pipeline (segment) is the one entry point for the CLI and
// the inference function.
export * from './io/image.js';
export * from './io/decode.js';
export * from './engines/engine.js';
export * from './export/index.js';
export { maskPolygons, withPolygons } from './postprocess/polygons.js';
export { segment, warmup, embeddingCacheStats, setEmbeddingCacheBudget, clearEmbeddingCache, type SegmentCallOptions, type SegmentOutcome } from './pipeline/segment.js';
export type { CacheStats } from './pipeline/cache.js';
export { resolveEngine, getEngine, registerEngine, registeredEngines, engineAvailability, type EngineRegistration, type ResolvedEngine } from './engines/registry.js';
export * from './models/index.js';
export { configureSam3, type Sam3Config } from './engines/sam3/registration.js';
export { Sam3Engine, isSam3Embedding, type Sam3Embedding } from './engines/sam3/index.js';
export { segmentVideo, type SegmentVideoOptions, type VideoOutcome, type VideoFrameOutput, type VideoCheckpoint } from './video/segment-video.js';
export { DEFAULT_TRACKER, type TrackerParams } from './video/tracker.js';
export { segmentVideoParallel, MAX_LOCAL_WORKERS, type ParallelVideoOptions } from './video/fanout/local-workers.js';
export { planSegments, segmentSampling, segmentCount, DEFAULT_OVERLAP_FRAMES, type VideoSegment, type PlanInput } from './video/fanout/plan.js';
export { renderVideoFiles, type RenderedFormat, type RenderOptions } from './video/render.js';
export { planClip, type ClipPlan } from './video/fanout/clip-plan.js';
export { stitchSegments, type SegmentRun } from './video/fanout/stitch.js';
export { defaultLimits, DEFAULT_FOLDER_FPS, type VideoLimits } from './video/source.js';
export { startEncoder, concatVideos, probeVideo, ffmpegBinary, ffprobeBinary, type Encoder, type EncodeKind, type ProbeInfo } from './video/ffmpeg.js';
