// The house style is neostandard's (the style of the Fastify ecosystem) with TypeScript, plus a
// 120-character line limit. `npm test` runs it (`npm run lint`); test/ops/lint.test.ts proves the
// rules bite in every layer.
import neostandard from 'neostandard'

export default [
  // Built, generated and local files (tap's build and fixtures, the embedded data directory).
  { ignores: ['dist/**', '.tap/**', '.data/**', 'drizzle/**', 'node_modules/**'] },
  ...neostandard({ ts: true }),
  {
    files: ['**/*.{js,mjs,cjs,ts,mts,cts,tsx}'],
    rules: {
      '@stylistic/max-len': ['error', { code: 120 }],
      // The house's type literals: commas on one line, nothing at the end of a line.
      '@stylistic/member-delimiter-style': ['error', {
        multiline: { delimiter: 'none' },
        singleline: { delimiter: 'comma', requireLast: false }
      }]
    }
  }
]
