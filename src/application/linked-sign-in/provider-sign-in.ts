import {
  DuplicateValueError,
  IdentityEmailUnprovenError,
  IdentityLinkedElsewhereError,
  IdentityNotLinkedError,
  NotFoundError,
  ProviderUnavailableError
} from '../../domain/errors.js'
import type { LinkedIdentity, ProviderAssertion, SignInProvider } from '../../domain/sign-in-provider.js'
import type { AppleTokens } from '../ports/outbound/apple-tokens.js'
import type { IdTokenVerifier } from '../ports/outbound/id-token-verifier.js'
import type { LinkedIdentities } from '../ports/records/linked-identities.js'
import type { Principal } from '../sign-in/authenticate.js'
import type { DoorSession, SignInDeps, SignInRequest } from './door-session.js'

/** What an app sends after its provider SDK signed the person in. */
export interface ProviderToken {
  provider: SignInProvider
  idToken: string
  /** The raw nonce the app gave the SDK (Apple: the token carries its SHA-256). */
  nonce: string | null
  /** Apple's authorization code, exchanged for the refresh token that deletion revokes. */
  authorizationCode: string | null
  /** The name Apple gives the app at the first sign-in only. */
  name: string | null
}

export interface ProviderSignInDeps extends SignInDeps {
  idTokens: IdTokenVerifier
  identities: LinkedIdentities
  appleTokens: AppleTokens | null
}

/**
 * Signing in with Kakao, Apple or Google from the apps' native SDKs, and the member's own list of
 * those identities. The rules (docs/decisions.md, "Sign-in with providers"):
 * - a known identity signs its member in, under the door's approval rules;
 * - an unknown one is attached only to the account of an address both the provider verified and
 *   the account proved (whoever owns the address owns the account alone), or by a signed-in
 *   member, or at a door's own sign-up; else 404 `identity_not_linked`;
 * - removing the last way into an account is refused.
 */
