import { describe, expect, it } from 'vitest';
import { asOfHref, compareHref, incidentHref, parseHash, siteHref, standardHref } from './routes.ts';

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

describe("the auditor's routes", () => {
  it('maps the as-of page with and without an instant', () => {
    expect(parseHash(asOfHref('zhoushan-demo', 1_700_000_000_123.4))).toEqual({ page: 'as-of', id: 'zhoushan-demo', at: 1_700_000_000_123 });
    expect(parseHash(asOfHref('zhoushan-demo'))).toEqual({ page: 'as-of', id: 'zhoushan-demo', at: null });
  });

  it('maps compare and standards pages', () => {
    expect(parseHash(compareHref(['a', 'b']))).toEqual({ page: 'compare', sites: ['a', 'b'] });
    expect(parseHash('#/compare')).toEqual({ page: 'compare', sites: [] });
    expect(parseHash(compareHref(['a', 'b'], 1_790_000_000_000.7))).toEqual({ page: 'compare', sites: ['a', 'b'], at: 1_790_000_000_000 });
    expect(parseHash(standardHref('oil-depot-above-ground@1.0.0'))).toEqual({ page: 'standards', key: 'oil-depot-above-ground@1.0.0' });
    expect(parseHash(standardHref())).toEqual({ page: 'standards', key: null });
  });
});

describe("the rescue team's routes", () => {
  it('maps #/incidents to the open incidents and #/incidents/<id> to one, round-tripping alert ids with colons', () => {
    expect(parseHash(incidentHref())).toEqual({ page: 'incidents' });
    const id = 'zhoushan-demo:hazard:overfill:T201:1780000002000';
    expect(incidentHref(id)).toBe('#/incidents/zhoushan-demo%3Ahazard%3Aoverfill%3AT201%3A1780000002000');
    expect(parseHash(incidentHref(id))).toEqual({ page: 'incident', id });
  });
});
