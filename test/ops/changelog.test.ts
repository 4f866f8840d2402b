import { readFileSync } from 'node:fs'
import t from 'tap'

// CHANGELOG.md names the release package.json carries (and with it /health and the image label),
// newest first, in Keep a Changelog's shape.

const read = (path: string): string => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8')
const changelog = read('CHANGELOG.md')
const version = (JSON.parse(read('package.json')) as { version: string }).version
interface Lockfile { version: string, packages: Record<string, { version?: string }> }
const lock = JSON.parse(read('package-lock.json')) as Lockfile

const SEMVER = /^(\d+)\.(\d+)\.(\d+)$/
const releases = [...changelog.matchAll(/^## \[([^\]]+)\](?: - (\d{4}-\d{2}-\d{2}))?$/gm)]
  .map(match => ({ name: match[1]!, date: match[2] }))
  .filter(release => release.name !== 'Unreleased')

t.test('the newest release in CHANGELOG.md is package.json\'s version', async (t) => {
  t.match(version, SEMVER, 'package.json carries a semantic version')
  t.equal(releases[0]?.name, version, `the newest entry is ${version}`)
  t.equal(lock.version, version, 'package-lock.json agrees')
  t.equal(lock.packages['']?.version, version, 'package-lock.json\'s root package agrees')
})

t.test('releases are semantic versions with dates, newest first, each once', async (t) => {
  t.ok(releases.length >= 2, 'the current release and the one before')
  const numbers = releases.map(release => {
    t.match(release.name, SEMVER, `${release.name} is MAJOR.MINOR.PATCH`)
    t.ok(release.date !== undefined, `${release.name} has a date`)
    return release.name.split('.').map(Number)
  })
  for (let i = 1; i < numbers.length; i++) {
    const [newer, older] = [numbers[i - 1]!, numbers[i]!]
    const order = newer[0]! - older[0]! || newer[1]! - older[1]! || newer[2]! - older[2]!
    t.ok(order > 0, `${releases[i - 1]!.name} comes after ${releases[i]!.name}`)
    t.ok(releases[i - 1]!.date! >= releases[i]!.date!, 'and is not dated earlier')
  }
})

t.test('each release uses the Keep a Changelog sections and says what breaking means', async (t) => {
  const sections = [...changelog.matchAll(/^### (.+)$/gm)].map(match => match[1]!)
  t.ok(sections.length > 0, 'sections')
  for (const section of sections) {
    t.ok(['Added', 'Changed', 'Deprecated', 'Removed', 'Fixed', 'Security'].includes(section), `### ${section}`)
  }
  for (const kind of ['Wire', 'Configuration', 'Database']) {
    t.match(changelog, new RegExp(`^- \\*\\*${kind}\\*\\*:`, 'm'), `what breaks the ${kind.toLowerCase()}`)
  }
})
