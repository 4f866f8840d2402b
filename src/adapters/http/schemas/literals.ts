import { Type, type TLiteral } from '@fastify/type-provider-typebox'

/**
 * One literal schema per value, typed as the tuple it is: `values.map(Type.Literal)` alone types as
 * an array, whose union TypeBox types as `never`, so neither a handler nor an example could use it.
 */
export const literals = <const T extends readonly string[]>(values: T) =>
  values.map((value) => Type.Literal(value)) as { -readonly [K in keyof T]: TLiteral<T[K]> }
