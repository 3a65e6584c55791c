// Who is in the active document: the person at this screen first, then the others, each as
// a coloured avatar with initials and the name.
import { h } from '../../dom';
import type { DocumentPeer } from '../shared-text/documents';
import { initials, safeColor } from './peer-colors';

export interface PresenceSelf {
  username: string;
}

export function renderPresence(host: HTMLElement, self: PresenceSelf | null, peers: Iterable<DocumentPeer>): void {
  const people: { username: string; color: string; you: boolean }[] = [];
  if (self) people.push({ username: self.username, color: '#3794ff', you: true });
  const named = new Set<string>(self ? [self.username] : []);
  for (const peer of peers) {
    // One avatar per person, however many tabs they (or you) have open.
    if (named.has(peer.username)) continue;
    named.add(peer.username);
    people.push({ username: peer.username, color: peer.color, you: false });
  }
  host.replaceChildren(...people.map((person) => {
    const avatar = h('span', { class: 'presence-avatar', 'aria-hidden': 'true' }, initials(person.username));
    avatar.style.backgroundColor = safeColor(person.color);
    return h('span', {
      class: person.you ? 'presence-user presence-self' : 'presence-user',
      'data-testid': 'presence-user',
      'data-user': person.username,
      title: person.you ? `${person.username} (you)` : person.username,
    }, avatar, h('span', { class: 'presence-name' }, person.you ? `${person.username} (you)` : person.username));
  }));
}
