// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { LineDiscipline } from '../src/ide/run/line-discipline';

describe('LineDiscipline', () => {
  it('echoes typing and sends the line on Enter', () => {
    const d = new LineDiscipline();
    expect(d.feed('Ad')).toEqual({ echo: 'Ad', send: [], eof: false, interrupt: false });
    expect(d.feed('a\r')).toEqual({ echo: 'a\r\n', send: ['Ada\n'], eof: false, interrupt: false });
    expect(d.pending).toBe('');
  });

  it('edits with Backspace, also across surrogate pairs', () => {
    const d = new LineDiscipline();
    d.feed('a😀');
    const fx = d.feed('\x7f');
    expect(fx.echo).toBe('\b \b');
    expect(d.pending).toBe('a');
    expect(d.feed('\x7f\x7f').echo).toBe('\b \b');
  });

  it('sends a pasted block line by line, a CRLF being one line end', () => {
    const d = new LineDiscipline();
    expect(d.feed('one\r\ntwo\nthr').send).toEqual(['one\n', 'two\n']);
    expect(d.pending).toBe('thr');
  });

  it('Ctrl+D sends the pending text, and on an empty line ends the input', () => {
    const d = new LineDiscipline();
    d.feed('abc');
    expect(d.feed('\x04')).toMatchObject({ send: ['abc'], eof: false });
    expect(d.feed('\x04')).toMatchObject({ send: [], eof: true });
  });

  it('Ctrl+C interrupts and drops the line', () => {
    const d = new LineDiscipline();
    d.feed('abc');
    expect(d.feed('\x03')).toMatchObject({ interrupt: true, send: [] });
    expect(d.pending).toBe('');
  });

  it('ignores escape sequences such as arrow keys', () => {
    const d = new LineDiscipline();
    expect(d.feed('a\x1b[Ab\x1b[1;5Cc\x1bOD').echo).toBe('abc');
    expect(d.pending).toBe('abc');
  });
});
