import { makeAuthenticate } from './authenticate.js'
import { makeDeleteAccount } from './delete-account.js'
import { makeGetMe } from './get-me.js'
import { makeLoginWithPassword } from './login-with-password.js'
import { makeLogout } from './logout.js'
import type { Clock } from './ports/clock.js'
import type { IdGenerator } from './ports/id-generator.js'
import type { PasswordHasher } from './ports/password-hasher.js'
import type { RevocationStore } from './ports/revocation-store.js'
import type { TokenCodec } from './ports/token-codec.js'
import type { UserRepository } from './ports/user-repository.js'
import { makeRegisterWithEmail } from './register-with-email.js'
import { makeTokenService, type TokenSettings } from './token-service.js'
import { makeUpdateFcm } from './update-fcm.js'

/** Every port the core needs; the composition root fills it with real or in-memory adapters. */
export interface Ports {
  users: UserRepository
  hasher: PasswordHasher
  codec: TokenCodec
  revocations: RevocationStore
  clock: Clock
  ids: IdGenerator
}

export interface CoreSettings { tokens: TokenSettings }

export function makeUseCases (ports: Ports, settings: CoreSettings) {
  const { users, hasher, revocations, clock, ids } = ports
  const tokens = makeTokenService({ codec: ports.codec, clock, ids, settings: settings.tokens })
  return {
    authenticate: makeAuthenticate({ tokens, revocations, users }),
    registerWithEmail: makeRegisterWithEmail({ users, hasher, ids }),
    loginWithPassword: makeLoginWithPassword({ users, hasher, tokens }),
    logout: makeLogout({ revocations, users, tokens, clock }),
    deleteAccount: makeDeleteAccount({ users }),
    updateFcm: makeUpdateFcm({ users }),
    getMe: makeGetMe({ users })
  }
}

export type UseCases = ReturnType<typeof makeUseCases>
