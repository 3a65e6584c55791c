import type { TokenPair } from './types';

/**
 * The access token only: the refresh token lives in an HttpOnly cookie that scripts (this one
 * included) cannot read (docs/api.md §1).
 */
export interface StoredTokens {
  accessToken: string;
  /** Epoch milliseconds at which the access token expires (best effort). */
  expiresAt: number;
}

/** Minimal subset of the Web Storage interface, so tests can pass a fake. */
export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export const TOKEN_STORAGE_KEY = 'webide.auth';

/**
 * Keeps the access token in localStorage (so it survives reloads and is shared by tabs).
 * Every read goes to storage, so a refresh done by another tab is picked up. An entry that
 * holds a refresh token was written by an earlier version, which kept the pair here: it is
 * dropped, and its owner signs in again to get the cookie.
 */
export class TokenStore {
  private readonly listeners = new Set<(tokens: StoredTokens | null) => void>();

  constructor(
    private readonly storage: KeyValueStorage | null = defaultStorage(),
    private readonly key: string = TOKEN_STORAGE_KEY,
    private readonly now: () => number = Date.now,
  ) {}

  private memory: StoredTokens | null = null;

  get(): StoredTokens | null {
    if (!this.storage) return this.memory;
    let raw: string | null;
    try {
      raw = this.storage.getItem(this.key);
    } catch {
      return this.memory;
    }
    if (!raw) return null;
    try {
      const v = JSON.parse(raw) as Partial<StoredTokens> & { refreshToken?: unknown };
      if ('refreshToken' in v) {
        this.dropEntry();
        return null;
      }
      if (typeof v.accessToken === 'string') {
        return { accessToken: v.accessToken, expiresAt: typeof v.expiresAt === 'number' ? v.expiresAt : 0 };
      }
    } catch {
      // corrupt entry: treat as signed out
    }
    return null;
  }

  hasTokens(): boolean {
    return this.get() !== null;
  }

  /** Keeps the access token of a login or refresh answer; a refresh token in it is not kept. */
  setFromPair(pair: TokenPair): StoredTokens {
    const tokens: StoredTokens = {
      accessToken: pair.accessToken,
      expiresAt: this.now() + Math.max(0, pair.expiresIn) * 1000,
    };
    this.write(tokens);
    return tokens;
  }

  clear(): void {
    this.write(null);
  }

  /** Called after every change made through this store. */
  subscribe(listener: (tokens: StoredTokens | null) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private dropEntry(): void {
    try {
      this.storage?.removeItem(this.key);
    } catch {
      // storage disabled: nothing to drop
    }
  }

  private write(tokens: StoredTokens | null): void {
    this.memory = tokens;
    if (this.storage) {
      try {
        if (tokens) this.storage.setItem(this.key, JSON.stringify(tokens));
        else this.storage.removeItem(this.key);
      } catch {
        // storage full or disabled: the in-memory copy still works for this tab
      }
    }
    for (const l of this.listeners) l(tokens);
  }
}

function defaultStorage(): KeyValueStorage | null {
  try {
    return typeof localStorage !== 'undefined' ? localStorage : null;
  } catch {
    return null;
  }
}
