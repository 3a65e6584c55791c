// REST calls through the gateway as a well-behaved client makes them, each attempt recorded on
// the timeline: a 429 waits for its Retry-After; a 503, a failed connection or a deadline is
// tried again with a growing back-off (at least the Retry-After, when given), until the call's
// own deadline. Anything else is an answer: the caller decides what it expected.
import { setTimeout as delay } from 'node:timers/promises';
import { errorCause, httpCause, OK } from './outcomes.mjs';
import { now } from './timeline.mjs';

const BACKOFF_MS = [250, 500, 1000, 2000, 4000];

// How long to wait before the next attempt, or null when this answer is final.
// cause: the attempt's cause; attempt: 0 for the first; retryAfter: the header's text.
export function retryDelayMs(cause, attempt, retryAfter, random = Math.random) {
  const backoff = BACKOFF_MS[Math.min(attempt, BACKOFF_MS.length - 1)] * (0.75 + random() / 2);
  const seconds = Number(retryAfter);
  const told = retryAfter !== null && retryAfter !== undefined && retryAfter !== '' && Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : null;
  if (cause === 'http:429') return Math.min(told ?? 1000, 61000); // the budget's window is a minute
  if (cause === 'http:503') return Math.max(backoff, Math.min(told ?? 0, 10000));
  if (cause === 'timeout' || cause.startsWith('transport:') || cause === 'http:502' || cause === 'http:504') return backoff;
  return null;
}

export class Http {
  constructor(baseUrl, timeline, { timeoutMs = 10000, deadlineMs = 60000, random = Math.random } = {}) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
    this.timeline = timeline;
    this.timeoutMs = timeoutMs;
    this.deadlineMs = deadlineMs;
    this.random = random;
    this.stopping = false; // set at the end of the load: no more retries
  }

  // Resolves {status, text, headers, cause, attempts}; status 0 when no attempt was answered.
  // expect: the statuses that are success for this call; check(answer) → a cause when the
  // answer is wrong though its status is right (say, a run's output), or null.
  // retryUnanswered false: a call that must not be sent twice (a refresh token is spent by its
  // first use, and a second use ends the whole session) is tried again only after an answer
  // that says it was not done (503, 429), never after a lost connection or a deadline.
  async request(kind, method, path, { token, json, body, headers = {}, expect = [200], check = null, retryUnanswered = true } = {}) {
    const started = now();
    let last = { status: 0, text: '', headers: new Headers(), cause: 'transport:none' };
    for (let attempt = 0; ; attempt++) {
      const attemptStarted = now();
      const sent = { ...headers };
      if (token) sent.authorization = `Bearer ${token}`;
      if (json !== undefined) sent['content-type'] = 'application/json';
      try {
        const response = await fetch(`${this.baseUrl}${path}`, {
          method,
          headers: sent,
          body: json !== undefined ? JSON.stringify(json) : body,
          signal: AbortSignal.timeout(this.timeoutMs),
        });
        const text = await response.text();
        let cause = expect.includes(response.status) ? OK : httpCause(response.status);
        last = { status: response.status, text, headers: response.headers, cause };
        if (cause === OK && check !== null) cause = last.cause = check(last) ?? OK;
      } catch (error) {
        last = { status: 0, text: '', headers: new Headers(), cause: errorCause(error) };
      }
      const latency = now() - attemptStarted;
      this.timeline.record(kind, attemptStarted, latency, last.cause === OK && latency > this.timeoutMs ? 'timeout' : last.cause);
      if (last.cause === OK) return { ...last, attempts: attempt + 1 };
      const refusedUndone = last.cause === 'http:503' || last.cause === 'http:429';
      const wait = retryUnanswered || refusedUndone ? retryDelayMs(last.cause, attempt, last.headers.get('retry-after'), this.random) : null;
      if (wait === null || this.stopping || now() + wait - started > this.deadlineMs) return { ...last, attempts: attempt + 1 };
      await delay(wait);
    }
  }
}

export const encodePath = (path) => path.split('/').map(encodeURIComponent).join('/');
