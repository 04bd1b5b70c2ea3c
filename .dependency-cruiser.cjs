/**
 * The layering of DESIGN.md ("Layout": what each folder may import; queue/, the one durable queue that
 * the collector, the writer and the notifier share, sits below them beside model/; bus/, the telemetry bus
 * between the collector and the engine (collector → bus → engine), knows only model/: neither side imports
 * it, main.ts joins them) and no import cycles, type-only imports included: a cycle blurs which part owns a
 * type. The broker's client (@nats-io/*) is bus/'s alone. `npm run lint` checks it.
 */
const folder = (name) => `^${name}/`;
const allowed = {
  model: [],
  standards: ['model'],
  queue: ['model'],
  bus: ['model'],
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
      to: { path: '^(model|standards|queue|bus|collector|engine|db|notify|ui|sim|bench|test)/', pathNot: [folder(part), ...may.map(folder)].join('|') },
    })),
    {
      name: 'nats-client-only-in-bus',
      severity: 'error',
      comment: 'the broker is an implementation of the bus: only bus/ (and tests, benches) talk to it',
      from: { pathNot: '^(bus|bench)/|\\.test\\.ts$|/testing/' },
      to: { path: 'node_modules/@nats-io/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // node_modules is not followed, but kept: the rule on the broker's client sees imports of it
    exclude: { path: '^(data|ui/web/dist)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.svelte'] },
  },
};
