import { mkdtemp, rm } from 'node:fs/promises'
import { createRequire } from 'node:module'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Test } from 'tap'

export const BUCKET = 'uploads'

// s3rver ships no types; this is the part of its API the suite uses.
interface S3rverServer { run (): Promise<AddressInfo>, close (): Promise<void> }
type S3rverClass = new (options: object) => S3rverServer
const S3rver = createRequire(import.meta.url)('s3rver') as S3rverClass

/** An S3 stand-in on loopback over its own temporary directory, gone after the test. */
export async function startS3rver (t: Test): Promise<string> {
  const directory = await mkdtemp(join(tmpdir(), 's3rver-'))
  const server = new S3rver({
    port: 0,
    address: '127.0.0.1',
    silent: true,
    directory,
    configureBuckets: [{ name: BUCKET }]
  })
  const { port } = await server.run()
  t.teardown(async () => {
    await server.close()
    await rm(directory, { recursive: true, force: true })
  })
  return `http://127.0.0.1:${port}`
}
