/**
 * The lite engine's model sessions, each created once per process on first use: SAM and the
 * COCO detector at engine start (every prompt needs them), the pose / face / hand models only
 * when a prompt first asks for a part of a person.
 */
import { availableParallelism } from 'node:os';
import { loadHumanModel, type TfModel } from '../../runtime/tfjs.js';
import { DETECTOR, FACE, HANDS, POSE } from './config.js';
import { loadSamSessions, SamModel } from './sam.js';

export interface LiteModels {
  sam: SamModel;
  detector: TfModel;
  /** Loaded on first call, then shared. */
  people(): Promise<{ pose: TfModel; face: TfModel; hands: TfModel }>;
}

/** ONNX Runtime intra-op threads: every core (one inference job per process), overridable. */
export function onnxThreads(): number {
  const env = Number(process.env.PROMPTSEG_THREADS);
  return Number.isInteger(env) && env > 0 ? env : availableParallelism();
}

export async function loadLiteModels(): Promise<LiteModels> {
  const [sessions, detector] = await Promise.all([loadSamSessions(onnxThreads()), loadHumanModel(DETECTOR.model)]);
  let people: Promise<{ pose: TfModel; face: TfModel; hands: TfModel }> | null = null;
  return {
    sam: new SamModel(sessions),
    detector,
    people() {
      people ??= Promise.all([loadHumanModel(POSE.model), loadHumanModel(FACE.model), loadHumanModel(HANDS.model)])
        .then(([pose, face, hands]) => ({ pose, face, hands }))
        .catch((e: unknown) => {
          people = null; // a failed load is retried on the next request
          throw e;
        });
      return people;
    },
  };
}
