export type Language = 'ko' | 'en'

/**
 * Korean unless the client prefers English: the highest-weighted of `ko` and `en` in
 * Accept-Language wins; ties and unknown tags keep Korean, the apps' language.
 */
export function pickLanguage (header: string | undefined): Language {
  if (header === undefined) return 'ko'
  let best: { language: Language, weight: number } = { language: 'ko', weight: -1 }
  for (const part of header.split(',', 20)) {
    const [tag = '', ...params] = part.trim().toLowerCase().split(';')
    const language = tag === 'en' || tag.startsWith('en-') ? 'en' : tag === 'ko' || tag.startsWith('ko-') ? 'ko' : null
    if (language === null) continue
    const q = params.map((param) => /^\s*q=([01](?:\.\d{1,3})?)\s*$/.exec(param)?.[1]).find((value) => value !== undefined)
    const weight = q === undefined ? 1 : Number(q)
    if (weight > best.weight) best = { language, weight }
  }
  return best.weight > 0 ? best.language : 'ko'
}
