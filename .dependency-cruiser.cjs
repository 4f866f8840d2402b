/**
 * The layers, checked in `npm test` (test/ops/architecture.test.ts): the core knows only itself
 * and its ports; an adapter reaches another only where this file names the exception.
 */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment: 'src/domain imports nothing of ours but domain, and no package',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: { pathNot: ['^src/domain/'], dependencyTypesNot: ['core'] }
    },
    {
      name: 'application-knows-domain-and-ports',
      comment: 'src/application imports domain and application (its use-cases and ports) only: no adapter, no package',
      severity: 'error',
      from: { path: '^src/application/' },
      to: { pathNot: ['^src/(application|domain)/'], dependencyTypesNot: ['core'] }
    },
    {
      name: 'no-sibling-adapter',
      comment: 'an adapter family imports no other family, except the named exceptions below',
      severity: 'error',
      // src/adapters/cli is a composition root like build-service.ts, no family: it may import any adapter.
      from: { path: '^src/adapters/([^/]+)/', pathNot: '^src/adapters/cli/' },
      to: {
        path: '^src/adapters/[^/]+/',
        pathNot: [
          '^src/adapters/$1/',
          // What every adapter may share: the system primitives (clock, deadlines, logger types).
          '^src/adapters/system/',
          // Named exceptions, each a type an adapter implements for another, as a port between two
          // adapters: the Redis catalog version the memory catalog cache reads, and the embedded
          // file store the HTTP adapter's upload and media routes serve.
          '^src/adapters/memory/cached-catalog-repository\\.ts$',
          '^src/adapters/http/embedded-file-store\\.ts$'
        ]
      }
    },
    {
      name: 'cli-is-a-composition-root',
      comment: 'src/adapters/cli wires adapters as build-service.ts does; only src/cli.ts imports it',
      severity: 'error',
      from: { path: '^src/', pathNot: ['^src/cli\\.ts$', '^src/adapters/cli/'] },
      to: { path: '^src/adapters/cli/' }
    },
    {
      name: 'nothing-imports-tests',
      comment: 'the service never imports test code',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^test/' }
    }
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] }
  }
}
