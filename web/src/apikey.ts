/**
 * The API key lives only in this browser: a key the user saves goes to localStorage; in local
 * mode the dev key the server created is used when none was saved (and never stored).
 */
import { KEY_STORAGE } from './config.js';
import { t } from './i18n/index.js';

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
    if (this.saved()) return t('key.state.saved');
    if (this.devKey) return t('key.state.dev');
    return t('key.state.none');
  }
}
