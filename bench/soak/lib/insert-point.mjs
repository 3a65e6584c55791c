// Where a marker may go: `at`, or the nearest place after it that is not inside another marker
// (⟦…⟧) nor between the halves of a surrogate pair. Looks only around `at`: edits.mjs's
// editBoundaries lists every boundary of the text, which per keystroke in a document of
// thousands of markers is most of the soak's own CPU, on the core it shares with the platform.
export function insertPoint(text, at) {
  const opened = at > 0 ? text.lastIndexOf('⟦', at - 1) : -1;
  if (opened >= 0 && opened > text.lastIndexOf('⟧', at - 1)) {
    const closed = text.indexOf('⟧', at);
    at = closed < 0 ? text.length : closed + 1;
  }
  const high = (code) => code >= 0xd800 && code <= 0xdbff;
  const low = (code) => code >= 0xdc00 && code <= 0xdfff;
  if (at > 0 && at < text.length && high(text.charCodeAt(at - 1)) && low(text.charCodeAt(at))) at++;
  return at;
}
