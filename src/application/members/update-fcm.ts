import { DomainError, UpdateFailedError, ValidationError } from '../../domain/errors.js'
import { parsePushToken } from '../../domain/push-token.js'
import type { Principal } from '../sign-in/authenticate.js'
import type { PushTokenRepository } from '../ports/records/push-token-repository.js'

export interface UpdateFcmDeps { pushTokens: PushTokenRepository }

/** Adds this device's push token to the user (a user may have several devices). */
export const makeUpdateFcm = ({ pushTokens }: UpdateFcmDeps) =>
  async function updateFcm (principal: Principal, fcmToken: string): Promise<void> {
    const token = parsePushToken(fcmToken, 'fcm_token')
    if (token === null) throw ValidationError.of('fcm_token', 'blank')
    try {
      await pushTokens.add(principal.userId, token)
    } catch (error) {
      // The email app's API document lists UPDATE_FAILED for this route; an outage stays a 503.
      if (error instanceof DomainError) throw error
      throw new UpdateFailedError('push token not stored')
    }
  }
