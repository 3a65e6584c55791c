// What every browser scenario shares: Debian's Chromium driven by playwright-core (never a
// downloaded browser), users and workspaces made through the REST API, the sign-in done through
// the real login screen, screenshots written where the test run keeps its output, and waiting
// on conditions with deadlines.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/** Debian's chromium, or WEBIDE_CHROMIUM_PATH. */
export function chromiumPath() {
  return process.env.WEBIDE_CHROMIUM_PATH || '/usr/bin/chromium';
}

/**
 * Over TLS with the platform's own CA (`./webide test --tls`), Chromium trusts exactly the gateway's certificate:
 * it takes no CA file on its command line, but ignores certificate errors for the keys whose SPKI hashes it is given
 * (WEBIDE_TLS_SPKI_SHA256, set by the test harness), and for no other.
 */
function tlsArgs() {
  const spki = process.env.WEBIDE_TLS_SPKI_SHA256;
  return spki ? [`--ignore-certificate-errors-spki-list=${spki}`] : [];
}

export async function launchBrowser() {
  return chromium.launch({ executablePath: chromiumPath(), headless: true, args: [...CHROMIUM_ARGS, ...tlsArgs()] });
}

let unique = 0;
/** A name no other scenario or run uses: usernames are unique across the platform's life. */
export function uniqueName(prefix) {
  unique += 1;
  return `${prefix}-${Date.now().toString(36)}${process.pid.toString(36)}${unique}`.slice(0, 32).toLowerCase();
}

/**
 * Polls `probe` until it returns a truthy value and returns that value; fails with `what` and
 * the last value seen once `timeoutMs` has passed.
 */
export async function waitFor(probe, { timeoutMs = 10000, intervalMs = 50, what = 'condition' } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      last = await probe();
      if (last) return last;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) {
      const seen = last instanceof Error ? last.message : JSON.stringify(last);
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (last seen: ${seen})`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

export class ApiError extends Error {
  constructor(method, path, status, body) {
    super(`${method} ${path} → ${status}: ${body}`);
    this.status = status;
  }
}

/** The REST API through the gateway, for setting scenes up and checking the server's side. */
export class Api {
  constructor(baseUrl) {
    this.baseUrl = baseUrl.replace(/\/$/, '');
  }

  async call(method, path, { token, json, body, headers = {} } = {}) {
    const init = { method, headers: { ...headers } };
    if (token) init.headers.authorization = `Bearer ${token}`;
    if (json !== undefined) {
      init.headers['content-type'] = 'application/json';
      init.body = JSON.stringify(json);
    } else if (body !== undefined) {
      init.body = body;
    }
    const response = await fetch(`${this.baseUrl}${path}`, init);
    const text = await response.text();
    if (!response.ok) throw new ApiError(method, path, response.status, text);
    const type = response.headers.get('content-type') ?? '';
    return type.includes('json') && text ? JSON.parse(text) : text;
  }

  /** Registers a new user and signs in: `{username, password, token, id}`. */
  async newUser(prefix = 'user') {
    const username = uniqueName(prefix);
    const password = `pw-${username}-long-enough`;
    const registered = await this.call('POST', '/api/auth/register', { json: { username, password, displayName: prefix } });
    const tokens = await this.call('POST', '/api/auth/login', { json: { username, password } });
    return { username, password, id: registered.id, displayName: prefix, token: tokens.accessToken };
  }

  createWorkspace(user, name = uniqueName('ws')) {
    return this.call('POST', '/api/workspaces', { token: user.token, json: { name } });
  }

  addMember(owner, workspaceId, username, role) {
    return this.call('PUT', `/api/workspaces/${workspaceId}/members/${encodeURIComponent(username)}`, { token: owner.token, json: { role } });
  }

  putFile(user, workspaceId, path, text) {
    return this.call('PUT', `/api/workspaces/${workspaceId}/files/${path.split('/').map(encodeURIComponent).join('/')}`, {
      token: user.token, body: text, headers: { 'content-type': 'application/octet-stream' },
    });
  }

  getFile(user, workspaceId, path) {
    return this.call('GET', `/api/workspaces/${workspaceId}/files/${path.split('/').map(encodeURIComponent).join('/')}`, { token: user.token });
  }
}

/** One scenario's view of the run: the browser, the API, screenshots, and its own contexts. */
export class Scenario {
  constructor({ name, baseUrl, browser, outDir }) {
    this.name = name;
    this.baseUrl = baseUrl.replace(/\/$/, '');
    this.browser = browser;
    this.outDir = outDir;
    this.api = new Api(this.baseUrl);
    this.contexts = [];
    this.screenshots = [];
    this.figures = {};
  }

  log(message) {
    process.stderr.write(`[browser:${this.name}] ${message}\n`);
  }

  /** A figure the scenario measured, printed in the run's summary. */
  record(name, value) {
    this.figures[name] = value;
  }

  /** A fresh browser context (its own storage: one signed-in person) and a page in it. */
  async newPage({ width = 1400, height = 900 } = {}) {
    const context = await this.browser.newContext({ viewport: { width, height }, baseURL: this.baseUrl });
    this.contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (err) => this.log(`page error: ${err.message}`));
    page.on('console', (msg) => {
      if (msg.type() === 'error') this.log(`console error: ${msg.text()}`);
    });
    return page;
  }

  /** Signs `user` in through the login screen and waits for the workspace list. */
  async signIn(page, user) {
    await page.goto('/');
    await page.getByTestId('login-username').fill(user.username);
    await page.getByTestId('login-password').fill(user.password);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('workspaces-screen').waitFor({ timeout: 15000 });
  }

  /** A page of a new signed-in person, opened on a workspace's IDE. */
  async openIde(user, workspaceId, options) {
    const page = await this.newPage(options);
    await this.signIn(page, user);
    await page.goto(`/w/${workspaceId}`);
    await page.getByTestId('file-tree').waitFor({ timeout: 30000 });
    return page;
  }

  async screenshot(page, label) {
    mkdirSync(this.outDir, { recursive: true });
    const file = join(this.outDir, `${this.name}-${label}.png`);
    await page.screenshot({ path: file, fullPage: false });
    this.screenshots.push(file);
    return file;
  }

  async close() {
    for (const context of this.contexts) await context.close().catch(() => {});
  }
}
