import { ApiError, toApiError } from './errors';
import { TokenStore, type StoredTokens } from './tokens';
import type { SocketTicket, TokenPair } from './types';

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

/** Runs `fn` while holding a named lock (the Web Locks API when the browser has it). */
export type LockRunner = <T>(name: string, fn: () => Promise<T>) => Promise<T>;

export interface ApiClientOptions {
  /** Defaults to the global fetch. Tests pass a fake. */
  fetch?: FetchLike;
  tokens?: TokenStore;
  /** Prefix for every path; '' means same origin (the gateway serves the app). */
  baseUrl?: string;
  /** Called when the session is gone (refresh refused, or no token at all). */
  onSessionExpired?: () => void;
  lock?: LockRunner;
}

export interface RequestOptions {
  method?: string;
  /** Sent as JSON. */
  json?: unknown;
  /** Sent as is (file contents). Ignored when `json` is set. */
  body?: BodyInit;
  headers?: Record<string, string>;
  /** Send the bearer token and refresh it on 401. Default true. */
  auth?: boolean;
  signal?: AbortSignal;
}

export const REFRESH_PATH = '/api/auth/refresh';
export const TICKET_PATH = '/api/auth/ticket';

/**
 * Sent with every call that uses the refresh token cookie (login, refresh, logout): a page of
 * another site cannot send it, so identity knows the call comes from this app (docs/api.md §1).
 */
export const CSRF_HEADERS: Readonly<Record<string, string>> = { 'X-WebIde-CSRF': '1' };

/**
 * Thin typed wrapper around fetch for the WebIde REST API:
 * - adds `Authorization: Bearer <accessToken>`;
 * - on a 401, refreshes the access token once with the refresh token cookie (one refresh in
 *   flight per tab, and across tabs when Web Locks exist, because presenting a spent refresh
 *   token revokes the whole session) and retries the request once;
 * - turns every non-2xx answer into an ApiError (problem+json aware).
 */
export class ApiClient {
  readonly tokens: TokenStore;
  private readonly fetchImpl: FetchLike;
  private readonly baseUrl: string;
  private readonly onSessionExpired: (() => void) | undefined;
  private readonly lock: LockRunner;
  private refreshing: Promise<boolean> | null = null;

  constructor(options: ApiClientOptions = {}) {
    this.fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.tokens = options.tokens ?? new TokenStore();
    this.baseUrl = options.baseUrl ?? '';
    this.onSessionExpired = options.onSessionExpired;
    this.lock = options.lock ?? defaultLock;
  }

  /**
   * The ws(s):// URL of one of the gateway's WebSockets, with a fresh single-use ticket as the
   * `ticket` query parameter (docs/api.md §7): browsers cannot send headers on an upgrade, and a
   * ticket keeps the access token out of the URL. The ticket call refreshes the token as any call
   * does, so a reconnect long after sign-in still works. Rejects with a 401 ApiError (and ends the
   * session) when there is no session left.
   */
  async socketUrl(path: string): Promise<string> {
    if (!this.tokens.get()) {
      this.expireSession();
      throw new ApiError({ status: 401, title: 'Signed out', detail: 'Sign in again to continue.' });
    }
    const answer = await this.json<SocketTicket>(TICKET_PATH, { method: 'POST' });
    if (!answer || typeof answer.ticket !== 'string') {
      throw new ApiError({ status: 0, title: 'Invalid ticket response', detail: 'The server sent no socket ticket.' });
    }
    const base = this.baseUrl || (typeof location !== 'undefined' ? location.origin : 'http://localhost');
    const url = new URL(path, base);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    url.searchParams.set('ticket', answer.ticket);
    return url.toString();
  }

