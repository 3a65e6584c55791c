/**
 * The error every API call rejects with. Built from an RFC 9457 problem+json body when
 * the server sends one; otherwise from the HTTP status line. `status` is 0 when the
 * request never got an HTTP answer (network down, aborted, CORS).
 */
export class ApiError extends Error {
  readonly status: number;
  readonly title: string;
  readonly detail: string | undefined;
  /** The problem's `type` URI, when given. */
  readonly type: string | undefined;
  /** ASP.NET validation problems: field name → messages. */
  readonly errors: Record<string, string[]> | undefined;
  /** Seconds from a `Retry-After` header (429, 503), when given as a number. */
  readonly retryAfter: number | undefined;

  constructor(init: {
    status: number;
    title: string;
    detail?: string | undefined;
    type?: string | undefined;
    errors?: Record<string, string[]> | undefined;
    retryAfter?: number | undefined;
  }) {
    super(init.detail ? `${init.title}: ${init.detail}` : init.title);
    this.name = 'ApiError';
    this.status = init.status;
    this.title = init.title;
    this.detail = init.detail;
    this.type = init.type;
    this.errors = init.errors;
    this.retryAfter = init.retryAfter;
  }

  /** The text to show a user: the problem's detail, else its title, plus field errors. */
  get userMessage(): string {
    const base = this.detail || this.title;
    const fieldMessages = this.errors ? Object.values(this.errors).flat().filter(Boolean) : [];
    const extra = fieldMessages.filter((m) => m !== base);
    return extra.length > 0 ? `${base} ${extra.join(' ')}`.trim() : base;
  }
}

/** Text for any thrown value, preferring an ApiError's user message. */
export function errorMessage(err: unknown): string {
  if (err instanceof ApiError) return err.userMessage;
  if (err instanceof Error) return err.message;
  return String(err);
}

const DEFAULT_TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Not signed in',
  403: 'Forbidden',
  404: 'Not found',
  409: 'Conflict',
  412: 'Precondition failed',
  413: 'Too large',
  429: 'Too many requests',
  500: 'Server error',
  502: 'Bad gateway',
  503: 'Service unavailable',
  504: 'Gateway timeout',
};

function asString(v: unknown): string | undefined {
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}

function asErrors(v: unknown): Record<string, string[]> | undefined {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return undefined;
  const out: Record<string, string[]> = {};
  for (const [key, value] of Object.entries(v as Record<string, unknown>)) {
    if (Array.isArray(value)) out[key] = value.filter((x): x is string => typeof x === 'string');
    else if (typeof value === 'string') out[key] = [value];
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

function parseRetryAfter(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header.trim());
  if (Number.isFinite(seconds) && seconds >= 0) return seconds;
  const date = Date.parse(header);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

/**
 * Turns a non-2xx response into an ApiError. Reads the body once. Accepts
 * `application/problem+json` and plain JSON with the same fields; any other body
 * (an HTML error page from a proxy, say) falls back to the status line.
 */
export async function toApiError(res: Response): Promise<ApiError> {
  const fallbackTitle = DEFAULT_TITLES[res.status] ?? (res.statusText || `HTTP ${res.status}`);
  const retryAfter = parseRetryAfter(res.headers.get('Retry-After'));
  const contentType = res.headers.get('Content-Type') ?? '';
  let body: unknown;
  if (/json/i.test(contentType)) {
    try {
      body = await res.json();
    } catch {
      body = undefined;
    }
  }
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    const p = body as Record<string, unknown>;
    return new ApiError({
      status: res.status,
      title: asString(p.title) ?? fallbackTitle,
      detail: asString(p.detail),
      type: asString(p.type),
      errors: asErrors(p.errors),
      retryAfter,
    });
  }
  return new ApiError({ status: res.status, title: fallbackTitle, retryAfter });
}
