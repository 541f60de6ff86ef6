/**
 * Options of a segmentation call, with the zod schema that validates them everywhere (CLI flags,
 * API bodies, the inference event). Defaults are applied by the schema.
 */
import { z } from 'zod';

export const REFINE_LEVELS = ['fast', 'standard', 'fine'] as const;
export type RefineLevel = (typeof REFINE_LEVELS)[number];

export const ENGINE_CHOICES = ['lite', 'sam3', 'auto'] as const;
export type EngineChoice = (typeof ENGINE_CHOICES)[number];

export const OUTPUT_FORMATS = ['json', 'cutout', 'mask', 'overlay', 'npy', 'geojson', 'coco', 'yolo', 'labelstudio'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/**
 * Formats written once per run over all its images (a CLI batch writes them at the end; an API
 * job holds one image): COCO `instances.json`, YOLO `yolo/labels/*.txt` + `yolo/data.yaml`,
 * Label Studio `labelstudio.json` (+ its labeling config). The others are written per image.
 */
export const DATASET_FORMATS = ['coco', 'yolo', 'labelstudio'] as const satisfies readonly OutputFormat[];
export type DatasetFormat = (typeof DATASET_FORMATS)[number];
export const isDatasetFormat = (f: OutputFormat): f is DatasetFormat => (DATASET_FORMATS as readonly string[]).includes(f);

export const THRESHOLD_MIN = 0.1;
export const THRESHOLD_MAX = 0.9;
export const MAX_PROMPT_CHARS = 2000;
export const MAX_CONCEPTS = 32;

const finite = (what: string) =>
  z.number({ error: `${what} must be a number` }).refine(Number.isFinite, { message: `${what} must be a finite number` });

/** A box prompt, COCO xywh in pixels of the upright image; negative boxes exclude. */
export const BoxPromptSchema = z.object({
  box: z.tuple([finite('box x'), finite('box y'), finite('box w').positive(), finite('box h').positive()]),
  negative: z.boolean().default(false),
});
export type BoxPrompt = z.infer<typeof BoxPromptSchema>;

/** A click, pixels of the upright image; positive adds, negative removes. */
export const PointPromptSchema = z.object({
  x: finite('point x'),
  y: finite('point y'),
  positive: z.boolean().default(true),
});
export type PointPrompt = z.infer<typeof PointPromptSchema>;

/**
 * Click refinement of one instance: the instance's box (and label) plus the user's clicks. The
 * engine runs its mask decoder on the cached embedding with box + points.
 */
export const PointRefineSchema = z.object({
  label: z.string().max(200).optional(),
  box: z.tuple([finite('box x'), finite('box y'), finite('box w').nonnegative(), finite('box h').nonnegative()]).optional(),
  points: z.array(PointPromptSchema).min(1).max(64),
});
export type PointRefine = z.infer<typeof PointRefineSchema>;

export const SegmentOptionsSchema = z.object({
  threshold: finite('threshold')
    .min(THRESHOLD_MIN, { message: `threshold must be between ${THRESHOLD_MIN} and ${THRESHOLD_MAX}` })
    .max(THRESHOLD_MAX, { message: `threshold must be between ${THRESHOLD_MIN} and ${THRESHOLD_MAX}` })
    .default(0.5),
  refine: z.enum(REFINE_LEVELS, { error: `refine must be one of ${REFINE_LEVELS.join(', ')}` }).default('standard'),
  topK: z.number().int({ message: 'top_k must be a whole number' }).min(1, { message: 'top_k must be at least 1' }).max(1000).optional(),
  engine: z.enum(ENGINE_CHOICES, { error: `engine must be one of ${ENGINE_CHOICES.join(', ')}` }).default('auto'),
  boxes: z.array(BoxPromptSchema).max(32).optional(),
  points: PointRefineSchema.optional(),
});
export type SegmentOptionsInput = z.input<typeof SegmentOptionsSchema>;
export type SegmentOptions = z.output<typeof SegmentOptionsSchema>;
