import { describe, expect, it } from 'vitest';
import { markdownBlocks } from './markdown-blocks.ts';

describe('markdownBlocks', () => {
  it('splits headings, paragraphs and pipe tables, dropping comments and keeping escaped pipes', () => {
    const md = '# 标准 / Standard\n\n<!-- generated -->\n\nSome text\nwrapped.\n\n- one\n- two\n\n| id | title |\n|---|---|\n| a | x \\| y |\n| b | <script> |\n\n## Next';
    expect(markdownBlocks(md)).toEqual([
      { kind: 'heading', level: 1, text: '标准 / Standard' },
      { kind: 'paragraph', text: 'Some text wrapped.' },
      { kind: 'list', items: ['one', 'two'] },
      {
        kind: 'table',
        header: ['id', 'title'],
        rows: [
          ['a', 'x | y'],
          ['b', '<script>'],
        ],
      },
      { kind: 'heading', level: 2, text: 'Next' },
    ]);
  });
});
