/**
 * Compiles the server (main.ts and everything of ours it imports) into one ES module, .build/ketwin.mjs, and the
 * simulators' process (cli/simulators-main.ts) into .build/simulators.mjs, which `npm start` runs with plain node:
 * under the tsx loader the same code held ~55 MiB more, and the loader's esbuild service runs beside it. The
 * packages stay in node_modules, loaded as they are. Each file's own `import.meta.url` is kept as the source
 * file's URL, so that what the code finds beside itself at run time (db/migrations, sim/scenarios, ui/web/dist,
 * packages through createRequire) is found where it is; the entry keeps the bundle's own, which is how main.ts
 * knows it was run. The bundles name those files by absolute path: they run in the checkout that built them
 * (`npm start` builds them each time).
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, type BuildOptions, type Plugin } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const entry = fileURLToPath(new URL('../main.ts', import.meta.url));
const simulatorsEntry = fileURLToPath(new URL('./simulators-main.ts', import.meta.url));
const BUNDLE = fileURLToPath(new URL('../.build/ketwin.mjs', import.meta.url));
const SIMULATORS_BUNDLE = fileURLToPath(new URL('../.build/simulators.mjs', import.meta.url));

const sourceLocation: Plugin = {
  name: 'import-meta-url-of-the-source',
  setup(bundler) {
    bundler.onLoad({ filter: /\.ts$/ }, async ({ path }) => {
      const text = await readFile(path, 'utf8');
      return { contents: path === entry ? text : text.replaceAll('import.meta.url', JSON.stringify(pathToFileURL(path).href)), loader: 'ts' };
    });
  },
};

const common: BuildOptions = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  plugins: [sourceLocation],
  logLevel: 'warning',
};
await Promise.all([
  build({ ...common, entryPoints: [entry], outfile: BUNDLE, define: { KETWIN_SIMULATORS_BUNDLE: JSON.stringify(SIMULATORS_BUNDLE) } }),
  build({ ...common, entryPoints: [simulatorsEntry], outfile: SIMULATORS_BUNDLE }),
]);
