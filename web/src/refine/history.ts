/**
 * Click refinement of one instance: the clicks so far and the mask after each, so undo and reset
 * are instant (no request) and a new click always sends the whole list of points.
 */
import type { Instance, PointPrompt, PointRefine } from '@promptseg/shared';

export interface RefineStep {
  points: PointPrompt[];
  instance: Instance;
}

export class RefineHistory {
  private steps: RefineStep[] = [];

  constructor(readonly original: Instance) {}

  get current(): Instance {
    return this.steps.at(-1)?.instance ?? this.original;
  }

  get points(): PointPrompt[] {
    return this.steps.at(-1)?.points ?? [];
  }

  get depth(): number {
    return this.steps.length;
  }

  /** The request for more clicks: the original box and label keep the model on this object. */
  request(more: PointPrompt[]): PointRefine {
    return { label: this.original.label, box: this.original.box, points: [...this.points, ...more] };
  }

  push(points: PointPrompt[], instance: Instance): Instance {
    // Refinement changes the mask, not what the object is: keep the instance's identity, score and
    // explanation (so threshold filtering and the legend order stay put), take the new pixels.
    const merged: Instance = { ...this.original, rle: instance.rle, box: instance.box, area: instance.area };
    this.steps.push({ points, instance: merged });
    return merged;
  }

  undo(): Instance {
    this.steps.pop();
    return this.current;
  }

  reset(): Instance {
    this.steps = [];
    return this.original;
  }
}
