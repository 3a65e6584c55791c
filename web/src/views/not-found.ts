import type { AppContext, View } from '../context';
import { h } from '../dom';

export function notFoundView(ctx: AppContext): View {
  ctx.setTitle('Not found');
  return {
    el: h('section', { class: 'page', 'data-testid': 'not-found-screen' },
      h('h1', null, 'Page not found'),
      h('p', null, 'Nothing lives at this address. ', h('a', { href: '/' }, 'Back to your workspaces')),
    ),
  };
}
