// The REST side of a session, through the gateway: users, workspaces, members, files.

import { randomBytes } from 'node:crypto';

const PASSWORD = 'collab e2e password';
// Access tokens live 15 minutes; a long run signs in again well before that.
const TOKEN_REFRESH_MS = 10 * 60 * 1000;
const REQUEST_ATTEMPTS = 4;

export class Platform {
  constructor(url) {
    this.url = url.replace(/\/+$/, '');
  }

  /**
   * A JSON (or raw) request; retried on 503/429 (a dependency briefly busy, the request
   * budget), which are not what this harness tests.
   */
  async request(method, path, { token, json, body, expect = [200] } = {}) {
    let lastProblem = '';
    for (let attempt = 1; attempt <= REQUEST_ATTEMPTS; attempt++) {
      const headers = {};
      if (token) {
        headers.authorization = `Bearer ${token}`;
      }
      if (json !== undefined) {
        headers['content-type'] = 'application/json';
      }
      const response = await fetch(`${this.url}${path}`, {
        method,
        headers,
        body: json !== undefined ? JSON.stringify(json) : body,
      });
      const text = await response.text();
      if (expect.includes(response.status)) {
        return { status: response.status, text, json: () => JSON.parse(text) };
      }
      lastProblem = `${method} ${path} answered ${response.status}: ${text.slice(0, 300)}`;
      if (response.status !== 503 && response.status !== 429) {
        break;
      }
      const retryAfter = Number(response.headers.get('retry-after'));
      await new Promise((resolve) => setTimeout(resolve, Math.min(Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : 500, 5000)));
    }
    throw new Error(lastProblem);
  }

  async createUser(prefix) {
    const username = `${prefix}-${randomBytes(5).toString('hex')}`.toLowerCase().slice(0, 32);
    await this.request('POST', '/api/auth/register', { json: { username, password: PASSWORD }, expect: [201] });
    const user = new User(this, username);
    await user.accessToken();
    return user;
  }

  async createWorkspace(owner, name) {
    const created = await this.request('POST', '/api/workspaces', { token: await owner.accessToken(), json: { name }, expect: [201] });
    return created.json().id;
  }

  async addEditor(owner, workspaceId, username) {
    await this.request('PUT', `/api/workspaces/${workspaceId}/members/${encodeURIComponent(username)}`, {
      token: await owner.accessToken(),
      json: { role: 'editor' },
      expect: [200, 201, 204],
    });
  }

  async deleteWorkspace(owner, workspaceId) {
    await this.request('DELETE', `/api/workspaces/${workspaceId}`, { token: await owner.accessToken(), expect: [204] });
  }

  async writeFile(user, workspaceId, path, text) {
    await this.request('PUT', `/api/workspaces/${workspaceId}/files/${encodePath(path)}`, {
      token: await user.accessToken(),
      body: Buffer.from(text, 'utf8'),
      expect: [200, 201],
    });
  }

  async readFile(user, workspaceId, path) {
    const read = await this.request('GET', `/api/workspaces/${workspaceId}/files/${encodePath(path)}`, {
      token: await user.accessToken(),
    });
    return read.text;
  }
}

function encodePath(path) {
  return path.split('/').map(encodeURIComponent).join('/');
}

export class User {
  #token = null;
  #signedInAt = 0;
  #signingIn = null;

  constructor(platform, username) {
    this.platform = platform;
    this.username = username;
  }

  /** A valid access token, signing in again when the current one is getting old. */
  accessToken() {
    if (this.#token && Date.now() - this.#signedInAt < TOKEN_REFRESH_MS) {
      return Promise.resolve(this.#token);
    }
    this.#signingIn ??= this.platform
      .request('POST', '/api/auth/login', { json: { username: this.username, password: PASSWORD } })
      .then((answer) => {
        this.#token = answer.json().accessToken;
        this.#signedInAt = Date.now();
        return this.#token;
      })
      .finally(() => {
        this.#signingIn = null;
      });
    return this.#signingIn;
  }
}
