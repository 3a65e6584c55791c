// A server-sent-events parser (the WHATWG "event stream interpretation"), separate from
// any transport: the file event reader feeds it decoded text from fetch, because
// EventSource cannot send an Authorization header. Network chunks split wherever they
// like, so all state that can straddle a chunk (a partial line, a CR whose LF may come
// next, a half-built event) lives here between calls.

export interface SseMessage {
  /** `event:` field, or 'message' when the frame had none. */
  event: string;
  /** The `data:` lines joined with '\n'. */
  data: string;
  /** The stream's last event id at dispatch time ('' when none was ever set). */
  id: string;
}

export class SseParser {
  private partial = '';
  /** The previous chunk ended in CR: a LF at the start of the next one belongs to it. */
  private afterCR = false;
  private started = false;
  private dataLines: string[] = [];
  private eventType = '';
  private lastId = '';
  /** Reconnection delay the server asked for with `retry:`, in ms. */
  retry: number | undefined;

  get lastEventId(): string {
    return this.lastId;
  }

  /** Feeds decoded text; returns the events completed by it, in order. */
  push(chunk: string): SseMessage[] {
    const out: SseMessage[] = [];
    let i = 0;
    if (!this.started && chunk.length > 0) {
      this.started = true;
      if (chunk.charCodeAt(0) === 0xfeff) i = 1; // one leading BOM is not content
    }
    if (this.afterCR && i < chunk.length) {
      this.afterCR = false;
      if (chunk.charCodeAt(i) === 10) i++;
    }
    let start = i;
    for (; i < chunk.length; i++) {
      const c = chunk.charCodeAt(i);
      if (c !== 10 && c !== 13) continue;
      const line = this.partial + chunk.slice(start, i);
      this.partial = '';
      if (c === 13) {
        if (i + 1 < chunk.length) {
          if (chunk.charCodeAt(i + 1) === 10) i++;
        } else {
          this.afterCR = true;
        }
      }
      start = i + 1;
      this.line(line, out);
    }
    this.partial += chunk.slice(start);
    return out;
  }

  /**
   * The stream ended. A frame without its blank line is dropped, as browsers do: the
   * server may have been cut off halfway through writing it.
   */
  end(): void {
    this.partial = '';
    this.afterCR = false;
    this.dataLines = [];
    this.eventType = '';
  }

  private line(line: string, out: SseMessage[]): void {
    if (line === '') {
      if (this.dataLines.length > 0) {
        out.push({ event: this.eventType || 'message', data: this.dataLines.join('\n'), id: this.lastId });
      }
      this.dataLines = [];
      this.eventType = '';
      return;
    }
    if (line.charCodeAt(0) === 58 /* ':' */) return; // comment (heartbeat)
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.charCodeAt(0) === 32) value = value.slice(1);
    switch (field) {
      case 'data':
        this.dataLines.push(value);
        break;
      case 'event':
        this.eventType = value;
        break;
      case 'id':
        if (!value.includes('\0')) this.lastId = value;
        break;
      case 'retry':
        if (/^\d+$/.test(value)) this.retry = Number(value);
        break;
      default:
        // unknown fields are ignored by the standard
        break;
    }
  }
}
