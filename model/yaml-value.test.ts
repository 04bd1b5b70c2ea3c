/** Issue 18, findings 1 and 8: a bad YAML alias, an alias bomb or unstorable text in a site file is named with the file and line. */
import { describe, expect, it } from 'vitest';
import { parseSite } from './site-loader.ts';
import { SiteDefinitionError } from './site-errors.ts';

function refusal(text: string): SiteDefinitionError {
  try {
    parseSite(text, 'sites/bad.yaml');
  } catch (error) {
    return error as SiteDefinitionError;
  }
  throw new Error('accepted');
}

describe('site files the YAML library cannot turn into values', () => {
  it('an alias to no anchor: file and line', () => {
    const e = refusal('id: x\nname:\n  zh: *nope\n');
    expect(e).toBeInstanceOf(SiteDefinitionError);
    expect(e.code).toBe('SITE_YAML');
    expect(e.message).toMatch(/^sites\/bad\.yaml: invalid site definition\n.*\(line 3\): Unresolved alias/);
  });

  it('an alias bomb: refused, with the line of its first alias', () => {
    const bomb = ['id: x', 'a: &a [1,1,1,1,1,1,1,1,1]', 'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]', 'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]', 'd: [*c,*c,*c,*c,*c,*c,*c,*c,*c]'].join('\n');
    const e = refusal(bomb);
    expect(e.message).toMatch(/\(line 3\): Excessive alias count/);
  });

  it('NUL or a lone surrogate in a text: the field and its line', () => {
    expect(refusal('id: x\nname: { zh: "a\\0b", en: ok }\n').message).toMatch(/name\.zh \(line 2\): must not contain the NUL character/);
    expect(refusal('id: x\nname:\n  zh: ok\n  en: "\\ud800"\n').message).toMatch(/name\.en \(line 4\): must not contain a lone UTF-16 surrogate/);
  });
});
