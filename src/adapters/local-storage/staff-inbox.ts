import { randomBytes } from 'node:crypto'
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'

/**
 * How `staff add` (src/adapters/cli/) reaches a running service whose embedded database (PGlite) only that process
 * may open: a request file in DATA_DIR/staff-inbox, answered by the service with a response file.
 * Both are the operator's own files (0600 in a 0700 folder of DATA_DIR, which already holds the
 * generated signing secret), and each is deleted as soon as it is read.
 */
export interface StaffRequest {
  email: string
  role: string
  password: string
  /** The password was generated: the member must change it at the first sign-in. */
  mustChangePassword?: boolean
}
/** No TOTP secret comes back: the console shows the enrolment QR code at the first sign-in. */
export type StaffResponse =
  | { ok: true, email: string, role: string }
  | { ok: false, problems: Record<string, string[]> | null, message: string | null }

const inboxOf = (dataDir: string) => join(dataDir, 'staff-inbox')

async function writeAtomically (path: string, value: unknown): Promise<void> {
  await writeFile(`${path}.tmp`, JSON.stringify(value), { mode: 0o600 })
  await rename(`${path}.tmp`, path)
}

/** The command's side: hands the request to the service and waits for its answer (null: none came). */
export async function askRunningService (
  dataDir: string,
  request: StaffRequest,
  waitMs = 15_000
): Promise<StaffResponse | null> {
  const inbox = inboxOf(dataDir)
  await mkdir(inbox, { recursive: true, mode: 0o700 })
  const id = randomBytes(12).toString('hex')
  await writeAtomically(join(inbox, `${id}.request`), request)
  const answer = join(inbox, `${id}.response`)
  for (const deadline = Date.now() + waitMs; Date.now() < deadline; await sleep(200)) {
    const text = await readFile(answer, 'utf8').catch(() => null)
    if (text === null) continue
    await rm(answer, { force: true })
    return JSON.parse(text) as StaffResponse
  }
  await rm(join(inbox, `${id}.request`), { force: true })
  return null
}

/** The service's side: answers every request in the inbox, every second, until stopped. */
export function serveStaffInbox (
  dataDir: string,
  handle: (request: StaffRequest) => Promise<StaffResponse>,
  onError: (error: unknown) => void
): () => void {
  const inbox = inboxOf(dataDir)
  let busy = false
  const sweep = async () => {
    const names = await readdir(inbox).catch(() => [] as string[])
    for (const name of names.filter(entry => entry.endsWith('.request'))) {
      const path = join(inbox, name)
      const text = await readFile(path, 'utf8').catch(() => null)
      await rm(path, { force: true }) // read once: the password in it never lingers
      if (text === null) continue
      const response = await handle(JSON.parse(text) as StaffRequest)
      await writeAtomically(join(inbox, name.replace(/\.request$/, '.response')), response)
    }
  }
  const timer = setInterval(() => {
    if (busy) return
    busy = true
    sweep()
      .catch(onError)
      .finally(() => {
        busy = false
      })
  }, 1000)
  timer.unref()
  return () => clearInterval(timer)
}
