import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'

/**
 * This build's version, package.json's `version` (the CHANGELOG's newest entry), read once when
 * the service starts. The nearest package.json above this file: the repository's from src/, the
 * image's /app/package.json from dist/.
 */
function readServiceVersion (): string {
  let folder = import.meta.dirname
  while (!existsSync(join(folder, 'package.json'))) {
    const parent = dirname(folder)
    if (parent === folder) throw new Error('no package.json above ' + import.meta.dirname)
    folder = parent
  }
  const { version } = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')) as { version?: unknown }
  if (typeof version !== 'string') throw new Error(`${join(folder, 'package.json')} names no version`)
  return version
}

export const SERVICE_VERSION = readServiceVersion()
