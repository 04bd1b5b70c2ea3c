// We read cel-js's parsed AST (expression-paths.ts, expression-compiler.ts), which is not its public
// API: package.json pins the exact version, and this test fails loudly if an upgrade changes the shape
// those files walk — { op, args } nodes with these op names and argument layouts.
import { Environment } from '@marcbachmann/cel-js';
import { describe, expect, it } from 'vitest';

type Node = { op: string; args: unknown };
/** the AST reduced to what we read: op and args, literals as text */
function shape(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(shape);
  if (typeof node === 'bigint') return `${node}n`;
  if (node && typeof node === 'object' && 'op' in node) return { op: (node as Node).op, args: shape((node as Node).args) };
  return node;
}

describe('the cel-js AST we depend on (pinned @marcbachmann/cel-js)', () => {
  it('has { op, args } nodes: id, member access, comparison, logic, calls, receiver calls with a macro variable, literals', () => {
    const env = new Environment().registerVariable('level', 'double').registerVariable('asset', 'map');
    const parsed = env.parse('level < asset.levelHigh && size(asset.tags.filter(t, t == "x")) > 0') as unknown as { ast: unknown };
    expect(shape(parsed.ast)).toEqual({
      op: '&&',
      args: [
        {
          op: '<',
          args: [
            { op: 'id', args: 'level' },
            { op: '.', args: [{ op: 'id', args: 'asset' }, 'levelHigh'] },
          ],
        },
        {
          op: '>',
          args: [
            {
              op: 'call',
              args: [
                'size',
                [
                  {
                    op: 'rcall',
                    args: [
                      'filter',
                      { op: '.', args: [{ op: 'id', args: 'asset' }, 'tags'] },
                      [
                        { op: 'id', args: 't' },
                        {
                          op: '==',
                          args: [
                            { op: 'id', args: 't' },
                            { op: 'value', args: 'x' },
                          ],
                        },
                      ],
                    ],
                  },
                ],
              ],
            },
            { op: 'value', args: '0n' },
          ],
        },
      ],
    });
  });

  it('is pinned to the version this shape was read from', async () => {
    const { readFile } = await import('node:fs/promises');
    const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as { dependencies: Record<string, string> };
    expect(pkg.dependencies['@marcbachmann/cel-js']).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
