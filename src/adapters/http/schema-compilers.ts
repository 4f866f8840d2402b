import { AjvCompiler } from '@fastify/ajv-compiler'
import { SerializerSelector } from '@fastify/fast-json-stringify-compiler'
import type { FastifyServerOptions } from 'fastify'

// Fastify compiles every route's schemas (Ajv validators, fast-json-stringify serializers) each
// time an app is built, and the routes build fresh schema objects each time. The compiled code
// depends only on the schema, the shared schemas and the compiler options, so one process keeps
// it, keyed by their JSON: an app built a second time (the tests build hundreds per process)
// compiles nothing. A production process builds one app and sees no difference.
type Compilers = NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>
type BuildValidator = NonNullable<Compilers['buildValidator']>
type BuildSerializer = NonNullable<Compilers['buildSerializer']>

const ajvPool = AjvCompiler()
const serializerFactory = SerializerSelector()
const validators = new Map<string, unknown>()
const serializers = new Map<string, unknown>()

function kept<T> (cache: Map<string, unknown>, key: string, compile: () => T): T {
  if (!cache.has(key)) cache.set(key, compile())
  return cache.get(key) as T
}

const buildValidator: BuildValidator = (externalSchemas, options) => {
  const compile = ajvPool(externalSchemas, options)
  const scope = JSON.stringify([externalSchemas, options?.customOptions])
  return route => kept(validators, scope + JSON.stringify(route.schema), () => compile(route))
}

const buildSerializer: BuildSerializer = (externalSchemas, options) => {
  const compile = serializerFactory(externalSchemas, options)
  const scope = JSON.stringify([externalSchemas, options])
  return route => kept(serializers, scope + JSON.stringify(route.schema), () => compile(route))
}

/** Fastify's own compilers, each compiled schema kept for every app this process builds. */
export const SHARED_COMPILERS = { buildValidator, buildSerializer } satisfies Compilers
