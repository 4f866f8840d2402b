import { resolve } from 'node:path'
import { ESLint } from 'eslint'
import t from 'tap'

// The house style is checked by `npm run lint` (part of `npm test`): this proves the rules bite on
// every layer, so a config that silently matched no file could not pass for a clean tree.
const ROOT = resolve(import.meta.dirname, '../..')
const eslint = new ESLint({ cwd: ROOT })

async function rulesBroken (filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: resolve(ROOT, filePath) })
  return (result?.messages ?? []).map(message => message.ruleId ?? message.message)
}

const PREFIX = "export const text = '"
const LONG = `${PREFIX}${'a'.repeat(121 - PREFIX.length - 1)}'\n`
const PLANTED = [
  'src/domain/planted.ts',
  'src/adapters/http/planted.ts',
  'test/http/planted.test.ts',
  'bench/planted.ts'
]

t.test('a line of 121 characters fails in src, test and bench alike; 120 pass', async (t) => {
  t.equal(LONG.length - 1, 121)
  for (const file of PLANTED) {
    t.same(await rulesBroken(file, LONG), ['@stylistic/max-len'], file)
    t.same(await rulesBroken(file, LONG.replace('aa', 'a')), [], file)
  }
})

t.test('neostandard applies: semicolons, double quotes and an unused import are refused', async (t) => {
  t.same(
    await rulesBroken('src/domain/planted.ts', 'export const x = "a";\n'),
    ['@stylistic/quotes', '@stylistic/semi']
  )
  t.same(
    await rulesBroken('src/domain/planted.ts', "import { join } from 'node:path'\nexport const x = 1\n"),
    ['@typescript-eslint/no-unused-vars']
  )
})

t.test('type literals keep the house delimiters: commas on one line, none at line ends', async (t) => {
  t.same(await rulesBroken('src/domain/planted.ts', 'export type P = { a: string; b: number }\n'), [
    '@stylistic/member-delimiter-style'
  ])
  t.same(await rulesBroken('src/domain/planted.ts', 'export type P = { a: string, b: number }\n'), [])
})
