// What an expression reads of the static model, found by walking the AST that CEL (cel-js)
// produced: the chains of field accesses rooted at `asset` or `site` (e.g. asset.capacity,
// site.depot.grade), so every verdict can record the static values it rests on.

interface AstLike {
  op: string;
  args: unknown;
}

/** `asset.x` and `site.a.b` chains in an expression, in order of first use, as dotted paths. */
export function staticPaths(ast: unknown): string[] {
  const found = new Set<string>();
  const chain = (node: AstLike): string[] | undefined => {
    if (node.op === 'id' && (node.args === 'asset' || node.args === 'site')) return [node.args];
    if (node.op === '.' && Array.isArray(node.args)) {
      const [target, field] = node.args as [AstLike, string];
      const head = target && typeof target === 'object' ? chain(target) : undefined;
      return head ? [...head, field] : undefined;
    }
    return undefined;
  };
  const walk = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object' || !('op' in node)) return;
    const path = chain(node as AstLike);
    if (path && path.length > 1) {
      found.add(path.join('.'));
      return;
    }
    walk((node as AstLike).args);
  };
  walk(ast);
  // keep the longest chains only: site.depot.grade, not also site.depot
  return [...found].filter((p) => ![...found].some((q) => q !== p && q.startsWith(`${p}.`)));
}
