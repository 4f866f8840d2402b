import { existsSync, symlinkSync } from 'node:fs'
import { join, resolve } from 'node:path'

const ROOT = resolve(import.meta.dirname, '../..')
const BUILD = join(ROOT, '.tap/build')

/**
 * The node arguments that start one of the service's entry points (`main`, `cli`) in a child.
 * Under `npm test`, which compiles src and test to .tap/build just before tap runs, the compiled
 * file: the child loads plain JavaScript, as the image does, without a TypeScript loader (about
 * half a second of every start, and a test file starts dozens). Run alone (`tap`, `test:quick`),
 * the source itself through tsx, so an edit is never tested against a stale build.
 */
export function entryPoint (name: 'main' | 'cli'): string[] {
  const built = join(BUILD, 'src', `${name}.js`)
  if (process.env.npm_lifecycle_event !== 'test' || !existsSync(built)) return ['--import=tsx', `src/${name}.ts`]
  // The compiled database adapter finds the migrations beside its `src`, as in the image.
  try {
    symlinkSync(join(ROOT, 'drizzle'), join(BUILD, 'drizzle'))
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
  }
  return [built]
}
