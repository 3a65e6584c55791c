// One simulated user's account: signs up and in once, then keeps a valid access token by
// refreshing it (a cheap call, unlike a login's deliberately slow password hash) a few minutes
// before it expires (docs/api.md §1). Sockets check the token only when they open.
const PASSWORD = 'soak test password';
const RENEW_BEFORE_EXPIRY_MS = 3 * 60 * 1000;

export class Account {
  #accessToken = null;
  #refreshToken = null;
  #expiresAt = 0;
  #renewing = null;

  constructor(http, username, clock = Date.now) {
    this.http = http;
    this.username = username;
    this.clock = clock;
  }

  get signedIn() {
    return this.#accessToken !== null;
  }

  // Registers and signs in; throws when either gave up (each attempt is on the timeline).
  async signUp() {
    const registered = await this.http.request('sign-up', 'POST', '/api/auth/register', {
      json: { username: this.username, password: PASSWORD },
      // 409 on a retry: the first attempt did register before its answer was lost.
      expect: [201, 409],
    });
    if (registered.cause !== 'ok') throw new Error(`sign-up of ${this.username}: ${registered.cause}`);
    await this.#login();
  }

  async #login() {
    const answer = await this.http.request('sign-in', 'POST', '/api/auth/login', { json: { username: this.username, password: PASSWORD } });
    if (answer.cause !== 'ok') throw new Error(`sign-in of ${this.username}: ${answer.cause}`);
    this.#take(JSON.parse(answer.text));
  }

  #take(pair) {
    this.#accessToken = pair.accessToken;
    this.#refreshToken = pair.refreshToken;
    this.#expiresAt = this.clock() + (Number(pair.expiresIn) || 900) * 1000;
  }

  // A valid access token, renewed first when it is close to expiring.
  async token() {
    if (this.#accessToken !== null && this.clock() < this.#expiresAt - RENEW_BEFORE_EXPIRY_MS) return this.#accessToken;
    this.#renewing ??= this.#renew().finally(() => {
      this.#renewing = null;
    });
    return this.#renewing;
  }

  async #renew() {
    if (this.#refreshToken !== null) {
      const answer = await this.http.request('token-refresh', 'POST', '/api/auth/refresh', { json: { refreshToken: this.#refreshToken }, retryUnanswered: false });
      if (answer.cause === 'ok') {
        this.#take(JSON.parse(answer.text));
        return this.#accessToken;
      }
      // A refresh whose answer was lost spent the token: sign in again.
    }
    await this.#login();
    return this.#accessToken;
  }
}
