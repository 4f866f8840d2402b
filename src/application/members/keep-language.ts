import type { Language } from '../../domain/language.js'
import type { User } from '../../domain/user.js'
import type { AccountRepository } from '../ports/records/account-repository.js'

/**
 * A sign-in records the language the member's app asks in, so the next SMS or push reads alike.
 * Null (the app named no language we write) keeps the one on file; an unchanged one costs no write.
 */
export async function keepLanguage (
  accounts: AccountRepository,
  user: Pick<User, 'id' | 'language'>,
  language: Language | null
): Promise<void> {
  if (language !== null && language !== user.language) await accounts.setLanguage(user.id, language)
}
