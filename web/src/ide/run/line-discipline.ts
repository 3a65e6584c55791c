// What a terminal's line discipline does for a program reading a pipe: the program's stdin is not
// a tty, so nothing echoes what is typed and nothing edits the line. This does both in the
// browser, the way a cooked-mode tty would: characters echo, Backspace edits, Enter sends the
// line, Ctrl+D sends what is pending or (on an empty line) ends the input, Ctrl+C stops the run.

export interface LineEffects {
  /** What to write to the terminal to show the typing. */
  echo: string;
  /** Text to send to the program's stdin, in order. */
  send: string[];
  /** Close the program's stdin after sending. */
  eof: boolean;
  /** Ctrl+C: stop the run. */
  interrupt: boolean;
}

export class LineDiscipline {
  private line = '';

  /** The line typed so far and not yet sent. */
  get pending(): string {
    return this.line;
  }

  reset(): void {
    this.line = '';
  }

  /** Feeds what the terminal reports as typed (xterm's onData: keys, pastes, escape sequences). */
  feed(data: string): LineEffects {
    const fx: LineEffects = { echo: '', send: [], eof: false, interrupt: false };
    for (let i = 0; i < data.length; i++) {
      const ch = data[i]!;
      if (ch === '\x1b') {
        // Arrow keys and friends: no history or cursor movement here, so skip the sequence.
        i = skipEscape(data, i);
        continue;
      }
      if (ch === '\r' || ch === '\n') {
        // A pasted CRLF is one line end, not two.
        if (ch === '\r' && data[i + 1] === '\n') i++;
        fx.send.push(this.line + '\n');
        fx.echo += '\r\n';
        this.line = '';
      } else if (ch === '\x7f' || ch === '\b') {
        if (this.line.length > 0) {
          const chars = Array.from(this.line);
          chars.pop();
          this.line = chars.join('');
          fx.echo += '\b \b';
        }
      } else if (ch === '\x04') {
        if (this.line.length > 0) {
          fx.send.push(this.line);
          this.line = '';
        } else {
          fx.eof = true;
          fx.echo += '^D\r\n';
        }
      } else if (ch === '\x03') {
        fx.interrupt = true;
        fx.echo += '^C\r\n';
        this.line = '';
      } else if (ch === '\x15') {
        // Ctrl+U: erase the line.
        fx.echo += '\b \b'.repeat(Array.from(this.line).length);
        this.line = '';
      } else if (ch >= ' ' || ch === '\t') {
        this.line += ch;
        fx.echo += ch;
      }
    }
    return fx;
  }
}

/** Index of the last character of the escape sequence starting at `start`. */
function skipEscape(data: string, start: number): number {
  const next = data[start + 1];
  if (next === '[' || next === 'O') {
    let i = start + 2;
    // CSI: parameters and intermediates, then one final byte in @–~.
    while (i < data.length && !(data[i]! >= '@' && data[i]! <= '~')) i++;
    return Math.min(i, data.length - 1);
  }
  return Math.min(start + 1, data.length - 1);
}
