import { resolve } from 'node:path'
import { ESLint } from 'eslint'
import t from 'tap'

// The house style, checked over the whole tree here (so it runs beside the other test files instead
// of before them), and proved to bite on every layer: a config that silently matched no file could
// not pass for a clean tree. `npm run lint` runs the same check alone.
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

t.test('the tree breaks no rule of eslint.config.mjs', async (t) => {
  const results = await eslint.lintFiles(['.'])
  const broken = results.flatMap(result =>
    result.messages.map(m => `${result.filePath.slice(ROOT.length + 1)}:${m.line} ${m.ruleId ?? m.message}`)
  )
  t.same(broken, [], 'no file breaks a rule')
  t.ok(results.length > 300, `${results.length} files linted`)
})

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
