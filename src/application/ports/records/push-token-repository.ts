/** The device tokens pushes go to, each held by one member. */
export interface PushTokenRepository {
  /** Adds a device token; a token already held by another user moves to this one. */
  add(userId: string, token: string): Promise<void>
  /** The member's tokens, in token order. */
  list(userId: string): Promise<string[]>
  remove(token: string): Promise<void>
}
