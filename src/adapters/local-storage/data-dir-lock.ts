import { randomBytes } from 'node:crypto'
import {
  closeSync,
  constants,
  linkSync,
  mkdirSync,
  openSync,
  renameSync,
  statSync,
  unlinkSync,
  type Stats
} from 'node:fs'
import { connect, createServer, type Server } from 'node:net'
import { join, relative } from 'node:path'

/**
 * One writer per DATA_DIR. The embedded database (PGlite) has no lock of its own: a second
 * process opening the same files starts and silently loses data. So whoever opens it (the
 * service, staff:add, db:migrate) first holds this lock: a Unix socket `DATA_DIR/service.lock`
 * that the holder listens on and answers with one JSON line, `{"pid": …}`.
 *
 * Why a listening socket: it is an OS-level lock that dies with the process (the kernel closes a
 * dead process's socket, so a connect to the file left behind is refused and the file is known
 * stale), with nothing but Node's core. A pid file can name a pid reused since; `proper-lockfile`
 * and the like are a directory and an mtime kept fresh by a timer, stale only by a guess; flock(2)
 * is not in Node's core and an add-on for it needs a compiler at install. What it does not cover:
 * two machines sharing DATA_DIR over a network filesystem (each kernel sees only its own sockets).
 *
 * Taking it never replaces a live holder's file: the socket is bound under a name of its own and
 * hard-linked to `service.lock` (link fails if the name exists); a stale file is replaced by a
 * rename only if it is still the file found refused (another newcomer may have reclaimed it first).
 */
export interface DataDirLock {
  /** Removes the file (if it is still this holder's) and stops listening. Idempotent. */
  release (): Promise<void>
}

/** Another live process holds DATA_DIR; its pid when it said it (null: it did not, in time). */
export class DataDirLockedError extends Error {
  constructor (readonly dataDir: string, readonly pid: number | null) {
    super(`${dataDir} is in use by another process${pid === null ? '' : ` (pid ${pid})`}`)
  }
}

const LOCK_NAME = 'service.lock'
const LONGEST_NAME = `${LOCK_NAME}.${'0'.repeat(12)}` // the holder's own name: service.lock.<12 hex>
// sun_path holds 108 bytes on Linux and 104 on macOS, with its final NUL.
const MAX_SOCKET_PATH = 103
const ANSWER_TIMEOUT_MS = 2000

/** Takes the lock, or fails with DataDirLockedError naming the holder. */
export async function takeDataDirLock (dataDir: string): Promise<DataDirLock> {
  mkdirSync(dataDir, { recursive: true })
  const lockPath = join(dataDir, LOCK_NAME)
  const server = createServer((socket) => {
    socket.on('error', () => {}) // a prober that leaves early is no concern of the holder
    socket.end(JSON.stringify({ pid: process.pid }) + '\n')
  })
  server.unref() // the lock never keeps a process alive on its own
  const names = socketNames(dataDir)
  const ownName = `${LOCK_NAME}.${randomBytes(6).toString('hex')}`
  const ownPath = join(dataDir, ownName)
  try {
    await listen(server, names.address(ownName))
    const own = statSync(ownPath)
    // Three tries: the holder's file may vanish between a failed link and the probe (it stopped).
    for (let attempt = 0; attempt < 3; attempt++) {
      if (tryLink(ownPath, lockPath)) return held({ server, names, lockPath, own, spare: ownPath })
      const found = statOrNull(lockPath)
      if (found === null) continue
      const probe = await probeHolder(names.address(LOCK_NAME))
      if (probe.live) throw new DataDirLockedError(dataDir, probe.pid)
      if (probe.gone) continue
      // Refused: its process is dead. Replace the file, unless it changed since it was probed.
      const now = statOrNull(lockPath)
      if (now === null || !sameFile(now, found)) continue
      renameSync(ownPath, lockPath)
      return held({ server, names, lockPath, own, spare: null })
    }
    throw new Error(`could not take ${lockPath}: it kept changing`)
  } catch (error) {
    await close(server) // unlinks the holder's own name, never service.lock
    names.close()
    throw error
  }
}

