import type { EnvReader } from './env-reader.js'

export const SMS_PROVIDERS = ['twilio', 'solapi', 'log'] as const
export type SmsProvider = typeof SMS_PROVIDERS[number]

export const SOLAPI_DEFAULT_BASE_URL = 'https://api.solapi.com'

/**
 * A Korean number as Solapi registers senders: a landline or mobile number with its leading 0
 * (02-123-4567, 010-1234-5678) or a 15xx/16xx/18xx representative number. Hyphens are dropped.
 */
const KOREAN_SENDER = /^(0\d{8,10}|1[5-9]\d{6})$/

/**
 * SMS_PROVIDER and the chosen provider's settings. Unset, it means Twilio when Twilio is
 * configured and always in production (what earlier versions did, so a deployment that only sets
 * TWILIO_* keeps working and an unset setting never falls to the log sender); else `log`.
 */
export function readSmsConfig (read: EnvReader, production: boolean) {
  const twilio = {
    accountSid: read.optional('TWILIO_ACCOUNT_SID'),
    authToken: read.optional('TWILIO_AUTH_TOKEN'),
    from: read.optional('TWILIO_FROM'),
    messagingServiceSid: read.optional('TWILIO_MESSAGING_SERVICE_SID'),
    timeoutMs: read.integer('TWILIO_TIMEOUT_MS', 5000, { min: 100, max: 60000 })
  }
  const sender = read.optional('SOLAPI_SENDER')?.replaceAll('-', '') ?? null
  const solapi = {
    apiKey: read.optional('SOLAPI_API_KEY'),
    apiSecret: read.optional('SOLAPI_API_SECRET'),
    sender: sender !== null && !KOREAN_SENDER.test(sender)
      ? read.fail('SOLAPI_SENDER', 'must be a registered Korean sender number, such as 0212345678 or 01012345678', null)
      : sender,
    baseUrl: (read.url('SOLAPI_BASE_URL', ['https:', 'http:']) ?? SOLAPI_DEFAULT_BASE_URL).replace(/\/+$/, ''),
    timeoutMs: read.integer('SOLAPI_TIMEOUT_MS', 5000, { min: 100, max: 60000 })
  }
  const legacyTwilio = production || twilio.accountSid !== null || twilio.authToken !== null
  const provider: SmsProvider = read.raw('SMS_PROVIDER') === undefined
    ? (legacyTwilio ? 'twilio' : 'log')
    : read.oneOf('SMS_PROVIDER', SMS_PROVIDERS, 'log')
  return { provider, twilio, solapi }
}

export type SmsConfig = ReturnType<typeof readSmsConfig>

/** The chosen provider's settings are required; the others' are ignored. Every gap is named in one round. */
export function checkSmsConfig (
  read: EnvReader,
  sms: SmsConfig,
  production: boolean,
  allowedCountries: string[]
): void {
  const unset = read.raw('SMS_PROVIDER') === undefined
  const why = !unset
    ? `with SMS_PROVIDER=${sms.provider}`
    : production
      ? 'when NODE_ENV=production (Twilio, unless SMS_PROVIDER names another provider)'
      : 'when Twilio is configured'
  if (sms.provider === 'log' && production) {
    read.fail(
      'SMS_PROVIDER',
      'must be twilio or solapi when NODE_ENV=production (the log sender writes codes to the log)',
      null
    )
  }
  if (sms.provider === 'twilio') {
    const { twilio } = sms
    if (twilio.accountSid === null) read.fail('TWILIO_ACCOUNT_SID', `is required ${why}`, null)
    if (twilio.authToken === null) read.fail('TWILIO_AUTH_TOKEN', `is required ${why}`, null)
    if (twilio.from === null && twilio.messagingServiceSid === null) {
      read.fail('TWILIO_FROM', `or TWILIO_MESSAGING_SERVICE_SID is required ${why}`, null)
    }
  }
  if (sms.provider === 'solapi') {
    const { solapi } = sms
    if (solapi.apiKey === null) read.fail('SOLAPI_API_KEY', `is required ${why}`, null)
    if (solapi.apiSecret === null) read.fail('SOLAPI_API_SECRET', `is required ${why}`, null)
    // raw: a malformed sender is already reported, once.
    if (read.raw('SOLAPI_SENDER') === undefined) {
      read.fail('SOLAPI_SENDER', `is required ${why} (a sender number registered with Solapi)`, null)
    }
    if (allowedCountries.some(code => code !== 'KR')) {
      read.fail('SMS_ALLOWED_COUNTRIES', 'must be KR with SMS_PROVIDER=solapi (it texts Korean numbers only)', null)
    }
  }
}
