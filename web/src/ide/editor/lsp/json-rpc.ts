// JSON-RPC 2.0 over one WebSocket as /ws/lsp frames it (docs/api.md §6): one message per text
// frame, no Content-Length headers, no batches. Requests are matched to answers by id; the
// relay's own refusals of notifications come as errors with `id: null` and are only logged;
// requests from the server never get here (the relay answers them) and are ignored if one does.
import type { ResponseError } from './protocol';
import type { SocketLike } from '../../../api/socket-like';

/** Monaco's cancellation token, as far as a request needs it. */
export interface CancellationLike {
  readonly isCancellationRequested: boolean;
  onCancellationRequested(listener: () => void): { dispose(): void };
}

/** The server answered a request with an error. */
export class ResponseFailure extends Error {
  constructor(readonly method: string, readonly error: ResponseError) {
    super(`${method}: ${error.message} (${error.code})`);
  }
}

/** The request will get no answer: cancelled, the message too big, or the socket gone. */
export class RequestDropped extends Error {}

const OPEN = 1;

/** The server's default largest message (Execution:LanguageServers:MaxMessageBytes); over it, 1009. */
export const DEFAULT_MAX_MESSAGE_BYTES = 8 * 1024 * 1024;

interface Pending {
  method: string;
  resolve(result: unknown): void;
  reject(error: Error): void;
}

export interface JsonRpcOptions {
  onNotification(method: string, params: unknown): void;
  maxMessageBytes?: number;
}

export class JsonRpcChannel {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly maxMessageBytes: number;

  constructor(private readonly socket: SocketLike, private readonly options: JsonRpcOptions) {
    this.maxMessageBytes = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
  }

  /** Sends a notification; false when it could not go (the socket is not open, or it is too big). */
  notify(method: string, params: unknown): boolean {
    return this.send({ jsonrpc: '2.0', method, params });
  }

  /** Sends a request; its answer's result, or a ResponseFailure / RequestDropped. */
  request<T>(method: string, params: unknown, token?: CancellationLike): Promise<T> {
    if (token?.isCancellationRequested) return Promise.reject(new RequestDropped('cancelled'));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      if (!this.send({ jsonrpc: '2.0', id, method, params })) {
        reject(new RequestDropped(this.isOpen() ? 'the message is too big' : 'not connected'));
        return;
      }
      const subscription = token?.onCancellationRequested(() => {
        if (!this.pending.delete(id)) return;
        this.notify('$/cancelRequest', { id });
        reject(new RequestDropped('cancelled'));
      });
      this.pending.set(id, {
        method,
        resolve: (result) => {
          subscription?.dispose();
          resolve(result as T);
        },
        reject: (error) => {
          subscription?.dispose();
          reject(error);
        },
      });
    });
  }

  /** A text frame from the socket. */
  receive(data: unknown): void {
    let message: Record<string, unknown>;
    try {
      message = JSON.parse(String(data)) as Record<string, unknown>;
    } catch {
      console.warn('lsp: a frame that is not JSON');
      return;
    }
    if (typeof message !== 'object' || message === null || Array.isArray(message)) return;
    const { id, method } = message;
    if (typeof method === 'string') {
      // A request from the server is the relay's to answer; none should arrive.
      if (id === undefined || id === null) this.options.onNotification(method, message.params);
      return;
    }
    if (id === null || id === undefined) {
      const error = message.error as ResponseError | undefined;
      console.warn(`lsp: the relay refused a message: ${error?.message ?? 'no reason given'} (${error?.code ?? '?'})`);
      return;
    }
    const pending = typeof id === 'number' ? this.pending.get(id) : undefined;
    if (!pending) return; // cancelled, or not ours
    this.pending.delete(id as number);
    if (message.error) pending.reject(new ResponseFailure(pending.method, message.error as ResponseError));
    else pending.resolve(message.result ?? null);
  }

  /** The socket is gone: every request waiting fails. */
  dispose(reason: string): void {
    const waiting = [...this.pending.values()];
    this.pending.clear();
    for (const request of waiting) request.reject(new RequestDropped(reason));
  }

  private isOpen(): boolean {
    return this.socket.readyState === OPEN;
  }

  private send(message: object): boolean {
    if (!this.isOpen()) return false;
    const text = JSON.stringify(message);
    // UTF-8 takes at most 3 bytes per UTF-16 code unit: count exactly only when it may matter.
    if (text.length * 3 > this.maxMessageBytes && new TextEncoder().encode(text).length > this.maxMessageBytes) return false;
    this.socket.send(text);
    return true;
  }
}
