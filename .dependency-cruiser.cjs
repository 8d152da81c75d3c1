/**
 * The layering of ARCHITECTURE.md as rules that fail `npm test` (after domain-driven-hexagon's
 * .dependency-cruiser.js): dependencies point inwards only (domain <- application <- the adapters
 * and the API <- bin), the domain is pure, and the event store adapters are reached through the
 * event codec only.
 */
const outer = (...layers) => `^(${layers.join('|')})/`;

module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment: 'domain/ holds plain deciders: nothing from other layers, no framework, no I/O, no packages',
      severity: 'error',
      from: { path: '^domain/' },
      to: { pathNot: '^domain/' },
    },
    {
      name: 'no-application-to-outer-layers',
      comment:
        'application/ may import domain/ only (and packages such as @nestjs/cqrs); adapters are reached through its ports',
      severity: 'error',
      from: { path: '^application/' },
      to: { path: outer('infrastructure', 'projections', 'api', 'bin', 'tests', 'bench') },
    },
    {
      name: 'no-infrastructure-to-outer-layers',
      comment: 'infrastructure/ implements application/ ports with domain/ types',
      severity: 'error',
      from: { path: '^infrastructure/' },
      to: { path: outer('projections', 'api', 'bin', 'tests', 'bench') },
    },
    {
      name: 'no-projections-to-outer-layers',
      comment: 'projections/ read domain/ events through application/ ports',
      severity: 'error',
      from: { path: '^projections/' },
      to: { path: outer('infrastructure', 'api', 'bin', 'tests', 'bench') },
    },
    {
      name: 'no-api-to-outer-layers',
      comment: 'api/ calls application/ (command and query buses), never an adapter',
      severity: 'error',
      from: { path: '^api/' },
      to: { path: outer('infrastructure', 'projections', 'bin', 'tests', 'bench') },
    },
    {
      name: 'no-product-code-to-tests',
      severity: 'error',
      from: { path: outer('domain', 'application', 'infrastructure', 'projections', 'api', 'bin') },
      to: { path: outer('tests', 'bench') },
    },
    {
      name: 'event-store-adapters-behind-the-codec',
      comment:
        'the application, projections and API reach the log through the event codec (bin wraps every adapter in it)',
      severity: 'error',
      from: { pathNot: '^(bin/composition|tests|bench|infrastructure/event-store)/' },
      to: { path: '^infrastructure/event-store/(sqlite|esdb)[.]' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
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
    exclude: { path: '^(dist|node_modules|data|coverage)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
      extensions: ['.ts', '.js', '.mjs', '.cjs', '.json'],
    },
    moduleSystems: ['es6', 'cjs'],
  },
};
