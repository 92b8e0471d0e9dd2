/**
 * Dependency rules of the architecture (issue 11; see docs/architecture.md):
 *
 *   common  ←  database  ←  core features (customers, locations, trade-ins, ...)  ←  add-ons (pictures, comments, programme, webhooks)
 *
 * and src/platform/ as the one folder that may reach into a library's internals.
 * `npm run depcruise` checks them; every rule is an error.
 *
 * @type {import('dependency-cruiser').IConfiguration}
 */
const FEATURE = '^src/(?!common/|database/|platform/)[^/]+/';
const CORE = '^src/(trade-ins|customers|locations)/';
const ADD_ON = '^src/(upgrade|pictures|picture-types|comments|webhooks)/';
// The libraries the code patches or reaches into (see src/platform/README.md). Their own entry
// point (`typeorm`, `class-validator`, `@nestjs/common`, `mysql2/promise`) is their public API;
// any other file inside them (`typeorm/driver/mysql/MysqlDriver`, `class-validator/types/...`) is
// an internal.
const PATCHED = '^node_modules/(typeorm|class-validator|class-transformer|mysql2|better-sqlite3|helmet|express|multer|@nestjs/[^/]+)/';
const PACKAGE_ENTRY = [
  '^node_modules/[^/]+/(dist/|cjs/|lib/|build/)?index[.](js|cjs|mjs|d[.]ts)$',
  '^node_modules/@[^/]+/[^/]+/(dist/|cjs/|lib/|build/)?index[.](js|cjs|mjs|d[.]ts)$',
  '^node_modules/mysql2/promise[.](js|d[.]ts)$',
  '^node_modules/better-sqlite3/lib/index[.]js$',
];

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Import cycles tangle features together; dependencies run one way.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'common-not-to-features',
      severity: 'error',
      comment: 'src/common is the shared API layer: it knows no feature (features plug into it).',
      from: { path: '^src/common/' },
      to: { path: FEATURE },
    },
    {
      name: 'common-not-to-database',
      severity: 'error',
      comment: 'common ← database: the database layer may use common, not the other way round.',
      from: { path: '^src/common/' },
      to: { path: '^src/database/' },
    },
    {
      name: 'database-not-to-features',
      severity: 'error',
      comment: 'database ← features: entities and repositories live with their feature; the entity list is assembled where the app is composed.',
      from: { path: '^src/database/' },
      to: { path: FEATURE },
    },
    {
      name: 'platform-not-to-features',
      severity: 'error',
      comment:
        'src/platform holds library shortcuts; features use them, not the other way round. Its tripwire specs (*.spec.ts) ' +
        'may exercise a shortcut through the feature that uses it (the count cache, the DTOs).',
      from: { path: '^src/platform/', pathNot: '\\.spec\\.ts$' },
      to: { path: FEATURE },
    },
    {
      name: 'core-not-to-add-ons',
      severity: 'error',
      comment: 'The core (trade-ins, customers, locations) never imports the programme or another add-on; add-ons extend it through injection tokens the core declares.',
      from: { path: CORE },
      to: { path: ADD_ON },
    },
    {
      name: 'lower-core-not-to-trade-ins',
      severity: 'error',
      comment: 'customers and locations sit below trade-ins: a trade-in refers to them, never the reverse.',
      from: { path: '^src/(customers|locations)/' },
      to: { path: '^src/trade-ins/' },
    },
    {
      name: 'library-internals-only-in-platform',
      severity: 'error',
      comment:
        'Reaching into a package past its entry point (typeorm/driver/..., class-validator/types/...) is a shortcut into ' +
        'its internals: it lives in src/platform/, with a pinned version and a tripwire test.',
      from: { path: '^src/', pathNot: '^src/platform/' },
      to: { path: PATCHED, pathNot: PACKAGE_ENTRY },
    },
    {
      name: 'not-to-unlisted-package',
      severity: 'error',
      comment: 'Every package src/ imports is a dependency in package.json (not only reachable through another package).',
      from: { path: '^src/' },
      to: { dependencyTypes: ['npm-no-pkg', 'npm-unknown'] },
    },
    {
      name: 'not-to-dev-dependency',
      severity: 'error',
      comment: 'src/ runs in production, where devDependencies are not installed (npm ci --omit=dev).',
      from: { path: '^src/', pathNot: '\\.spec\\.ts$' },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'not-to-test-or-bench',
      severity: 'error',
      comment: 'The application never imports test helpers or the benchmark.',
      from: { path: '^src/', pathNot: '\\.spec\\.ts$' },
      to: { path: '^(test|bench)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
  },
};
