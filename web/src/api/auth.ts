import { CSRF_HEADERS, type ApiClient } from './client';
import type { TokenPair, User } from './types';

export class AuthApi {
  constructor(private readonly client: ApiClient) {}

  /** POST /api/auth/register → 201 {id, username, displayName}. */
  register(username: string, password: string, displayName?: string): Promise<User> {
    const json: Record<string, string> = { username, password };
    if (displayName && displayName.trim() !== '') json.displayName = displayName.trim();
    return this.client.json<User>('/api/auth/register', { method: 'POST', json, auth: false });
  }

  /**
   * POST /api/auth/login in the browser's form: the refresh token comes back as an HttpOnly
   * cookie, and the access token is stored.
   */
  async login(username: string, password: string): Promise<void> {
    const pair = await this.client.json<TokenPair>('/api/auth/login', {
      method: 'POST',
      json: { username, password, refreshTokenCookie: true },
      headers: { ...CSRF_HEADERS },
      auth: false,
    });
    this.client.tokens.setFromPair(pair);
  }

  me(): Promise<User> {
    return this.client.json<User>('/api/auth/me');
  }

  /**
   * POST /api/auth/logout with the refresh token cookie, which names the session even when the
   * access token has expired; the server ends the session and clears the cookie. The local token
   * is dropped whatever the server says.
   */
  async logout(): Promise<void> {
    this.client.tokens.clear();
    try {
      // auth:false: no bearer token (an expired one would be refused before the cookie is read).
      await this.client.request('/api/auth/logout', { method: 'POST', auth: false, headers: { ...CSRF_HEADERS } });
    } catch {
      // offline, or no session left: the access token expires on its own
    }
  }
}
