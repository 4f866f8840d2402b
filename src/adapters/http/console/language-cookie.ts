import type { FastifyReply, FastifyRequest } from 'fastify'
import { LANGUAGES, type Language } from '../../../domain/language.js'
import { pickLanguage } from '../language.js'

// The console reader's chosen language. Not a secret and not a session: a preference kept a year,
// sent only to the console's paths. The apps' routes never read it (their language stays
// Accept-Language and the member's stored choice).
const NAME = 'console-lang'
const YEAR_SECONDS = 365 * 86400

/** The cookie's language when it names one, else Accept-Language's, else Korean. */
export function consoleLanguage (request: FastifyRequest): Language {
  for (const pair of (request.headers.cookie ?? '').split(';')) {
    const equals = pair.indexOf('=')
    if (equals === -1 || pair.slice(0, equals).trim() !== NAME) continue
    const value = pair.slice(equals + 1).trim()
    if ((LANGUAGES as readonly string[]).includes(value)) return value as Language
  }
  return pickLanguage(request.headers['accept-language'])
}

export function setConsoleLanguage (request: FastifyRequest, reply: FastifyReply, language: Language): void {
  const secure = request.protocol === 'https' ? '; Secure' : ''
  const attributes = `Path=/console; Max-Age=${YEAR_SECONDS}; HttpOnly; SameSite=Lax${secure}`
  reply.header('set-cookie', `${NAME}=${language}; ${attributes}`)
}
