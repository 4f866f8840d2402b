import { randomUUID } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { mkdir, open, readFile, rename, rm, stat, unlink, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { pipeline } from 'node:stream/promises'
import { isSafeBlobKey, UnsafeBlobKeyError, type BlobStore, type PutResult, type StoredBlob } from './blob-store.js'

/** Where writes in progress live; a dot-name, so no key can reach it. */
const INCOMING = '.incoming'
const UNKNOWN_TYPE = 'application/octet-stream'

const isMissing = (error: unknown): boolean => {
  const code = (error as NodeJS.ErrnoException).code
  return code === 'ENOENT' || code === 'ENOTDIR'
}

/**
 * Objects as plain files under `root` (the key is the relative path), each with its content type
 * in a dot-file beside it (`.<name>.type`). Writes go to a temp file in the same file system and
 * are renamed into place only when complete, so a failed, too-large or empty upload leaves nothing.
 */
export async function createDiskBlobStore (root: string): Promise<BlobStore> {
  const base = path.resolve(root)
  const incoming = path.join(base, INCOMING)
  // Temp files a crash left behind would never be renamed into place; the embedded store runs as
  // one instance, so nothing else is writing there at start-up.
  await rm(incoming, { recursive: true, force: true })
  await mkdir(incoming, { recursive: true })

  const pathOf = (key: string): string | null => {
    if (!isSafeBlobKey(key)) return null
    const file = path.resolve(base, ...key.split('/'))
    // The key rules already keep paths under the root; this holds even if they are loosened.
    return file.startsWith(base + path.sep) ? file : null
  }
  const typePathOf = (file: string): string => path.join(path.dirname(file), `.${path.basename(file)}.type`)

  const has = async (key: string): Promise<boolean> => {
    const file = pathOf(key)
    if (file === null) return false
    try {
      return (await stat(file)).isFile()
    } catch (error) {
      if (isMissing(error)) return false
      throw error
    }
  }

  return {
    async put (
      key: string,
      source: AsyncIterable<Uint8Array>,
      contentType: string,
      maxBytes: number
    ): Promise<PutResult> {
      const file = pathOf(key)
      if (file === null) throw new UnsafeBlobKeyError()
      const temp = path.join(incoming, randomUUID())
      let size = 0
      let tooLarge = false
      async function * limited (): AsyncGenerator<Uint8Array> {
        for await (const chunk of source) {
          size += chunk.byteLength
          // Returning stops reading the source: the extra bytes never reach the disk.
          if (size > maxBytes) {
            tooLarge = true
            return
          }
          yield chunk
        }
      }
      try {
        await pipeline(limited(), createWriteStream(temp, { flags: 'wx', mode: 0o600 }))
        if (tooLarge) return 'too_large'
        if (size === 0) return 'empty'
        await mkdir(path.dirname(file), { recursive: true })
        await writeFile(`${temp}.type`, contentType, { mode: 0o600 })
        // The type lands first, so a reader never sees the new bytes with no type.
        await rename(`${temp}.type`, typePathOf(file))
        await rename(temp, file)
        return 'stored'
      } finally {
        // After a successful rename these paths are gone and `force` makes this a no-op.
        await Promise.all([rm(temp, { force: true }), rm(`${temp}.type`, { force: true })])
      }
    },

    async get (key: string): Promise<StoredBlob | null> {
      const file = pathOf(key)
      if (file === null) return null
      let handle
      try {
        handle = await open(file, 'r')
      } catch (error) {
        if (isMissing(error)) return null
        throw error
      }
      // Size and bytes come from the one open file, so a replacement renamed in meanwhile cannot mix.
      try {
        const info = await handle.stat()
        if (!info.isFile()) {
          await handle.close()
          return null
        }
        const contentType = await readFile(typePathOf(file), 'utf8').then(
          text => text.trim(),
          (error: unknown) => {
            if (isMissing(error)) return UNKNOWN_TYPE
            throw error
          }
        )
        return { body: handle.createReadStream(), contentType, size: info.size }
      } catch (error) {
        await handle.close()
        throw error
      }
    },

    has,

    async remove (key: string): Promise<void> {
      const file = pathOf(key)
      if (file === null || !(await has(key))) return
      await unlink(file).catch((error: unknown) => {
        if (!isMissing(error)) throw error
      })
      await rm(typePathOf(file), { force: true })
    }
  }
}
