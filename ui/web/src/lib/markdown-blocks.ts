/**
 * The generated clause tables are plain Markdown: headings, paragraphs, comments and pipe tables.
 * This splits them into blocks the page renders as text nodes (no HTML from the document is ever
 * injected); inline marks stay as written.
 */
export type Block =
  | { kind: 'heading'; level: number; text: string }
  | { kind: 'paragraph'; text: string }
  | { kind: 'list'; items: string[] }
  | { kind: 'table'; header: string[]; rows: string[][] };

function cells(line: string): string[] {
  const inner = line.trim().replace(/^\|/, '').replace(/\|$/, '');
  return inner.split(/(?<!\\)\|/).map((c) => c.trim().replaceAll('\\|', '|'));
}

export function markdownBlocks(markdown: string): Block[] {
  const blocks: Block[] = [];
  const lines = markdown.replace(/<!--[\s\S]*?-->/g, '').split(/\r?\n/);
  let paragraph: string[] = [];
  const flush = () => {
    if (paragraph.length) blocks.push({ kind: 'paragraph', text: paragraph.join(' ') });
    paragraph = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    if (heading) {
      flush();
      blocks.push({ kind: 'heading', level: heading[1]!.length, text: heading[2]!.trim() });
    } else if (line.trim().startsWith('|')) {
      flush();
      const header = cells(line);
      const rows: string[][] = [];
      let j = i + 1;
      if (j < lines.length && /^\s*\|?\s*:?-{2,}/.test(lines[j]!)) j++;
      for (; j < lines.length && lines[j]!.trim().startsWith('|'); j++) rows.push(cells(lines[j]!));
      blocks.push({ kind: 'table', header, rows });
      i = j - 1;
    } else if (/^\s*[-*]\s+/.test(line)) {
      flush();
      const last = blocks.at(-1);
      const item = line.replace(/^\s*[-*]\s+/, '').trim();
      if (last?.kind === 'list' && /^\s*[-*]\s+/.test(lines[i - 1] ?? '')) last.items.push(item);
      else blocks.push({ kind: 'list', items: [item] });
    } else if (line.trim() === '') {
      flush();
    } else {
      paragraph.push(line.trim());
    }
  }
  flush();
  return blocks;
}
