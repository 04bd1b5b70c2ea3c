/**
 * The layering of DESIGN.md ("Layout": what each folder may import; queue/, the one durable queue that
 * the collector, the writer and the notifier share, sits below them beside model/) and no import cycles, type-only
 * imports included: a cycle blurs which part owns a type. `npm run lint` checks it.
 */
const folder = (name) => `^${name}/`;
const allowed = {
  model: [],
  standards: ['model'],
  queue: ['model'],
  collector: ['model', 'queue'],
  engine: ['model', 'standards'],
  db: ['model', 'queue'],
  notify: ['model', 'queue'],
  sim: ['model'],
  ui: ['model', 'db', 'engine', 'standards'],
};
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      severity: 'error',
      comment: 'a cycle blurs which part owns a type: move the shared word to the part both import',
      from: {},
      to: { circular: true },
    },
    ...Object.entries(allowed).map(([part, may]) => ({
      name: `${part}-imports-only-${may.join('-') || 'nothing-of-ours'}`,
      severity: 'error',
      comment: `DESIGN.md: ${part}/ may import ${may.join(', ') || 'nothing of ours'}`,
      // tests and their fixtures may reach across parts
      from: { path: folder(part), pathNot: '\\.test\\.ts$|/testing/|/testdata/|test-support\\.ts$' },
      to: { path: '^(model|standards|queue|collector|engine|db|notify|ui|sim|bench|test)/', pathNot: [folder(part), ...may.map(folder)].join('|') },
    })),
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|data|ui/web/dist)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.svelte'] },
  },
};
