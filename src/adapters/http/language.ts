import { DEFAULT_LANGUAGE, type Language } from '../../domain/language.js'

export type { Language }

/**
 * The language the client asks for, or null when Accept-Language names neither Korean nor
 * English: the highest-weighted of `ko` and `en` wins, a tie keeps the first.
 */
export function preferredLanguage (header: string | undefined): Language | null {
  if (header === undefined) return null
  let best: { language: Language, weight: number } | null = null
  for (const part of header.split(',', 20)) {
    const [tag = '', ...params] = part.trim().toLowerCase().split(';')
    const language = tag === 'en' || tag.startsWith('en-') ? 'en' : tag === 'ko' || tag.startsWith('ko-') ? 'ko' : null
    if (language === null) continue
    const q = params.map(param => /^\s*q=([01](?:\.\d{1,3})?)\s*$/.exec(param)?.[1]).find(value => value !== undefined)
    const weight = q === undefined ? 1 : Number(q)
    if (weight > 0 && weight > (best?.weight ?? 0)) best = { language, weight }
  }
  return best?.language ?? null
}

/** Korean unless the client prefers English; unknown tags keep Korean, the apps' language. */
export function pickLanguage (header: string | undefined): Language {
  return preferredLanguage(header) ?? DEFAULT_LANGUAGE
}
