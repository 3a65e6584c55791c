import type { ApiClient } from './client';
import type { TokenPair, User } from './types';

export class AuthApi {
  constructor(private readonly client: ApiClient) {}

  /** POST /api/auth/register → 201 {id, username, displayName}. */
  register(username: string, password: string, displayName?: string): Promise<User> {
    const json: Record<string, string> = { username, password };
    if (displayName && displayName.trim() !== '') json.displayName = displayName.trim();
    return this.client.json<User>('/api/auth/register', { method: 'POST', json, auth: false });
  }

  /** POST /api/auth/login; stores the token pair on success. */
  async login(username: string, password: string): Promise<void> {
    const pair = await this.client.json<TokenPair>('/api/auth/login', {
      method: 'POST',
      json: { username, password },
      auth: false,
    });
    this.client.tokens.setFromPair(pair);
  }

  me(): Promise<User> {
    return this.client.json<User>('/api/auth/me');
  }

  /** POST /api/auth/logout; the local tokens are dropped whatever the server says. */
  async logout(): Promise<void> {
    const tokens = this.client.tokens.get();
    this.client.tokens.clear();
    if (!tokens) return;
    try {
      // auth:false: no refresh dance for a session that is being ended anyway.
      await this.client.request('/api/auth/logout', {
        method: 'POST',
        auth: false,
        headers: { Authorization: `Bearer ${tokens.accessToken}` },
      });
    } catch {
      // offline or already expired: the access token expires on its own
    }
  }
}