  /** Performs the request; resolves with the 2xx response, rejects with ApiError. */
  async request(path: string, options: RequestOptions = {}): Promise<Response> {
    const useAuth = options.auth ?? true;
    const sent = useAuth ? this.tokens.get() : null;
    let res = await this.send(path, options, sent);

    if (res.status === 401 && useAuth) {
      if (!sent) {
        this.onSessionExpired?.();
        throw await toApiError(res);
      }
      const refreshed = await this.refreshAfter(sent.accessToken);
      if (!refreshed) {
        this.expireSession();
        throw await toApiError(res);
      }
      // Exactly one retry, with whatever pair is current now.
      res = await this.send(path, options, this.tokens.get());
      if (res.status === 401) {
        // A brand-new token was refused: the session has been revoked.
        this.expireSession();
      }
    }

    if (!res.ok) throw await toApiError(res);
    return res;
  }

  /** Request whose answer is JSON (or empty, which yields undefined). */
  async json<T>(path: string, options: RequestOptions = {}): Promise<T> {
    const res = await this.request(path, options);
    return readJson<T>(res);
  }

  /**
   * Gets a new access token with the refresh token cookie (which the answer replaces). Returns
   * true if a usable token is stored afterwards, false if the server refused the cookie (the
   * token is then cleared). Network errors and 429/5xx reject with ApiError and keep the token.
   */
  refreshAfter(staleAccessToken: string): Promise<boolean> {
    const current = this.tokens.get();
    if (current && current.accessToken !== staleAccessToken) return Promise.resolve(true);
    if (!this.refreshing) {
      this.refreshing = this.lock('webide-token-refresh', () => this.doRefresh(staleAccessToken)).finally(
        () => {
          this.refreshing = null;
        },
      );
    }
    return this.refreshing;
  }

  private async doRefresh(staleAccessToken: string): Promise<boolean> {
    const current = this.tokens.get();
    if (!current) return false;
    // Another tab may have refreshed while this one waited for the lock.
    if (current.accessToken !== staleAccessToken) return true;

    // No body: identity reads the refresh token from the cookie the browser sends along.
    const res = await this.send(REFRESH_PATH, { method: 'POST', headers: { ...CSRF_HEADERS }, auth: false }, null);
    if (res.ok) {
      const pair = await readJson<TokenPair>(res);
      if (!pair || typeof pair.accessToken !== 'string') {
        throw new ApiError({ status: res.status, title: 'Invalid refresh response' });
      }
      this.tokens.setFromPair(pair);
      return true;
    }
    if (res.status === 400 || res.status === 401 || res.status === 403) {
      this.tokens.clear();
      return false;
    }
    throw await toApiError(res);
  }

  private expireSession(): void {
    this.tokens.clear();
    this.onSessionExpired?.();
  }

  private async send(path: string, options: RequestOptions, tokens: StoredTokens | null): Promise<Response> {
    const headers: Record<string, string> = { Accept: 'application/json, application/problem+json', ...options.headers };
    let body: BodyInit | undefined = options.body;
    if (options.json !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(options.json);
    }
    if (tokens) headers['Authorization'] = `Bearer ${tokens.accessToken}`;
    const init: RequestInit = { method: options.method ?? 'GET', headers };
    if (body !== undefined) init.body = body;
    if (options.signal) init.signal = options.signal;
    try {
      return await this.fetchImpl(this.baseUrl + path, init);
    } catch (err) {
      if (err instanceof DOMException && err.name === 'AbortError') throw err;
      throw new ApiError({
        status: 0,
        title: 'Network error',
        detail: 'The server could not be reached. Check your connection and try again.',
      });
    }
  }
}

async function readJson<T>(res: Response): Promise<T> {
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  if (text.trim() === '') return undefined as T;
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new ApiError({ status: res.status, title: 'Invalid response', detail: 'The server sent malformed JSON.' });
  }
}

const defaultLock: LockRunner = (name, fn) => {
  const locks = typeof navigator !== 'undefined' ? (navigator as Navigator & { locks?: LockManager }).locks : undefined;
  if (locks && typeof locks.request === 'function') {
    return locks.request(name, () => fn()) as Promise<Awaited<ReturnType<typeof fn>>>;
  }
  return fn();
};
