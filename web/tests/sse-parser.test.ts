// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { SseParser, type SseMessage } from '../src/api';

/** Feeds `text` cut at the given offsets and returns every message produced. */
function parseIn(text: string, cuts: number[]): { messages: SseMessage[]; parser: SseParser } {
  const parser = new SseParser();
  const messages: SseMessage[] = [];
  let from = 0;
  for (const cut of [...cuts, text.length]) {
    messages.push(...parser.push(text.slice(from, cut)));
    from = cut;
  }
  return { messages, parser };
}

/** Every way of cutting `text` into two and three pieces must give the same result. */
function allSplits(text: string): SseMessage[][] {
  const results: SseMessage[][] = [parseIn(text, []).messages];
  for (let i = 0; i <= text.length; i++) {
    results.push(parseIn(text, [i]).messages);
    for (let j = i; j <= text.length; j++) results.push(parseIn(text, [i, j]).messages);
  }
  return results;
}

const stream =
  'retry: 2000\n: connected\n\n' +
  'id: 1\ndata: {"type":"created","path":"a"}\n\n' +
  ': heartbeat\n\n' +
  'id: 2\nevent: reset\ndata: {"latestSequence":2}\n\n' +
  'data: first\ndata:second\ndata\n\n';

const expected: SseMessage[] = [
  { event: 'message', data: '{"type":"created","path":"a"}', id: '1' },
  { event: 'reset', data: '{"latestSequence":2}', id: '2' },
  { event: 'message', data: 'first\nsecond\n', id: '2' },
];

describe('SseParser', () => {
  it('parses data, multi-line data, comments, ids, event names and retry', () => {
    const { messages, parser } = parseIn(stream, []);
    expect(messages).toEqual(expected);
    expect(parser.lastEventId).toBe('2');
    expect(parser.retry).toBe(2000);
  });

  it('gives the same result for every chunking, with LF line endings', () => {
    for (const result of allSplits(stream)) expect(result).toEqual(expected);
  });

  it('gives the same result for every chunking, with CRLF line endings', () => {
    const crlf = stream.replace(/\n/g, '\r\n');
    for (const result of allSplits(crlf)) expect(result).toEqual(expected);
  });

  it('gives the same result for every chunking, with CR line endings and mixed ones', () => {
    for (const result of allSplits(stream.replace(/\n/g, '\r'))) expect(result).toEqual(expected);
    // Ordered so that no lone CR is followed by a LF, which would make it one CRLF.
    let n = 0;
    const mixed = stream.replace(/\n/g, () => ['\n', '\r', '\r\n'][n++ % 3]!);
    for (const result of allSplits(mixed)) expect(result).toEqual(expected);
  });

  it('does not take a CRLF split across chunks for two line ends', () => {
    const parser = new SseParser();
    expect(parser.push('data: x\r')).toEqual([]);
    // Were the LF a second line end, the event would be dispatched here already.
    expect(parser.push('\n')).toEqual([]);
    expect(parser.push('\r')).toEqual([{ event: 'message', data: 'x', id: '' }]);
    expect(parser.push('')).toEqual([]);
    expect(parser.push('\ndata: y\n\n')).toEqual([{ event: 'message', data: 'y', id: '' }]);
  });

  it('skips frames without data and keeps the event type from leaking into the next frame', () => {
    const { messages } = parseIn('event: reset\n\ndata: a\n\nid: 5\n\ndata: b\n\n', []);
    expect(messages).toEqual([
      { event: 'message', data: 'a', id: '' },
      { event: 'message', data: 'b', id: '5' },
    ]);
  });

  it('strips only one space after the colon, and a leading BOM', () => {
    const { messages } = parseIn('\uFEFFdata:  two spaces\n\n', []);
    expect(messages).toEqual([{ event: 'message', data: ' two spaces', id: '' }]);
  });

  it('ignores ids containing NUL, bad retry values and unknown fields', () => {
    const { messages, parser } = parseIn('id: 3\n\nid: 4\0\nretry: soon\nfoo: bar\ndata: z\n\n', []);
    expect(messages).toEqual([{ event: 'message', data: 'z', id: '3' }]);
    expect(parser.retry).toBeUndefined();
  });

  it('drops an unfinished frame when the stream ends', () => {
    const parser = new SseParser();
    expect(parser.push('id: 9\ndata: half')).toEqual([]);
    parser.end();
    expect(parser.push('data: whole\n\n')).toEqual([{ event: 'message', data: 'whole', id: '9' }]);
  });
});
