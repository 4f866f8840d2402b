/** The languages members get texts in; Korean is the apps' own and everyone's default. */
export const LANGUAGES = ['ko', 'en'] as const
export type Language = typeof LANGUAGES[number]
export const DEFAULT_LANGUAGE: Language = 'ko'
