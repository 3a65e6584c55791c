// Flushes and file operations take turns: a flush for a check that ran in the middle of a
// move or delete could write the old path back (the editing core may write files on flush).
import type { Exclusive } from './contracts';

export function createTurns(): Exclusive {
  let turn: Promise<unknown> = Promise.resolve();
  return <T>(fn: () => Promise<T>): Promise<T> => {
    const result = turn.then(fn, fn);
    turn = result.catch(() => undefined);
    return result;
  };
}
