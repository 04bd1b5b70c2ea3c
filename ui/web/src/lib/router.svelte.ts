import { type Route, parseHash } from './routes.ts';

/** The current route, following the location hash. */
export class HashRouter {
  #route = $state<Route>({ page: 'sites' });

  constructor(win: Window) {
    this.#route = parseHash(win.location.hash);
    win.addEventListener('hashchange', () => {
      this.#route = parseHash(win.location.hash);
    });
  }

  get route(): Route {
    return this.#route;
  }
}
