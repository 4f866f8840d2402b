import { createHmac, randomBytes } from 'node:crypto'
import type { SmsSender } from '../../application/ports/outbound/sms-sender.js'
import { SmsUnavailableError } from '../../domain/errors.js'
import type { PhoneNumber } from '../../domain/user.js'
import { DeadlineExceeded, withDeadline } from '../system/with-deadline.js'

export interface SolapiSmsOptions {
  apiKey: string
  apiSecret: string
  /** A sender number registered with Solapi, national digits (0212345678, 01012345678). */
  sender: string
  /** https://api.solapi.com, or a stand-in. */
  baseUrl: string
  timeoutMs: number
}

/**
 * Sends through Solapi's REST API (POST /messages/v4/send), with Node's fetch rather than the
 * `solapi` SDK: the SDK's base URL is fixed to api.solapi.com, so it cannot be pointed at a
 * stand-in or a regional endpoint. Every failure becomes SmsUnavailableError naming only the
 * HTTP status, Solapi's error code or the network error code, never the text (a one-time code).
 */
export function createSolapiSmsSender (options: SolapiSmsOptions): SmsSender {
  const { apiKey, apiSecret, sender, baseUrl, timeoutMs } = options
  const url = `${baseUrl.replace(/\/+$/, '')}/messages/v4/send`

  return {
    async send (to, body) {
      const national = koreanNationalNumber(to)
      // The use-case only texts SMS_ALLOWED_COUNTRIES, which loadConfig holds to KR for Solapi.
      if (national === null) throw new SmsUnavailableError('solapi texts Korean numbers (+82) only')
      const abort = new AbortController()
      try {
        const response = await withDeadline(fetch(url, {
          method: 'POST',
          headers: { authorization: authorization(apiKey, apiSecret), 'content-type': 'application/json' },
          body: JSON.stringify({ message: { to: national, from: sender, text: body } }),
          signal: abort.signal
        }), timeoutMs)
        if (!response.ok) throw new SmsUnavailableError(await refusal(response, timeoutMs))
        await response.body?.cancel() // accepted: the message id is not needed
      } catch (error) {
        abort.abort()
        if (error instanceof SmsUnavailableError) throw error
        throw new SmsUnavailableError(describe(error, timeoutMs))
      }
    }
  }
}

/**
 * Solapi's HMAC scheme: the secret signs the request date and a fresh salt, so a captured header
 * is good for one request within Solapi's clock window and the secret never travels.
 */
export function authorization (
  apiKey: string,
  apiSecret: string,
  date = new Date().toISOString(),
  salt = randomBytes(16).toString('hex')
): string {
  const signature = createHmac('sha256', apiSecret)
    .update(date + salt)
    .digest('hex')
  return `HMAC-SHA256 apiKey=${apiKey}, date=${date}, salt=${salt}, signature=${signature}`
}

/** +821012345678 -> 01012345678; null for a number of another country. */
export function koreanNationalNumber (phone: PhoneNumber): string | null {
  const match = /^\+82(\d{7,11})$/.exec(phone)
  return match === null ? null : `0${match[1]!.replace(/^0/, '')}`
}

/**
 * Solapi answers a refusal with {"errorCode": "...", "errorMessage": "..."}: the code only, its message may echo input.
 */
async function refusal (response: Response, timeoutMs: number): Promise<string> {
  const payload: unknown = await withDeadline(response.json(), timeoutMs).catch(() => null)
  const code = (payload ?? {}) as { errorCode?: unknown }
  const named =
    typeof code.errorCode === 'string' && /^[A-Za-z0-9_.]{1,64}$/.test(code.errorCode) ? `, ${code.errorCode}` : ''
  return `solapi refused the message (HTTP ${response.status}${named})`
}

function describe (error: unknown, timeoutMs: number): string {
  if (error instanceof DeadlineExceeded) return `solapi did not answer within ${timeoutMs} ms`
  // fetch wraps network failures in a TypeError whose cause carries the system error code.
  const { code } = ((error as { cause?: unknown } | null)?.cause ?? {}) as { code?: unknown }
  const reason =
    typeof code === 'string' && /^[A-Z0-9_]+$/.test(code) ? code : error instanceof Error ? error.name : 'unknown'
  return `solapi unreachable (${reason})`
}
