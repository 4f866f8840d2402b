import { execFile, spawn } from 'node:child_process'
import { existsSync, statSync } from 'node:fs'
import { chmod, copyFile, cp, link, mkdir, mkdtemp, readdir, readFile, rm, symlink } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { promisify } from 'node:util'
import type { Test } from 'tap'
import { collectRun, type Run } from './run-to-exit.js'

const ROOT = resolve(import.meta.dirname, '../..')
/** The image's `node` user (Dockerfile: USER 1000:1000). */
const IMAGE_USER = 1000

/**
 * Whether another user can reach this checkout's files (every folder above it lets others pass):
 * the layout links its packages into the checkout's node_modules. A clone in a `mktemp -d` folder
 * (mode 0700) cannot be reached by uid 1000, so there the commands run as this user instead.
 */
export const CHECKOUT_REACHABLE = ((): boolean => {
  for (let folder = ROOT; ; folder = dirname(folder)) {
    if ((statSync(folder).mode & 0o001) === 0) return false
    if (dirname(folder) === folder) return true
  }
})()

export interface ImageLayout {
  /** /app in the image: dist/, drizzle/, package.json, node_modules; no src/, no compiler. */
  app: string
  /** Whether commands run as the image's unprivileged user (the test runs as root) or as this one. */
  asImageUser: boolean
  /** `node dist/cli.js ...args` in `app`, with only `env` (and PATH) set; killed after two minutes. */
  cli (args: string[], env: Record<string, string>): Promise<Run>
  /** Any node script in `app`, as the same user (for checks such as "it cannot write here"). */
  node (args: string[]): Promise<Run>
}

/**
 * The runtime stage of the Dockerfile, rebuilt in a temporary directory: the compiled code (under
 * `npm test` the .tap/build output of that run, else compiled here with tsconfig.build.json, as
 * the build stage does), the migrations and package.json, the production packages only (linked
 * from this checkout's node_modules, dev packages such as typescript and tsx left out), every file
 * root-owned and read-only. Commands run as uid 1000 with a copy of this node binary (root's home,
 * where it may live, is closed to that user), so they can write nowhere in the layout.
 */
export async function buildImageLayout (t: Test): Promise<ImageLayout> {
  const root = await mkdtemp(join(tmpdir(), 'image-layout-'))
  t.teardown(() => rm(root, { recursive: true, force: true }))
  const app = join(root, 'app')
  const bin = join(root, 'bin')
  await mkdir(bin, { recursive: true })
  await mkdir(join(app, 'node_modules'), { recursive: true })

  const built = join(ROOT, '.tap/build/src')
  if (process.env.npm_lifecycle_event === 'test' && existsSync(join(built, 'cli.js'))) {
    await cp(built, join(app, 'dist'), { recursive: true })
  } else {
    const tsc = join(ROOT, 'node_modules/typescript/bin/tsc')
    const config = join(ROOT, 'tsconfig.build.json')
    await promisify(execFile)(process.execPath, [tsc, '-p', config, '--outDir', join(app, 'dist')])
  }
  await cp(join(ROOT, 'drizzle'), join(app, 'drizzle'), { recursive: true })
  await copyFile(join(ROOT, 'package.json'), join(app, 'package.json'))
  for (const name of await productionPackages()) {
    await mkdir(dirname(join(app, 'node_modules', name)), { recursive: true })
    await symlink(join(ROOT, 'node_modules', name), join(app, 'node_modules', name))
  }
  const node = join(bin, 'node')
  await link(process.execPath, node).catch(async () => { await copyFile(process.execPath, node) })
  await chmod(node, 0o755)
  await readOnly(app)
  await chmod(root, 0o755)

  const asImageUser = process.getuid?.() === 0 && CHECKOUT_REACHABLE
  const start = (args: string[], env: Record<string, string>) => runIn(app, node, args, {
    PATH: `${bin}:/usr/bin:/bin`,
    ...env
  }, asImageUser)
  return {
    app,
    asImageUser,
    cli: (args, env) => start(['dist/cli.js', ...args], env),
    node: (args) => start(args, {})
  }
}

/** The packages `npm ci --omit=dev` installs at the top of node_modules, from the lockfile. */
async function productionPackages (): Promise<string[]> {
  const lock = JSON.parse(await readFile(join(ROOT, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { dev?: boolean }>
  }
  return Object.entries(lock.packages)
    .filter(([path, entry]) => /^node_modules\/(@[^/]+\/)?[^/]+$/.test(path) && entry.dev !== true)
    .map(([path]) => path.slice('node_modules/'.length))
    .filter(name => existsSync(join(ROOT, 'node_modules', name)))
}

/** Directories 0555 and files 0444 (symlinks untouched): nobody but root changes anything. */
async function readOnly (dir: string): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) await readOnly(path)
    else if (entry.isFile()) await chmod(path, 0o444)
  }
  await chmod(dir, 0o555)
}

async function runIn (
  cwd: string,
  node: string,
  args: string[],
  env: Record<string, string>,
  asImageUser: boolean
): Promise<Run> {
  // libuv drops the supplementary groups when it changes the user, as `setpriv --clear-groups` would.
  // `env -i`: tap adds its process tracking to every child's environment (NODE_OPTIONS), which
  // would write to this checkout; the image's process starts with nothing of the kind.
  const assignments = Object.entries(env).map(([name, value]) => `${name}=${value}`)
  const child = spawn('/usr/bin/env', ['-i', ...assignments, node, ...args], {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(asImageUser ? { uid: IMAGE_USER, gid: IMAGE_USER } : {})
  })
  return collectRun(child)
}
