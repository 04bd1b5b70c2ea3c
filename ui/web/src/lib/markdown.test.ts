import { describe, expect, it } from 'vitest';
import { markdownHtml } from './markdown.ts';

describe('markdown', () => {
  it('renders emphasis, code, lists and pipe tables', () => {
    expect(markdownHtml('**HH** at `16.2 m`', true)).toBe('<strong>HH</strong> at <code>16.2 m</code>');
    expect(markdownHtml('- one\n- two')).toBe('<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n');
    expect(markdownHtml('| a | b |\n|---|---|\n| 1 | 2 |')).toContain('<td>1</td>');
  });

  it('shows raw HTML from a writer as text and makes no script link', () => {
    expect(markdownHtml('<script>alert(1)</script> <img src=x onerror=alert(1)>', true)).toBe('&lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x onerror=alert(1)&gt;');
    expect(markdownHtml('[click](javascript:alert(1))', true)).toBe('[click](javascript:alert(1))');
  });

  it('opens a link in a tab of its own without a handle on the app', () => {
    expect(markdownHtml('[GB 50074](https://example.org/gb50074)', true)).toBe('<a href="https://example.org/gb50074" target="_blank" rel="noopener noreferrer">GB 50074</a>');
  });
});
