// The house style is neostandard's (the style of the Fastify ecosystem) with TypeScript, plus a
// 120-character line limit. `npm test` runs it (`npm run lint`).
import neostandard from 'neostandard'

export default [
  ...neostandard({ ts: true, ignores: ['dist/**', '.tap/**', 'drizzle/**', 'node_modules/**'] }),
  {
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
