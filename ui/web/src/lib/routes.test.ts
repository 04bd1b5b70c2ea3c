import { describe, expect, it } from 'vitest';
import { parseHash, siteHref } from './routes.ts';

describe('hash routes', () => {
  it('maps the empty hash and #/ to the site list', () => {
    expect(parseHash('')).toEqual({ page: 'sites' });
    expect(parseHash('#/')).toEqual({ page: 'sites' });
  });

  it('maps #/sites/<id> to one site, round-tripping odd ids', () => {
    expect(parseHash('#/sites/zhoushan-demo')).toEqual({ page: 'site', id: 'zhoushan-demo' });
    expect(parseHash(siteHref('a b/c'))).toEqual({ page: 'site', id: 'a b/c' });
  });

  it('reports anything else as missing', () => {
    expect(parseHash('#/nowhere')).toEqual({ page: 'missing', hash: '#/nowhere' });
  });
});
