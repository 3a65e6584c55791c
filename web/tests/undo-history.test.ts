import TextOperation from 'ot/lib/text-operation';
import { describe, expect, it } from 'vitest';
import { diffOperation } from '../src/ide/shared-text/text-diff';
import { UndoHistory } from '../src/ide/editor/undo-history';

/** A text with a history, edited locally (typed) and remotely (others). */
function session() {
  let now = 0;
  const history = new UndoHistory(() => now);
  const state = { text: '' };
  const local = (after: string, at = now + 5000) => {
    now = at;
    const op = diffOperation(state.text, after);
    history.local(op, state.text);
    state.text = op.apply(state.text);
  };
  const remote = (op: TextOperation) => {
    history.remote(op);
    state.text = op.apply(state.text);
  };
  const apply = (op: TextOperation) => local(op.apply(state.text), now);
  return { history, state, local, remote, undo: () => history.undo(apply), redo: () => history.redo(apply), tick: (ms: number) => (now += ms) };
}

describe('UndoHistory', () => {
  it("undoes one's own edit where it is now, after others edited before it", () => {
    const s = session();
    s.local('hello world');
    s.local('hello brave world');
    s.remote(new TextOperation().insert('>> ').retain(17)); // someone types at the start
    expect(s.state.text).toBe('>> hello brave world');
    expect(s.undo()).toBe(true);
    expect(s.state.text).toBe('>> hello world');
    expect(s.redo()).toBe(true);
    expect(s.state.text).toBe('>> hello brave world');
  });

  it("never undoes someone else's text", () => {
    const s = session();
    s.local('abc');
    s.remote(new TextOperation().retain(3).insert('XYZ'));
    s.undo();
    expect(s.state.text).toBe('XYZ');
    expect(s.undo()).toBe(false);
  });

  it('groups quick consecutive typing into one step', () => {
    const s = session();
    s.local('a', 1000);
    s.local('ab', 1100);
    s.local('abc', 1200);
    s.local('abc d', 5000);
    s.undo();
    expect(s.state.text).toBe('abc');
    s.undo();
    expect(s.state.text).toBe('');
  });
});
