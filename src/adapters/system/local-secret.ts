import { randomBytes } from 'node:crypto'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

/**
 * The embedded default's signing secret: made once, kept in DATA_DIR (mode 0600) so tokens
 * survive a restart. Production refuses this path (see load-config).
 */
export async function loadOrCreateSecret (dataDir: string): Promise<string> {
  const path = join(dataDir, 'jwt-secret')
  try {
    const existing = (await readFile(path, 'utf8')).trim()
    if (existing.length >= 32) return existing
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
  }
  await mkdir(dataDir, { recursive: true })
  const secret = randomBytes(48).toString('base64url')
  // 'wx' fails if another process wrote it first; then theirs is the one to use.
  try {
    await writeFile(path, secret + '\n', { mode: 0o600, flag: 'wx' })
    return secret
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    return (await readFile(path, 'utf8')).trim()
  }
}
