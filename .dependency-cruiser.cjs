/**
 * The layer rules of optbox (docs/ARCHITECTURE.md, "Layers"), checked by `npm test`:
 * routes → core → db, one way; views, mail and auth never reach up into routes; no cycles.
 * Run alone: npx depcruise src views --config .dependency-cruiser.cjs
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      comment: 'An import cycle makes load order matter and the layers meaningless.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'nothing-imports-routes',
      comment: 'Only the composition root (src/app.ts, src/runtime.ts) and routes themselves import routes: views, mail, auth, core, db and the CLI serve them or stand beside them, never the other way.',
      severity: 'error',
      from: { path: '^(src|views)/', pathNot: '^src/(app|runtime)\\.ts$|^src/routes/' },
      to: { path: '^src/routes/' },
    },
    {
      name: 'core-knows-no-http',
      comment: 'Core verbs know nothing of HTTP, pages, mail rendering or sessions.',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { path: ['^src/(routes|mail|auth|cli)/', '^views/', '^src/(app|main|runtime|index)\\.ts$', '^node_modules/hono/'] },
    },
    {
      name: 'db-is-the-bottom',
      comment: 'The store serves core; it imports no layer above it.',
      severity: 'error',
      from: { path: '^src/db/' },
      to: { path: ['^src/(core|routes|mail|auth|cli|i18n)/', '^views/', '^src/(app|main|runtime|index)\\.ts$'] },
    },
    {
      name: 'store-only-through-core',
      comment: 'Outside core/ and db/ the database is reached through core verbs; its row types may be named. The runtime (composition root) opens the store.',
      severity: 'error',
      from: { path: '^(src|views)/', pathNot: '^src/(core|db)/|^src/runtime\\.ts$' },
      to: { path: '^src/db/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'views-render-only',
      comment: 'Pages render what they are given: no core, store, mail or auth.',
      severity: 'error',
      from: { path: '^views/' },
      to: { path: '^src/(core|db|mail|auth|cli)/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'composition-root-on-top',
      comment: 'The runtime, the app and the entry points compose the layers; no layer imports them (the mail hook once reached the runtime and had to keep a global).',
      severity: 'error',
      from: { path: '^(src/(core|db|mail|auth|routes|i18n)/|views/)' },
      to: { path: '^src/(runtime|app|main|index|mail-hook)\\.ts$' },
    },
    {
      name: 'no-cli-from-elsewhere',
      comment: 'The CLI is a face like the routes: nothing builds on it.',
      severity: 'error',
      from: { pathNot: '^src/cli/' },
      to: { path: '^src/cli/' },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'], extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.d.ts'] },
  },
};