function held ({
  server,
  names,
  lockPath,
  own,
  spare
}: {
  server: Server
  names: SocketNames
  lockPath: string
  own: Stats
  spare: string | null
}): DataDirLock {
  if (spare !== null) unlinkSync(spare) // one name on disk: service.lock
  let released = false
  return {
    async release () {
      if (released) return
      released = true
      // Unlink before closing (as libuv does): once closed, the name may already be a newcomer's.
      const now = statOrNull(lockPath)
      if (now !== null && sameFile(now, own)) unlinkSync(lockPath)
      await close(server)
      names.close()
    }
  }
}

/** Whether a process listens at `address`: it answers (live), refuses (stale file) or the file is gone. */
async function probeHolder (
  address: string
): Promise<{ live: true, pid: number | null } | { live: false, gone: boolean }> {
  return await new Promise((resolve, reject) => {
    const socket = connect(address)
    let text = ''
    let connected = false
    const answer = () => {
      clearTimeout(timer)
      socket.destroy()
      resolve({ live: true, pid: pidIn(text) })
    }
    const timer = setTimeout(answer, ANSWER_TIMEOUT_MS) // connected but silent: held all the same
    socket.setEncoding('utf8')
    socket.on('connect', () => {
      connected = true
    })
    socket.on('data', (chunk: string) => {
      text += chunk
      if (text.includes('\n')) answer()
    })
    socket.on('end', answer)
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (connected) {
        answer()
        return
      }
      clearTimeout(timer)
      if (error.code === 'ECONNREFUSED') resolve({ live: false, gone: false })
      else if (error.code === 'ENOENT') resolve({ live: false, gone: true })
      else reject(error)
    })
  })
}

/** The pid in the holder's line `{"pid": 123}`; null for anything else. */
function pidIn (text: string): number | null {
  try {
    const { pid } = JSON.parse(text.split('\n')[0]!) as { pid?: unknown }
    return Number.isSafeInteger(pid) ? pid as number : null
  } catch {
    return null
  }
}

interface SocketNames {
  /** The path to bind or connect to for a socket named `name` in the directory. */
  address (name: string): string
  close (): void
}

/**
 * A socket's path must fit in sun_path: a deep DATA_DIR (a test's fixture folder, a long volume
 * path) is reached by its path relative to the working directory (the default `./.data` always
 * is), else on Linux through an open descriptor of it, `/proc/self/fd/N/`, short whatever the path.
 */
function socketNames (dir: string): SocketNames {
  const fits = (path: string) => Buffer.byteLength(join(path, LONGEST_NAME)) <= MAX_SOCKET_PATH
  if (fits(dir)) return { address: (name) => join(dir, name), close: () => {} }
  const near = relative(process.cwd(), dir)
  if (fits(near)) return { address: (name) => join(near, name), close: () => {} }
  if (process.platform === 'linux') {
    const fd = openSync(dir, constants.O_RDONLY | constants.O_DIRECTORY)
    return { address: (name) => `/proc/self/fd/${fd}/${name}`, close: () => closeSync(fd) }
  }
  throw Object.assign(
    new Error(
      `DATA_DIR is too long a path for its lock socket (${MAX_SOCKET_PATH} bytes at most with the socket's name): ` +
        'use a shorter one'
    ),
    { code: 'ENAMETOOLONG' }
  )
}

async function listen (server: Server, path: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(path, () => { server.off('error', reject); resolve() })
  })
}

async function close (server: Server): Promise<void> {
  await new Promise<void>((resolve) => server.close(() => resolve()))
}

function tryLink (from: string, to: string): boolean {
  try {
    linkSync(from, to)
    return true
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false
    throw error
  }
}

function statOrNull (path: string): Stats | null {
  try {
    return statSync(path)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw error
  }
}

const sameFile = (a: Stats, b: Stats): boolean => a.dev === b.dev && a.ino === b.ino
