import { randomBytes } from 'node:crypto'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { parseAllDocuments } from 'yaml'
import { type ConfigError, loadConfig } from '../../src/adapters/config/load-config.js'
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
  valueFrom?: { secretKeyRef?: { name: string, key: string }, configMapKeyRef?: { name: string, key: string } }
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

const files = readdirSync(DEPLOY).filter((file) => /\.ya?ml$/.test(file)).sort()
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
const job = only('Job')
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
  const graceMs = /delay:\s*([\d_]+)/.exec(read('src/main.ts'))?.[1]
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
  for (const [name, container] of [['Deployment', api], ['Job', migrator]] as const) {
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