export const makeProviderSignIn = (deps: ProviderSignInDeps) => {
  const { idTokens, identities, accounts, appleTokens, tokens, limits, clock, recordAudit } = deps

  /**
   * The token's assertion. An ID token cannot be guessed (it is signed), so a refused one spends no
   * member's guess budget: the route's per-address limit bounds the tries. The guard still sees the
   * sign-in, and the client becomes known for the identity.
   */
  const verify = async (token: ProviderToken, client: string): Promise<ProviderAssertion> => {
    const assertion = await idTokens.verify(token.provider, { idToken: token.idToken, nonce: token.nonce })
    await limits.guard(`idp:${token.provider}:${assertion.subject}`, client, async () => true, 'code')
    // Apple names the person only once, to the app: the app passes it on.
    return token.provider === 'apple' && assertion.name === null ? { ...assertion, name: token.name } : assertion
  }

  /** Keeps Apple's refresh token for the revocation a deletion owes; Apple being down does not stop the sign-in. */
  const keepAppleToken = async (token: ProviderToken, assertion: ProviderAssertion): Promise<void> => {
    if (token.provider !== 'apple' || token.authorizationCode === null || appleTokens === null) return
    try {
      const refresh = await appleTokens.exchange(token.authorizationCode, assertion.audience)
      if (refresh !== null) {
        await identities.keepRefreshToken('apple', assertion.subject, { token: refresh, clientId: assertion.audience })
      }
    } catch (error) {
      // The next sign-in with a code tries again; until then deletion has nothing to revoke.
      if (!(error instanceof ProviderUnavailableError)) throw error
    }
  }

  const linkTo = async (
    memberId: string,
    assertion: ProviderAssertion,
    token: ProviderToken,
    client: string,
    how: string
  ): Promise<void> => {
    const now = clock.now()
    const identity: LinkedIdentity = {
      memberId,
      provider: assertion.provider,
      subject: assertion.subject,
      email: assertion.email,
      emailVerified: assertion.emailVerified,
      name: assertion.name,
      linkedAt: now,
      lastUsedAt: now
    }
    // On the trail before the link: no way into an account appears unrecorded.
    await recordAudit({ kind: 'member', memberId }, 'member.identity_linked', {
      memberId,
      address: client,
      detail: { provider: assertion.provider, how }
    })
    try {
      if (!(await identities.link(identity))) throw new NotFoundError()
    } catch (error) {
      if (error instanceof DuplicateValueError) throw new IdentityLinkedElsewhereError()
      throw error
    }
    await keepAppleToken(token, assertion)
  }

  return {
    /** `POST /auth/identity/{provider}` and `POST /api/identity/{provider}/`. */
    async signIn (token: ProviderToken, request: Omit<SignInRequest, 'method'>): Promise<DoorSession> {
      const assertion = await verify(token, request.client)
      const issuer = tokens.issuer()
      const linked = await identities.find(assertion.provider, assertion.subject)
      let memberId: string
      if (linked === null) {
        // Never by a matching address alone: the provider must have verified it, and the account proved it.
        const holder = assertion.email === null ? null : await accounts.findByEmail(assertion.email)
        if (holder === null || !assertion.emailVerified) throw new IdentityNotLinkedError()
        if (holder.emailVerifiedAt === null) throw new IdentityEmailUnprovenError()
        await linkTo(holder.id, assertion, token, request.client, 'proven_email')
        memberId = holder.id
      } else {
        memberId = linked.memberId
        await identities.touch(assertion.provider, assertion.subject, clock.now(), {
          email: assertion.email,
          verified: assertion.emailVerified
        })
        await keepAppleToken(token, assertion)
      }
      const user = await issuer.read(() => accounts.findProfileById(memberId))
      if (user === null) throw new IdentityNotLinkedError()
      return await deps.beginDoorSession(issuer, user, { ...request, method: assertion.provider })
    },

    /**
     * A door's sign-up with a provider: the token is checked before the account is made, and
     * the identity attached once it exists (`attachAtSignUp`). An identity some member holds is
     * refused: that person signs in instead.
     */
    async checkForSignUp (token: ProviderToken, client: string): Promise<ProviderAssertion> {
      const assertion = await verify(token, client)
      if (await identities.find(assertion.provider, assertion.subject) !== null) {
        throw new IdentityLinkedElsewhereError()
      }
      return assertion
    },

    async attachAtSignUp (memberId: string, assertion: ProviderAssertion, token: ProviderToken, client: string) {
      await linkTo(memberId, assertion, token, client, 'sign_up')
    },

    /** A signed-in member adds an identity (within 10 minutes of signing in). */
    async link (principal: Principal, token: ProviderToken, client: string): Promise<LinkedIdentity[]> {
      const user = await deps.signInMethods.mayAdd(principal)
      const assertion = await verify(token, client)
      const held = await identities.find(assertion.provider, assertion.subject)
      if (held !== null && held.memberId !== user.id) throw new IdentityLinkedElsewhereError()
      if (held === null) await linkTo(user.id, assertion, token, client, 'signed_in')
      return await identities.listByMember(user.id)
    },

    async list (principal: Principal): Promise<LinkedIdentity[]> {
      return await identities.listByMember(principal.userId)
    },

    /** Removes one of the member's identities (Apple's token is queued for revocation with it). */
    async unlink (principal: Principal, provider: SignInProvider, subject: string, client: string): Promise<void> {
      const user = await accounts.findById(principal.userId)
      if (user === null) throw new NotFoundError()
      const held = await identities.listByMember(user.id)
      const mine = held.some(it => it.provider === provider && it.subject === subject)
      if (!mine) throw new NotFoundError()
      await deps.signInMethods.mayRemoveOne(user)
      await recordAudit({ kind: 'member', memberId: user.id }, 'member.identity_unlinked', {
        memberId: user.id,
        address: client,
        detail: { provider }
      })
      if (!(await identities.unlink(user.id, provider, subject))) throw new NotFoundError()
    }
  }
}

export type ProviderSignIn = ReturnType<typeof makeProviderSignIn>
