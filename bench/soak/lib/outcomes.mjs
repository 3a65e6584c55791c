// What became of one operation, as a short cause string that errors are grouped by:
//   ok                    it did what the user asked
//   http:503, http:429    the contract's "a dependency is down" / "rate limited" (docs/api.md §0)
//   http:NNN              any other status a call did not expect
//   ws-close:NNNN         a collaboration socket closed (or its upgrade closed) with that code
//   collab:CODE           a collaboration error frame (§4), or `collab:gave-up` (no reconnect in 20 s)
//   run:STATUS            a run that answered 200 with a status other than ok (§5)
//   wrong-output          a run whose stdout is not what the program prints
//   wrong-content         a file read back that is not what was last written
//   timeout               no answer within the operation's deadline (or acknowledged after it)
//   transport:CODE        the connection failed (ECONNREFUSED, ECONNRESET, …)

export const OK = 'ok';

// Errors the contract allows while part of the platform is down: a 503 or a 429 (both with
// Retry-After), and their collaboration-socket forms (an upgrade refused with 503/429, an op
// refused as rate_limited).
const CONTRACT_ERRORS = new Set(['http:503', 'http:429', 'collab:rate_limited']);

export const isContractError = (cause) => CONTRACT_ERRORS.has(cause);

// Close codes with which the contract tells a collaboration client to reconnect and resume
// (docs/api.md §4 "Close codes"), and 1006 (the connection went without a close frame: the
// instance was killed): these are reconnects, counted apart from errors.
const RESUMABLE_CLOSES = new Set([1001, 1006, 1012, 1013, 4008]);

export const isResumableClose = (code) => RESUMABLE_CLOSES.has(Number(code));

export const httpCause = (status) => `http:${status}`;

// A thrown fetch (or socket) error as a cause: a deadline passed, or the connection failed.
export function errorCause(error) {
  if (error === null || error === undefined) return 'transport:unknown';
  if (error.name === 'TimeoutError' || error.name === 'AbortError' || error.code === 'UND_ERR_HEADERS_TIMEOUT' || error.code === 'UND_ERR_BODY_TIMEOUT') return 'timeout';
  const code = error.cause?.code ?? error.code;
  if (typeof code === 'string' && code.length > 0) return `transport:${code}`;
  return `transport:${(error.cause?.message ?? error.message ?? 'unknown').split(/[:\n]/)[0].trim().slice(0, 40) || 'unknown'}`;
}

// A failed connection attempt of the collaboration client (web/e2e/collab/collab-client.mjs
// words it: "reconnect: upgrade answered 503 (after 250 ms)", "first connect: socket error:
// connect ECONNREFUSED 127.0.0.1:8080 (after 0 ms)", "… closed (1006) before joined …").
export function connectFailureCause(text) {
  const upgrade = /upgrade answered (\d{3})/.exec(text);
  if (upgrade) return httpCause(upgrade[1]);
  const closed = /closed \((\d+)\) before joined/.exec(text);
  if (closed) return `ws-close:${closed[1]}`;
  if (/handshake has timed out|timed out/i.test(text)) return 'timeout';
  const code = /\b(E[A-Z]{3,}|UND_ERR_[A-Z_]+)\b/.exec(text);
  if (code) return `transport:${code[1]}`;
  return 'transport:other';
}

// A connection the client gave up on (the client's `fatal` text) as a cause.
export function fatalCause(text) {
  const upgrade = /upgrade was answered (\d{3})/.exec(text);
  if (upgrade) return httpCause(upgrade[1]);
  const error = /^error ([a-z_]+):/.exec(text);
  if (error) return `collab:${error[1]}`;
  if (/could not connect and join/.test(text)) return 'collab:gave-up';
  return 'collab:protocol';
}
