/**
 * The API key lives only in this browser: a key the user saves goes to localStorage; in local
 * mode the dev key the server created is used when none was saved (and never stored).
 */
import { KEY_STORAGE } from './config.js';

export class KeyStore {
  devKey?: string;

  saved(): string {
    try {
      return localStorage.getItem(KEY_STORAGE) ?? '';
    } catch {
      return ''; // storage blocked (private mode): keys last for this page only
    }
  }

  save(key: string): void {
    try {
      if (key) localStorage.setItem(KEY_STORAGE, key);
      else localStorage.removeItem(KEY_STORAGE);
    } catch {
      // ignore: see saved()
    }
  }

  current(): string {
    return this.saved() || this.devKey || '';
  }

  describe(): string {
    if (this.saved()) return '(saved in this browser)';
    if (this.devKey) return '(local dev key)';
    return '(none: add one)';
  }
}
