// The output panel: an xterm.js terminal that shows a run's stdout and stderr (stderr in red) and
// takes typed input, a one-line stdin field for those who would rather not type into a terminal,
// Stop and EOF buttons, and the run's status as a chip. xterm arrives with the IDE's chunk, never
// with the sign-in screen.
import { FitAddon } from '@xterm/addon-fit';
import { Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import { h } from '../../dom';
import { LineDiscipline } from './line-discipline';

export type Tone = 'info' | 'ok' | 'warn' | 'error' | 'dim';

export interface OutputControls {
  stdin(data: string): void;
  closeStdin(): void;
  kill(): void;
  /** Ctrl+Enter inside the terminal (the terminal swallows keys the document would see). */
  runRequested(): void;
}

export interface OutputPanel {
  el: HTMLElement;
  /** A new run: clears the terminal and shows what runs. */
  begin(title: string): void;
  write(stream: 'stdout' | 'stderr', data: string): void;
  note(text: string, tone?: Tone): void;
  /** `status` goes to data-status (idle, starting, running, or an exit status / error code). */
  setStatus(status: string, label: string, tone?: Tone): void;
  /** Whether a run is taking input and can be stopped. */
  setLive(live: boolean): void;
  fit(): void;
  dispose(): void;
}

const TONES: Record<Tone, string> = {
  info: '\x1b[36m', ok: '\x1b[32m', warn: '\x1b[33m', error: '\x1b[31m', dim: '\x1b[90m',
};
const RESET = '\x1b[0m';

export function createOutputPanel(controls: OutputControls): OutputPanel {
  const discipline = new LineDiscipline();
  let live = false;
  /** The program's last output did not end its line (a prompt): input echoes after it. */
  let atLineStart = true;

  const status = h('span', { class: 'run-status', 'data-testid': 'run-status', 'data-status': 'idle', role: 'status', 'aria-live': 'polite' }, 'Idle');
  const stopButton = h('button', {
    type: 'button', class: 'btn btn-quiet btn-small', 'data-testid': 'stop-button', disabled: true,
    title: 'Stop the program (Ctrl+C in the terminal)', onclick: () => controls.kill(),
  }, '■ Stop');
  const eofButton = h('button', {
    type: 'button', class: 'btn btn-quiet btn-small', 'data-testid': 'eof-button', disabled: true,
    title: 'End the input (Ctrl+D in the terminal)', onclick: () => sendEof(),
  }, 'EOF');
  const clearButton = h('button', {
    type: 'button', class: 'btn btn-quiet btn-small', 'data-testid': 'clear-output', title: 'Clear the output',
    onclick: () => {
      term.clear();
      term.write('\x1b[2K\r');
      atLineStart = true;
    },
  }, 'Clear');
  const screen = h('div', { class: 'terminal-host' });
  const stdinInput = h('input', {
    type: 'text', class: 'stdin-input', 'data-testid': 'stdin-input', disabled: true, spellcheck: false,
    placeholder: 'Input for the program: Enter sends the line', 'aria-label': 'Program input',
    onkeydown: (e: KeyboardEvent) => {
      if (e.key === 'Enter' && !e.ctrlKey && !e.metaKey) {
        e.preventDefault();
        const line = stdinInput.value;
        stdinInput.value = '';
        // Shown in the transcript as if typed there, so output and input read in order.
        echo(line + '\r\n');
        controls.stdin(line + '\n');
      } else if (e.key === 'd' && e.ctrlKey) {
        e.preventDefault();
        sendEof();
      }
    },
  });
  const el = h('section', { class: 'output-panel', 'aria-label': 'Output' },
    h('div', { class: 'panel-header' },
      h('span', { class: 'panel-title' }, 'Output'),
      status,
      h('span', { class: 'spacer' }),
      eofButton, stopButton, clearButton,
    ),
    h('div', { class: 'output', 'data-testid': 'output' }, screen),
    h('div', { class: 'stdin-row' }, h('span', { class: 'stdin-prompt', 'aria-hidden': 'true' }, '›'), stdinInput),
  );

  const term = new Terminal({
    convertEol: true,
    cursorBlink: false,
    cursorInactiveStyle: 'none',
    fontFamily: "ui-monospace, 'SF Mono', Menlo, Consolas, 'DejaVu Sans Mono', 'Liberation Mono', monospace",
    fontSize: 13,
    scrollback: 5000,
    theme: { background: '#1e1e1e', foreground: '#cccccc', cursor: '#aeafad', selectionBackground: '#264f78' },
  });
  const fitAddon = new FitAddon();
  term.loadAddon(fitAddon);
  term.open(screen);
  term.attachCustomKeyEventHandler((e) => {
    if (e.type === 'keydown' && e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      controls.runRequested();
      return false;
    }
    return true;
  });
  term.onData((data) => {
    if (!live) return;
    const fx = discipline.feed(data);
    if (fx.echo) echo(fx.echo);
    for (const piece of fx.send) controls.stdin(piece);
    if (fx.eof) controls.closeStdin();
    if (fx.interrupt) controls.kill();
  });
  const resize = new ResizeObserver(() => fit());
  resize.observe(screen);

  function echo(text: string): void {
    term.write(text);
    atLineStart = text.endsWith('\n');
  }

  function sendEof(): void {
    if (!live) return;
    const rest = discipline.pending;
    discipline.reset();
    if (rest) controls.stdin(rest);
    echo('^D\r\n');
    controls.closeStdin();
  }

  function fit(): void {
    if (screen.clientWidth > 0 && screen.clientHeight > 0) {
      try {
        fitAddon.fit();
      } catch {
        /* not laid out yet */
      }
    }
  }

  return {
    el,
    begin(title) {
      term.reset();
      discipline.reset();
      atLineStart = true;
      term.write(`${TONES.dim}${title}${RESET}\r\n`);
    },
    write(stream, data) {
      term.write(stream === 'stderr' ? `${TONES.error}${data}${RESET}` : data);
      atLineStart = data.endsWith('\n');
    },
    note(text, tone = 'info') {
      term.write(`${atLineStart ? '' : '\r\n'}${TONES[tone]}${text}${RESET}\r\n`);
      atLineStart = true;
    },
    setStatus(value, label, tone = 'info') {
      status.dataset.status = value;
      status.dataset.tone = tone;
      status.textContent = label;
    },
    setLive(on) {
      live = on;
      stopButton.disabled = !on;
      eofButton.disabled = !on;
      stdinInput.disabled = !on;
      if (!on) discipline.reset();
    },
    fit,
    dispose() {
      resize.disconnect();
      term.dispose();
    },
  };
}
