import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { parse } from 'yaml'
import { createServiceMetrics } from '../../src/adapters/http/service-metrics.js'

// The operator's documents agree with the repository: their links land on headings, the files
// they name exist, the alerts they explain are the alerts shipped, the series they name are ones
// the service exports.

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const read = (path: string): string => readFileSync(ROOT + path, 'utf8')
const DOCS = ['docs/operations.md', 'deploy/README.md', 'CHANGELOG.md']
const operations = read('docs/operations.md')

/** A heading's anchor as Markdown renderers make it: lower case, punctuation dropped, spaces to dashes. */
const slug = (heading: string): string =>
  heading.toLowerCase().replace(/[^\p{L}\p{N}\- ]/gu, '').replaceAll(' ', '-')

t.test('every link inside docs/operations.md lands on a heading', async (t) => {
  const anchors = new Set([...operations.matchAll(/^#+ (.+)$/gm)].map(match => slug(match[1]!)))
  t.equal(slug('Eviction: `maxmemory-policy noeviction`'), 'eviction-maxmemory-policy-noeviction', 'the slug rule')
  const links = [...new Set([...operations.matchAll(/\]\(#([^)]+)\)/g)].map(match => match[1]!))]
  t.ok(links.length > 10, `the contents and the cross-references (${links.length})`)
  for (const link of links) t.ok(anchors.has(link), `#${link}`)
  for (const section of ['backups', 'restore-and-the-drill', 'upgrades-and-rollback', 'production-checklist',
    'signing-keys-and-rotation', 'what-lives-in-redis']) {
    t.ok(links.includes(section) && anchors.has(section), `the contents reach ${section}`)
  }
})

t.test('the files the operator\'s documents name exist', async (t) => {
  for (const doc of DOCS) {
    const named = [...read(doc).matchAll(/`((?:\.ci|bench|deploy|docs|drizzle|src|test)\/[\w./-]*|[A-Z]+\.md)`/g)]
      .map(match => match[1]!)
    t.ok(named.length > 0, `${doc} names files`)
    for (const path of new Set(named)) t.ok(existsSync(ROOT + path), `${doc}: ${path}`)
  }
})

t.test('the alerts explained are the alerts shipped, on series the service exports', async (t) => {
  const shipped = (parse(read('deploy/alerts.yaml')) as { groups: Array<{ rules: Array<{ alert: string }> }> })
    .groups.flatMap(group => group.rules.map(rule => rule.alert)).sort()
  const explained = [...operations.matchAll(/^\| `(MobileAuth\w+)`/gm)].map(match => match[1]!).sort()
  t.same(explained, shipped, 'one row in the Alerts table for each rule of deploy/alerts.yaml')

  const exported = new Set<string>()
  for (const metric of await createServiceMetrics().registry.getMetricsAsJSON()) {
    exported.add(metric.name)
    if (String(metric.type) !== 'histogram') continue
    for (const end of ['_bucket', '_sum', '_count']) exported.add(metric.name + end)
  }
  const series = [...operations.matchAll(/`((?:auth|http|db|redis_command)_\w+)(?:\{[^}]*\})?`/g)]
    .map(match => match[1]!)
  t.ok(series.length > 3, 'the document names series')
  for (const name of new Set(series)) t.ok(exported.has(name), `${name} is exported`)
})
