/**
 * The clients (see domain/client-network.ts) a target has been proved from: the member who typed
 * the right password or code at that target, from that client, in the last `KNOWN_FOR_MS`. The
 * abuse limits give a known client a budget of its own, which strangers cannot spend.
 */
export interface KnownClients {
  /** Records a proof at the target from the client, now; keeps only the target's `keep` most recent clients. */
  remember (target: string, client: string, options: { forMs: number, keep: number }): Promise<void>
  /** Whether the client proved the target within `forMs` before now. */
  isKnown (target: string, client: string, options: { forMs: number }): Promise<boolean>
}
