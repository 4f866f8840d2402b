import { randomBytes } from 'node:crypto'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { parseAllDocuments } from 'yaml'
import { type ConfigError, loadConfig } from '../../src/adapters/config/load-config.js'
import { loadMigrateConfig } from '../../src/adapters/config/database-config.js'
import { buildTestApp } from '../helpers/build-test-app.js'

// The operations kit (Dockerfile, deploy/) checked against the code it ships: probe paths the app
// serves, ports that agree, and only environment variables the config module actually reads.

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const DEPLOY = join(ROOT, 'deploy')
const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8')

type Labels = Record<string, string>
interface Probe { httpGet?: { path: string, port: number | string } }
interface EnvVar {
  name: string
  value?: unknown
  valueFrom?: {
    secretKeyRef?: { name: string, key: string }
    configMapKeyRef?: { name: string, key: string }
    resourceFieldRef?: { containerName?: string, resource: string, divisor?: string }
  }
}
interface EnvFrom { prefix?: string, configMapRef?: { name: string }, secretRef?: { name: string } }
interface Container {
  name: string
  image: string
  command?: string[]
  args?: string[]
  ports?: Array<{ name?: string, containerPort: number }>
  env?: EnvVar[]
  envFrom?: EnvFrom[]
  readinessProbe?: Probe
  livenessProbe?: Probe
  startupProbe?: Probe
  resources?: { requests?: Record<string, unknown>, limits?: Record<string, unknown> }
  securityContext?: { runAsNonRoot?: boolean, readOnlyRootFilesystem?: boolean }
  lifecycle?: { preStop?: { exec?: { command: string[] }, sleep?: { seconds: number } } }
}
interface PodTemplate {
  metadata: { labels: Labels }
  spec: {
    containers: Container[]
    securityContext?: { runAsNonRoot?: boolean }
    terminationGracePeriodSeconds?: number
  }
}
// The union of the fields these kinds use; each check reads the ones of its kind.
interface Manifest {
  apiVersion: string
  kind: string
  metadata: { name: string, labels?: Labels }
  data?: Record<string, unknown>
  stringData?: Record<string, unknown>
  spec?: {
    replicas?: number
    selector?: Labels & { matchLabels?: Labels, matchExpressions?: unknown[] }
    template?: PodTemplate
    ports?: Array<{ port: number, targetPort: number | string }>
    scaleTargetRef?: { apiVersion: string, kind: string, name: string }
    minReplicas?: number
    metrics?: Array<{ type: string, resource?: { name: string } }>
  }
}

// A Prometheus rules file, not a Kubernetes resource: test/ops/alerts.test.ts checks it.
const NOT_MANIFESTS: ReadonlySet<string> = new Set(['alerts.yaml'])
const files = readdirSync(DEPLOY).filter((file) => /\.ya?ml$/.test(file) && !NOT_MANIFESTS.has(file)).sort()
const manifests = files.flatMap((file) => parseAllDocuments(read(join('deploy', file)))
  .flatMap((doc) => {
    if (doc.errors.length > 0) throw new Error(`deploy/${file}: ${doc.errors.map((error) => error.message).join('; ')}`)
    const value = doc.toJS() as Manifest | null
    return value === null ? [] : [{ file, manifest: value }]
  }))

function only (kind: string, file?: string): Manifest {
  const found = manifests.filter((entry) => entry.manifest.kind === kind && (file === undefined || entry.file === file))
  if (found.length !== 1) {
    throw new Error(`expected one ${kind}${file === undefined ? '' : ` in ${file}`}, found ${found.length}`)
  }
  return found[0]!.manifest
}

const deployment = only('Deployment')
const job = only('Job', 'migrate-job.yaml')
const secret = only('Secret', 'secret.example.yaml')
const podTemplate = deployment.spec!.template!
const api = podTemplate.spec.containers[0]!
const migrator = job.spec!.template!.spec.containers[0]!
const containerPort = api.ports![0]!.containerPort

/** A named port resolved against the API container, as the kubelet and the Service do. */
const resolvePort = (port: number | string): number | undefined =>
  typeof port === 'number' ? port : api.ports?.find((candidate) => candidate.name === port)?.containerPort
const selects = (selector: Labels, labels: Labels): boolean =>
  Object.entries(selector).every(([key, value]) => labels[key] === value)

// ---- Dockerfile -----------------------------------------------------------------------------

interface Instruction { keyword: string, args: string }

