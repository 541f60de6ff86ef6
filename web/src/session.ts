/**
 * The session that survives a reload, and a short history of recent runs — in this browser only
 * (IndexedDB: the image itself, its prompt and result). On boot the newest run is restored: image,
 * prompt and masks as they were (the image is uploaded again when it is next needed; restoring
 * makes no job, so it is not billed). "Recent runs" lists the last few; a click brings one back.
 * Images above KEEP_MAX_BYTES are not kept (their run is listed without a way back).
 */
import type { SegmentResult } from '@promptseg/shared';

const DB_NAME = 'promptseg';
const STORE = 'runs';
export const HISTORY_SIZE = 6;
const KEEP_MAX_BYTES = 25 * 1024 * 1024;

export interface SavedRun {
  id?: number;
  at: number;
  name: string;
  type: string;
  image: Blob;
  prompt: string;
  result: SegmentResult;
}

function db(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB_NAME, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE, { keyPath: 'id', autoIncrement: true });
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

function done<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

/** Newest first. Never throws (private mode, storage blocked): then there is no history. */
export async function listRuns(): Promise<SavedRun[]> {
  try {
    const d = await db();
    const all = await done(d.transaction(STORE).objectStore(STORE).getAll() as IDBRequest<SavedRun[]>);
    d.close();
    return all.sort((a, b) => b.at - a.at);
  } catch {
    return [];
  }
}

/** Keeps the run and drops the oldest beyond HISTORY_SIZE. */
export async function saveRun(run: Omit<SavedRun, 'id'>): Promise<void> {
  if (run.image.size > KEEP_MAX_BYTES) return;
  try {
    const d = await db();
    const store = d.transaction(STORE, 'readwrite').objectStore(STORE);
    await done(store.add(run));
    const all = (await done(store.getAll() as IDBRequest<SavedRun[]>)).sort((a, b) => b.at - a.at);
    for (const old of all.slice(HISTORY_SIZE)) if (old.id !== undefined) await done(store.delete(old.id));
    d.close();
  } catch {
    // no storage: the page works, it just forgets
  }
}
