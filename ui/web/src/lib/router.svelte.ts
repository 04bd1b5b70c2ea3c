import { type Route, parseHash } from './routes.ts';

/** The current route, following the location hash. */
export class HashRouter {
  #route = $state<Route>({ page: 'sites' });
  #home = $state(true);

  constructor(win: Window) {
    const follow = () => {
      this.#route = parseHash(win.location.hash);
      this.#home = win.location.hash === '' || win.location.hash === '#/' || win.location.hash === '#';
    };
    follow();
    win.addEventListener('hashchange', follow);
  }

  /** at the start page (no hash, or #/), where each role lands on what it needs first */
  get home(): boolean {
    return this.#home;
  }

  get route(): Route {
    return this.#route;
  }
}