/** Instructions with continuation lines joined and comments dropped. */
function parseDockerfile (text: string): Instruction[] {
  const logical: string[] = []
  let pending = ''
  for (const line of text.split('\n')) {
    if (/^\s*#/.test(line)) continue // also inside a continuation, as Docker does
    if (/\\\s*$/.test(line)) { pending += line.replace(/\\\s*$/, ' '); continue }
    const whole = (pending + line).trim()
    pending = ''
    if (whole !== '') logical.push(whole)
  }
  return logical.map((line) => {
    const [, keyword = '', args = ''] = /^(\S+)\s*(.*)$/.exec(line) ?? []
    return { keyword: keyword.toUpperCase(), args: args.trim() }
  })
}

const instructions = parseDockerfile(read('Dockerfile'))
const globalArgs = new Map<string, string>()
for (const instruction of instructions) {
  if (instruction.keyword === 'FROM') break
  const match = /^(\w+)=(.*)$/.exec(instruction.args)
  if (instruction.keyword === 'ARG' && match !== null) globalArgs.set(match[1]!, match[2]!.replace(/^"|"$/g, ''))
}
const stages: Array<{ base: string, name: string | undefined, body: Instruction[] }> = []
for (const instruction of instructions) {
  if (instruction.keyword === 'FROM') {
    const words = instruction.args.split(/\s+/).filter((word) => !word.startsWith('--'))
    const base = words[0]!.replace(/\$\{?(\w+)\}?/g, (_all, name: string) => globalArgs.get(name) ?? '')
    stages.push({ base, name: words[1]?.toLowerCase() === 'as' ? words[2] : undefined, body: [] })
  } else {
    stages.at(-1)?.body.push(instruction)
  }
}
const finalStage = stages.at(-1)
const finalAll = (keyword: string): Instruction[] =>
  finalStage?.body.filter(instruction => instruction.keyword === keyword) ?? []
const imageEnv: Record<string, string> = {}
for (const { args } of finalAll('ENV')) {
  for (const match of args.matchAll(/(\w+)=("[^"]*"|\S+)/g)) imageEnv[match[1]!] = match[2]!.replace(/^"|"$/g, '')
}

t.test('Dockerfile', async (t) => {
  t.ok(stages.length >= 2, 'multi-stage: at least two FROM')
  const bases = new Set(
    stages.filter(stage => !stages.some(other => other.name === stage.base)).map(stage => stage.base)
  )
  t.equal(
    bases.size,
    1,
    `one base image for every stage, so argon2's prebuilt binary matches the libc (${[...bases].join(', ')})`
  )
  const floor = /^>=\s*(\d+)/.exec(JSON.parse(read('package.json')).engines.node as string)?.[1]
  t.ok(
    [...bases].every(base => base.startsWith(`node:${floor}-`)),
    `on Node ${floor}, the engines floor (a supported LTS)`
  )
  t.ok(
    stages.slice(0, -1).some(stage => stage.body.some(i => i.keyword === 'RUN' && /npm run build/.test(i.args))),
    'an earlier stage builds'
  )

  const users = finalAll('USER')
  t.ok(users.length > 0, 'the final stage sets a USER')
  const user = users.at(-1)?.args.split(':')[0] ?? 'root'
  t.notOk(['root', '0'].includes(user), `the final stage runs as a non-root user (${user})`)

  const installs = finalAll('RUN').filter((i) => /\bnpm ci\b/.test(i.args))
  t.ok(installs.length > 0, 'the final stage runs npm ci')
  t.ok(installs.every((i) => /--omit=dev\b/.test(i.args)), 'every npm ci in the final stage omits dev dependencies')
  const copies = finalAll('COPY').map((i) => i.args)
  t.ok(copies.some((args) => /--from=\S+\s+\S*dist\b/.test(args)), 'dist/ comes from the build stage')
  t.ok(copies.some((args) => /\bdrizzle\b/.test(args)), 'the migrations (drizzle/) are in the image')

  const cmd = JSON.parse(finalAll('CMD').at(-1)?.args ?? 'null') as unknown
  t.ok(
    Array.isArray(cmd) &&
      cmd[0] === 'node' &&
      cmd.at(-1) === 'dist/main.js' &&
      cmd.slice(1, -1).every((arg: unknown) => typeof arg === 'string' && arg.startsWith('--')),
    'CMD runs node dist/main.js directly (only Node flags between), in exec form, so SIGTERM reaches node'
  )
  const exposed = finalAll('EXPOSE').flatMap((i) => i.args.split(/\s+/)).map((port) => Number(port.split('/')[0]))
  t.ok(exposed.includes(containerPort), `EXPOSE ${containerPort}, the Deployment's containerPort`)
  t.equal(imageEnv.NODE_ENV, 'production', 'NODE_ENV=production in the image')
  t.equal(imageEnv.HOST, '0.0.0.0', 'listens on every interface in a container')
  if (imageEnv.PORT !== undefined) t.equal(Number(imageEnv.PORT), containerPort, 'the image PORT is the containerPort')

  const ignored = read('.dockerignore').split('\n').map((line) => line.trim().replace(/^\/|\/$/g, ''))
  for (const entry of ['node_modules', '.data', 'dist', '.git']) {
    t.ok(ignored.includes(entry), `.dockerignore keeps ${entry} out of the context`)
  }
})

// ---- Manifests ----------------------------------------------------------------------------------

t.test('every document names its apiVersion, kind and metadata.name', async (t) => {
  t.ok(manifests.length >= 6, `found ${manifests.length} documents in ${files.join(', ')}`)
  for (const { file, manifest } of manifests) {
    t.ok(
      typeof manifest.apiVersion === 'string' &&
        typeof manifest.kind === 'string' &&
        typeof manifest.metadata?.name === 'string',
      `${file}: ${manifest.kind}/${manifest.metadata?.name}`
    )
  }
  t.equal(only('HorizontalPodAutoscaler').apiVersion, 'autoscaling/v2', 'the HPA is autoscaling/v2')
  t.equal(only('PodDisruptionBudget').apiVersion, 'policy/v1', 'the PDB is policy/v1')
})

t.test('the probes are routes the app serves, on the container port', async (t) => {
  t.equal(api.readinessProbe?.httpGet?.path, '/ready', 'readiness is the dependency check')
  t.ok(api.livenessProbe?.httpGet?.path !== undefined, 'a liveness probe')
  for (const [kind, probe] of Object.entries({
    readiness: api.readinessProbe,
    liveness: api.livenessProbe,
    startup: api.startupProbe
  })) {
    if (probe === undefined) continue
    t.equal(resolvePort(probe.httpGet!.port), containerPort, `${kind} probe port is the containerPort`)
  }
  t.equal(
    api.env?.find(variable => variable.name === 'PORT')?.value,
    String(containerPort),
    'PORT is the containerPort'
  )

  const { app, ports } = await buildTestApp(t)
  const get = async (url: string): Promise<number> => (await app.inject({ method: 'GET', url })).statusCode
  const readiness = api.readinessProbe!.httpGet!.path
  const liveness = api.livenessProbe!.httpGet!.path
  t.equal(await get(readiness), 200, `GET ${readiness} answers`)
  t.equal(await get(liveness), 200, `GET ${liveness} answers`)
  if (api.startupProbe?.httpGet !== undefined) {
    t.not(await get(api.startupProbe.httpGet.path), 404, 'the startup probe path is served')
  }

  // A database outage must take the pod out of the Service but never get it restarted.
  ports.accounts.ping = async () => { throw new Error('connection refused') }
  t.equal(await get(readiness), 503, 'readiness fails while the database is down')
  t.equal(await get(liveness), 200, 'liveness does not depend on the database')
})

t.test('the Deployment runs safely and drains before it stops', async (t) => {
  t.ok((deployment.spec?.replicas ?? 0) >= 2, 'at least two replicas')
  t.ok(selects(deployment.spec!.selector!.matchLabels!, podTemplate.metadata.labels), 'its selector matches its pods')
  t.ok(
    api.resources?.requests?.cpu !== undefined && api.resources?.requests?.memory !== undefined,
    'requests cpu and memory'
  )
  t.ok(api.resources?.limits?.memory !== undefined, 'limits memory')
  t.ok(
    podTemplate.spec.securityContext?.runAsNonRoot === true || api.securityContext?.runAsNonRoot === true,
    'runAsNonRoot'
  )
  t.equal(api.securityContext?.readOnlyRootFilesystem, true, 'read-only root filesystem')

  const preStop = api.lifecycle?.preStop
  const sleep = preStop?.sleep?.seconds ?? Number(preStop?.exec?.command.join(' ').match(/sleep\s+(\d+)/)?.[1])
  t.ok(sleep > 0, `a preStop sleep (${sleep} s) lets endpoints drop the pod before SIGTERM`)
  // close-with-grace's delay: a number, or a constant of src/main.ts holding one.
  const main = read('src/main.ts')
  const delay = /delay:\s*([\w]+)/.exec(main)?.[1] ?? ''
  const graceMs = /^[\d_]+$/.test(delay) ? delay : new RegExp(`const ${delay}\\s*=\\s*([\\d_]+)`).exec(main)?.[1]
  t.ok(graceMs !== undefined, 'src/main.ts gives close-with-grace a delay')
  const needed = sleep + Number(graceMs?.replaceAll('_', '')) / 1000
  t.ok(
    (podTemplate.spec.terminationGracePeriodSeconds ?? 30) > needed,
    `terminationGracePeriodSeconds covers preStop + close-with-grace (${needed} s)`
  )
})

t.test('Service, PDB and HPA point at the API pods, never at the migration Job', async (t) => {
  const podLabels = podTemplate.metadata.labels
  const jobLabels = job.spec!.template!.metadata.labels
  const service = only('Service')
  const pdb = only('PodDisruptionBudget')
  const hpa = only('HorizontalPodAutoscaler')
  t.ok(selects(service.spec!.selector!, podLabels), 'the Service selects the Deployment pods')
  t.notOk(selects(service.spec!.selector!, jobLabels), 'the Service does not select the migration pods')
  for (const port of service.spec!.ports!) {
    t.equal(resolvePort(port.targetPort), containerPort, `Service port ${port.port} targets the containerPort`)
  }
  t.notOk(pdb.spec!.selector!.matchExpressions, 'the PDB selects by labels only')
  t.ok(selects(pdb.spec!.selector!.matchLabels!, podLabels), 'the PDB selects the Deployment pods')
  t.notOk(selects(pdb.spec!.selector!.matchLabels!, jobLabels), 'the PDB does not count the migration pods')
  t.same(
    hpa.spec!.scaleTargetRef,
    { apiVersion: 'apps/v1', kind: 'Deployment', name: deployment.metadata.name },
    'the HPA scales the Deployment'
  )
  t.ok((hpa.spec!.minReplicas ?? 1) >= 2, 'the HPA keeps two pods')
  t.ok(hpa.spec!.metrics!.some((metric) => metric.type === 'Resource' && metric.resource?.name === 'cpu'), 'on CPU')
})

t.test('the migration Job runs the image\'s migration entry point', async (t) => {
  t.equal(migrator.image, api.image, 'the Job uses the Deployment\'s image')
  const argv = [...(migrator.command ?? []), ...(migrator.args ?? [])]
  t.ok(argv.length > 0, 'the Job overrides CMD (otherwise it would start the server)')
  if (argv[0] === 'node') {
    const script = argv[1] ?? ''
    t.match(script, /^dist\/.+\.js$/, 'a compiled file')
    t.ok(
      existsSync(join(ROOT, script.replace(/^dist\//, 'src/').replace(/\.js$/, '.ts'))),
      `${script} is compiled from a source file`
    )
  } else {
    t.same(argv.slice(0, 2), ['npm', 'run'], 'node <file> or npm run <script>')
    const scripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts
    // The runtime image has neither the sources nor dev dependencies, and a read-only root.
    t.notMatch(
      scripts[argv[2] ?? ''] ?? '',
      /\b(build|tsc|tsx)\b/,
      `npm run ${argv[2]} needs no build in the runtime image`
    )
  }
})

// ---- Environment ----------------------------------------------------------------------------------

function sourceValues (kind: 'ConfigMap' | 'Secret', name: string): Record<string, string> {
  const source = manifests.find(
    entry => entry.manifest.kind === kind && entry.manifest.metadata.name === name
  )?.manifest
  if (source === undefined) throw new Error(`${kind} ${name} is referenced but not in deploy/`)
  const decoded = Object.fromEntries(Object.entries(source.data ?? {}).map(([key, value]) =>
    [key, kind === 'Secret' ? Buffer.from(String(value), 'base64').toString() : value]))
  return { ...decoded, ...source.stringData } as Record<string, string>
}

/** CPU in cores from a Kubernetes quantity: "1", "1.5", "500m". */
const cores = (quantity: unknown): number => {
  const text = String(quantity)
  return text.endsWith('m') ? Number(text.slice(0, -1)) / 1000 : Number(text)
}

/** A resourceFieldRef as the kubelet resolves it: the container's CPU over the divisor, rounded up. */
function resourceValue (
  container: Container,
  ref: { containerName?: string, resource: string, divisor?: string }
): string {
  if (ref.containerName !== undefined && ref.containerName !== container.name) {
    throw new Error(`${container.name}: a resourceFieldRef names another container (${ref.containerName})`)
  }
  const [kind, name] = ref.resource.split('.')
  if (name !== 'cpu') throw new Error(`${container.name}: only CPU resource fields are read here (${ref.resource})`)
  const quantity = (kind === 'limits' ? container.resources?.limits : container.resources?.requests)?.cpu
  // Without a limit the kubelet gives the node's CPUs: a thread pool sized by the node, not the pod.
  if (quantity === undefined) throw new Error(`${container.name}: ${ref.resource} is not set`)
  return String(Math.ceil(cores(quantity) / cores(ref.divisor ?? '1')))
}

/** What the process sees, in Kubernetes' order: image ENV, then envFrom in order, then env. */
function environmentOf (container: Container): Record<string, string> {
  const env: Record<string, string> = { ...imageEnv }
  for (const from of container.envFrom ?? []) {
    const values =
      from.configMapRef !== undefined
        ? sourceValues('ConfigMap', from.configMapRef.name)
        : sourceValues('Secret', from.secretRef!.name)
    for (const [key, value] of Object.entries(values)) env[(from.prefix ?? '') + key] = value
  }
  for (const variable of container.env ?? []) {
    const resource = variable.valueFrom?.resourceFieldRef
    if (resource !== undefined) { env[variable.name] = resourceValue(container, resource); continue }
    const ref = variable.valueFrom?.secretKeyRef ?? variable.valueFrom?.configMapKeyRef
    const value = ref === undefined
      ? variable.value
      : sourceValues(variable.valueFrom?.secretKeyRef !== undefined ? 'Secret' : 'ConfigMap', ref.name)[ref.key]
    if (typeof value !== 'string') {
      throw new Error(`${container.name}: ${variable.name} has no string value (quote numbers)`)
    }
    env[variable.name] = value
  }
  return env
}

/** Set by the image for Node and libuv themselves (the thread pool's size), never by loadConfig. */
const READ_BY_NODE: ReadonlySet<string> = new Set(['UV_THREADPOOL_SIZE'])

/** The variables loadConfig refuses in `env`, in its order. */
function problemsOf (env: Record<string, string>): string[] {
  try {
    loadConfig(env)
  } catch (error) {
    return (error as ConfigError).problems.map(problem => problem.split(' ')[0]!)
  }
  return []
}

/** Every variable loadConfig asks for, recorded by an environment that watches its own reads. */
function namesRead (env: Record<string, string>): Set<string> {
  const names = new Set<string>()
  const watched = new Proxy(env, {
    get (target, key) { if (typeof key === 'string') names.add(key); return Reflect.get(target, key) },
    has (target, key) { if (typeof key === 'string') names.add(key); return Reflect.has(target, key) }
  })
  try { loadConfig(watched) } catch { /* the reads made before a failure still count */ }
  return names
}

t.test('every variable the kit sets is one the config module reads, and it accepts them', async (t) => {
  for (const [name, container] of [['Deployment', api]] as const) {
    const env = environmentOf(container)
    // Union over an empty and the real environment, so reads behind a setting are seen too.
    const known = new Set([...namesRead({}), ...namesRead({ NODE_ENV: 'production' }), ...namesRead(env)])
    for (const variable of Object.keys(env).sort()) {
      t.ok(known.has(variable) || READ_BY_NODE.has(variable), `${name}: ${variable} is read by loadConfig`)
    }
    t.throws(() => loadConfig(env), `${name}: production refuses the example Secret's placeholders as they are`)
    // Filled in as an operator would: the same shapes with real-looking values (random ones for
    // the keys, which production refuses when guessable), and the ConfigMap's example hosts replaced.
    const secretsFilled = Object.fromEntries(
      Object.entries(env).map(([key, value]) => [
        key,
        key in (secret.stringData ?? {})
          ? value
            .replaceAll('CHANGE-ME', () => randomBytes(24).toString('hex'))
            .replaceAll('example.invalid', 'prod.internal')
          : value
      ])
    )
    t.same(
      problemsOf(secretsFilled),
      ['MAIL_FROM', 'MEDIA_BASE_URL'].filter(key => key in env),
      `${name}: the ConfigMap's example hosts are refused as shipped`
    )
    const filled = Object.fromEntries(
      Object.entries(secretsFilled).map(([key, value]) => [key, value.replaceAll('example.com', 'mobile-auth.kr')])
    )
    const config = loadConfig(filled)
    t.equal(filled.NODE_ENV, 'production', `${name}: NODE_ENV=production`)
    if (container === api) {
      t.equal(config.port, containerPort, 'the service listens on the containerPort')
      t.equal(config.host, '0.0.0.0', 'on every interface')
    }
  }
  for (const value of Object.values(only('ConfigMap').data ?? {})) {
    t.type(value, 'string', 'ConfigMap values are strings')
  }
})

t.test('the migration Job is given the database URL alone, and migrate accepts it', async (t) => {
  t.notOk(migrator.envFrom, 'not the whole Secret and ConfigMap: only what migrate reads')
  const env = environmentOf(migrator)
  t.same(
    Object.keys(env).filter(name => !(name in imageEnv)).sort(),
    ['DATABASE_URL'],
    'DATABASE_URL, from the key the Secret has'
  )
  t.equal(env.NODE_ENV, 'production', 'NODE_ENV=production')
  const filled = { ...env, DATABASE_URL: env.DATABASE_URL!.replaceAll('CHANGE-ME', 'a-real-password') }
  const config = loadMigrateConfig(filled)
  t.equal(config.database.url, filled.DATABASE_URL, 'migrate reads the URL the Job gives it')
  t.throws(() => loadConfig(filled), 'the service itself would refuse this environment: migrate needs less')
})

t.test('metrics are scraped on a port of their own that no Service routes to', async (t) => {
  const metricsPort = Number(environmentOf(api).METRICS_PORT)
  t.ok(metricsPort > 0, 'METRICS_PORT is set')
  t.equal(resolvePort('metrics'), metricsPort, 'the container names that port `metrics`')
  const annotations = (podTemplate.metadata as { annotations?: Record<string, string> }).annotations ?? {}
  t.same(
    [annotations['prometheus.io/scrape'], annotations['prometheus.io/port'], annotations['prometheus.io/path']],
    ['true', String(metricsPort), '/metrics'],
    'scrape annotations name it'
  )
  for (const port of only('Service').spec!.ports!) {
    t.not(resolvePort(port.targetPort), metricsPort, 'no Service port reaches the metrics')
  }
})

t.test('the example Secret holds only obvious placeholders', async (t) => {
  t.notOk(secret.data, 'stringData, not base64 that hides what is inside')
  const values = Object.entries(secret.stringData ?? {})
  t.ok(values.length > 0, 'it lists the secret keys')
  for (const [key, value] of values) t.match(String(value), /CHANGE-ME/, `${key} is a placeholder`)
})

// ---- The image's version and thread pool -----------------------------------------------------------

t.test('the image carries its version, title and source as OCI labels', async (t) => {
  const labels: Record<string, string> = {}
  for (const { args } of finalAll('LABEL')) {
    for (const match of args.matchAll(/([\w.-]+)=("[^"]*"|\S+)/g)) labels[match[1]!] = match[2]!.replace(/^"|"$/g, '')
  }
  t.match(labels['org.opencontainers.image.version'], /^\$\{?VERSION\}?$/, 'the version label is the VERSION argument')
  t.ok(labels['org.opencontainers.image.title'], 'a title label')
  t.ok('org.opencontainers.image.source' in labels, 'a source label')
  const args = finalAll('ARG').map(i => i.args.split('=')[0])
  t.ok(args.includes('VERSION'), 'VERSION is an ARG of the final stage (an ARG before FROM is not seen there)')
  const version = (JSON.parse(read('package.json')) as { version: string }).version
  const guard = finalAll('RUN').find(i => /\$VERSION/.test(i.args) && /package\.json/.test(i.args))
  t.ok(guard, 'a RUN compares VERSION with package.json')
  // The guard as the build's shell runs it, in a directory holding this package.json (as /app does).
  const build = (value: string | undefined) => spawnSync('sh', ['-c', guard?.args ?? 'exit 9'], {
    cwd: ROOT,
    env: { PATH: `${dirname(process.execPath)}:/usr/bin:/bin`, ...(value === undefined ? {} : { VERSION: value }) },
    encoding: 'utf8'
  })
  t.equal(build(version).status, 0, `the build goes on with VERSION=${version}`)
  t.equal(build('9.9.9').status, 1, 'and stops with another version')
  const missing = build(undefined)
  t.equal(missing.status, 1, 'or with none')
  t.match(missing.stderr, /--build-arg VERSION=/, 'saying which argument to pass')
  for (const { file, manifest } of manifests) {
    for (const container of manifest.spec?.template?.spec.containers ?? []) {
      t.equal(container.image.split(':').at(-1), version, `${file}: the example tag is the release, ${version}`)
    }
  }
})

t.test('the libuv thread pool follows the container\'s CPU limit', async (t) => {
  const variable = api.env?.find(candidate => candidate.name === 'UV_THREADPOOL_SIZE')
  t.same(
    variable?.valueFrom?.resourceFieldRef,
    { containerName: api.name, resource: 'limits.cpu', divisor: '1' },
    'set from limits.cpu in whole CPUs'
  )
  t.equal(environmentOf(api).UV_THREADPOOL_SIZE, '1', 'one thread under the shipped 1-CPU limit')
  const limited = (cpu: string): string =>
    environmentOf({ ...api, resources: { ...api.resources, limits: { ...api.resources?.limits, cpu } } })
      .UV_THREADPOOL_SIZE!
  t.same([limited('1500m'), limited('250m'), limited('4')], ['2', '1', '4'], 'a fraction rounds up, as kubelets do')
  t.equal(imageEnv.UV_THREADPOOL_SIZE, environmentOf(api).UV_THREADPOOL_SIZE, 'the image default is what the pod gets')
})

// ---- Ingress, NetworkPolicy, the first-admin Job ---------------------------------------------------

interface IngressBackend { service: { name: string, port: { name?: string, number?: number } } }
interface IngressSpec {
  ingressClassName?: string
  tls?: Array<{ hosts: string[], secretName: string }>
  rules: Array<{ host: string, http: { paths: Array<{ path: string, pathType: string, backend: IngressBackend }> } }>
}
interface Selector {
  matchLabels?: Labels
  matchExpressions?: Array<{ key: string, operator: string, values: string[] }>
}
interface PolicyPort { protocol?: string, port: number }
interface PolicyPeer { namespaceSelector?: Selector, podSelector?: Selector, ipBlock?: { cidr: string } }
interface PolicySpec {
  podSelector: Selector
  policyTypes: string[]
  ingress?: Array<{ from?: PolicyPeer[], ports?: PolicyPort[] }>
  egress?: Array<{ to?: PolicyPeer[], ports?: PolicyPort[] }>
}
const specOf = <T>(manifest: Manifest): T => manifest.spec as unknown as T
const all = (kind: string): Manifest[] =>
  manifests.filter(entry => entry.manifest.kind === kind).map(entry => entry.manifest)

/** A label selector with matchLabels and the In operator, as the API server evaluates it. */
const matches = (selector: Selector, labels: Labels): boolean =>
  selects(selector.matchLabels ?? {}, labels) &&
  (selector.matchExpressions ?? []).every(expression =>
    expression.operator === 'In' && expression.values.includes(labels[expression.key] ?? ''))

const staffJob = only('Job', 'staff-admin-job.yaml')
const staffContainer = staffJob.spec!.template!.spec.containers[0]!

t.test('the Ingress serves the API and the console over TLS, to the Service', async (t) => {
  const ingresses = all('Ingress')
  t.ok(ingresses.length > 0, 'an Ingress')
  const service = only('Service')
  const paths: string[] = []
  for (const ingress of ingresses) {
    const spec = specOf<IngressSpec>(ingress)
    const name = ingress.metadata.name
    t.equal(ingress.apiVersion, 'networking.k8s.io/v1', `${name}: networking.k8s.io/v1`)
    t.ok(spec.ingressClassName, `${name}: names its ingress class`)
    const tlsHosts = new Set((spec.tls ?? []).flatMap(entry => entry.hosts))
    for (const rule of spec.rules) {
      t.ok(tlsHosts.has(rule.host), `${name}: ${rule.host} is served with TLS (the console's __Host- cookie needs it)`)
      for (const path of rule.http.paths) {
        paths.push(path.path)
        t.equal(path.backend.service.name, service.metadata.name, `${name} ${path.path}: the Service`)
        const port = path.backend.service.port
        t.ok(
          service.spec!.ports!.some(candidate =>
            (candidate as { name?: string }).name === port.name || candidate.port === port.number),
          `${name} ${path.path}: a port the Service has`
        )
      }
    }
    const annotations = (ingress.metadata as { annotations?: Record<string, string> }).annotations ?? {}
    t.equal(annotations['nginx.ingress.kubernetes.io/force-ssl-redirect'], 'true', `${name}: plain HTTP redirects`)
  }
  t.ok(paths.includes('/'), 'the API (both doors, /docs, the JWKS document)')
  t.ok(paths.includes('/console'), 'the staff console')
  // The app sees HTTPS only through the controller's X-Forwarded-Proto, which it believes only
  // from a trusted proxy: without that the console would never use the __Host- cookie.
  t.notOk(
    ['', 'false', '0'].includes(environmentOf(api).TRUST_PROXY ?? ''),
    'TRUST_PROXY trusts the ingress controller'
  )
})

t.test('the NetworkPolicy lets in only the ingress controller and Prometheus, out only what is needed', async (t) => {
  const policies = all('NetworkPolicy')
  const apiPolicies = policies.filter(policy =>
    matches(specOf<PolicySpec>(policy).podSelector, podTemplate.metadata.labels))
  t.equal(apiPolicies.length, 1, 'one policy selects the API pods')
  const spec = specOf<PolicySpec>(apiPolicies[0]!)
  t.same([...spec.policyTypes].sort(), ['Egress', 'Ingress'], 'both directions are restricted')

  const metricsPort = Number(environmentOf(api).METRICS_PORT)
  const namespaceOf = (peer: PolicyPeer): string | undefined =>
    peer.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name']
  const allowedIn = (spec.ingress ?? []).flatMap(rule => {
    t.ok(rule.from !== undefined && rule.from.length > 0, 'every ingress rule names who (none is open to all)')
    t.ok(rule.ports !== undefined && rule.ports.length > 0, 'every ingress rule names its ports')
    return (rule.from ?? []).flatMap(peer => (rule.ports ?? []).map(port => `${namespaceOf(peer)}:${port.port}`))
  })
  t.same(
    allowedIn.sort(),
    [`ingress-nginx:${containerPort}`, `monitoring:${metricsPort}`].sort(),
    'the ingress controller reaches the http port, Prometheus the metrics port, no one else anything'
  )

  const out = new Set((spec.egress ?? [])
    .flatMap(rule => (rule.ports ?? []).map(port => `${port.protocol}:${port.port}`)))
  const portOf = (url: string, fallback: number) => Number(new URL(url).port || fallback)
  const secrets = secret.stringData as Record<string, string>
  for (const [what, port] of [
    ['DNS', 'UDP:53'],
    ['DNS over TCP', 'TCP:53'],
    ['PostgreSQL (DATABASE_URL)', `TCP:${portOf(secrets.DATABASE_URL!, 5432)}`],
    ['Redis (REDIS_URL)', `TCP:${portOf(secrets.REDIS_URL!, 6379)}`],
    ['the providers over HTTPS', 'TCP:443'],
    ['the SMTP relay (SMTP_URL)', `TCP:${portOf(secrets.SMTP_URL!, 465)}`]
  ]) t.ok(out.has(port!), `egress to ${what}: ${port}`)

  const jobLabels = [job, staffJob].map(each => each.spec!.template!.metadata.labels)
  for (const labels of jobLabels) {
    const selecting = policies.filter(policy => matches(specOf<PolicySpec>(policy).podSelector, labels))
    t.equal(selecting.length, 1, `one policy selects the ${labels['app.kubernetes.io/component']} Job's pods`)
    const jobOut = new Set((specOf<PolicySpec>(selecting[0]!).egress ?? [])
      .flatMap(rule => (rule.ports ?? []).map(port => port.port)))
    t.ok(jobOut.has(5432) && jobOut.has(6379) && jobOut.has(53), 'it reaches DNS, PostgreSQL and Redis')
    t.same(specOf<PolicySpec>(selecting[0]!).ingress ?? [], [], 'and nothing reaches it')
  }
})

t.test('the first-admin Job runs the command-line tool with only the database and Redis', async (t) => {
  t.equal(staffContainer.image, api.image, 'the Deployment\'s image')
  const argv = [...(staffContainer.command ?? []), ...(staffContainer.args ?? [])]
  t.same(argv.slice(0, 4), ['node', 'dist/cli.js', 'staff', 'add'], 'node dist/cli.js staff add')
  t.ok(existsSync(join(ROOT, 'src/cli.ts')), 'dist/cli.js is compiled from src/cli.ts')
  const option = (name: string): string | undefined => argv[argv.indexOf(name) + 1]
  t.match(option('--email'), /^[^@\s]+@[^@\s]+$/, 'an email to fill in')
  t.equal(option('--role'), 'admin', 'the first staff member is an admin')
  t.notOk(staffContainer.envFrom, 'not the whole Secret and ConfigMap: only what the command reads')
  t.same(
    Object.keys(environmentOf(staffContainer)).filter(name => !(name in imageEnv)).sort(),
    ['DATABASE_URL', 'REDIS_KEY_PREFIX', 'REDIS_URL'],
    'the database, Redis (where console sessions are) and its prefix, from keys the Secret and ConfigMap have'
  )
  const pod = staffJob.spec!.template!.spec as PodTemplate['spec'] & { restartPolicy?: string }
  t.equal(pod.restartPolicy, 'Never', 'the pod is not restarted')
  t.equal((staffJob.spec as { backoffLimit?: number }).backoffLimit, 0, 'one run: one password to read')
  t.equal(staffContainer.securityContext?.readOnlyRootFilesystem, true, 'read-only root, like the service')
  t.ok(pod.securityContext?.runAsNonRoot === true, 'runAsNonRoot')
  const labels = staffJob.spec!.template!.metadata.labels
  t.notOk(selects(only('Service').spec!.selector!, labels), 'the Service does not send it traffic')
  t.notOk(selects(only('PodDisruptionBudget').spec!.selector!.matchLabels!, labels), 'the PDB does not count it')
})

t.test('deploy/README.md says what each file in deploy/ is', async (t) => {
  const readme = read('deploy/README.md')
  for (const file of readdirSync(DEPLOY).filter(name => name !== 'README.md')) {
    t.ok(readme.includes(`\`${file}\``), `${file} is in the README`)
  }
})
