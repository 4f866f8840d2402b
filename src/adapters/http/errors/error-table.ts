import type { DomainErrorCode, FieldIssue } from '../../../domain/errors.js'

/** Failures that only exist at the HTTP boundary. */
export type HttpOnlyErrorCode =
  | 'parse_error'
  | 'unsupported_media_type'
  | 'payload_too_large'
  | 'headers_too_large'
  | 'request_timeout'
  | 'route_not_found'
  | 'forbidden'
  | 'internal'
export type ErrorCode = DomainErrorCode | HttpOnlyErrorCode

export interface ErrorRow {
  status: number
  /** `code` on the phone door (`/api/*`, DRF style). */
  api: string
  /** `code` on the email door (`/auth/*`, the email app's style). */
  auth: string
  ko: string
  en: string
  /** A fixed `detail` the email door's app expects verbatim (its API document); else detail = message. */
  authDetail?: string
  /** `dependency`: a store or provider failed, worth a warning line (the client's mistakes are not). */
  logAs?: 'dependency'
}

const COULD_NOT_VALIDATE = 'Could not validate credentials'

/** One row per code: the only place a status or a text is chosen. Exhaustive by type. */
export const ERRORS: Record<ErrorCode, ErrorRow> = {
  invalid_input: { status: 400, api: 'invalid', auth: 'INVALID_INPUT', ko: '잘못된 입력입니다', en: 'Invalid input' },
  parse_error: { status: 400, api: 'parse_error', auth: 'INVALID_INPUT', ko: '잘못된 입력입니다', en: 'Invalid input' },
  email_taken: {
    status: 400,
    api: 'email_taken',
    auth: 'EMAIL_EXISTS',
    ko: '이미 등록된 이메일입니다',
    en: 'This email is already registered'
  },
  invalid_credentials: {
    status: 401,
    api: 'invalid_credentials',
    auth: 'INVALID_CREDENTIALS',
    ko: '이메일 또는 비밀번호가 올바르지 않습니다',
    en: 'Incorrect email or password',
    authDetail: 'Incorrect email or password'
  },
  token_expired: {
    status: 401,
    api: 'token_not_valid',
    auth: 'TOKEN_EXPIRED',
    ko: '토큰이 만료되었습니다. 다시 로그인해주세요',
    en: 'The token has expired. Please log in again',
    authDetail: COULD_NOT_VALIDATE
  },
  invalid_token: {
    status: 401,
    api: 'token_not_valid',
    auth: 'INVALID_TOKEN',
    ko: '유효하지 않은 토큰입니다',
    en: 'The token is not valid',
    authDetail: COULD_NOT_VALIDATE
  },
  user_not_found: {
    status: 401,
    api: 'user_not_found',
    auth: 'USER_NOT_FOUND',
    ko: '사용자를 찾을 수 없습니다',
    en: 'User not found',
    authDetail: COULD_NOT_VALIDATE
  },
  member_not_found: {
    status: 404,
    api: 'not_found',
    auth: 'MEMBER_NOT_FOUND',
    ko: '가입하지 않은 회원입니다',
    en: 'No member has this mobile number'
  },
  member_pending: {
    status: 406,
    api: '1006',
    auth: 'MEMBER_PENDING',
    ko: '승인 대기중인 회원입니다.',
    en: 'Your membership is awaiting approval.'
  },
  member_rejected: {
    status: 403,
    api: '1005',
    auth: 'MEMBER_REJECTED',
    ko: '승인 거절된 회원입니다.',
    en: 'Your membership was rejected.'
  },
  invalid_otp: {
    status: 401,
    api: 'invalid_otp',
    auth: 'INVALID_OTP',
    ko: '인증번호가 올바르지 않습니다.',
    en: 'The code is not correct.'
  },
  otp_expired: {
    status: 401,
    api: 'otp_expired',
    auth: 'OTP_EXPIRED',
    ko: '인증번호가 만료되었습니다. 다시 요청해주세요.',
    en: 'The code has expired. Please request a new one.'
  },
  otp_attempts_exceeded: {
    status: 429,
    api: 'otp_attempts_exceeded',
    auth: 'OTP_ATTEMPTS_EXCEEDED',
    ko: '인증 시도 횟수를 초과했습니다. 새 인증번호를 요청해주세요.',
    en: 'Too many wrong codes. Please request a new code.'
  },
  otp_resend_too_soon: {
    status: 429,
    api: 'throttled',
    auth: 'TOO_MANY_REQUESTS',
    ko: '잠시 후 다시 요청해주세요.',
    en: 'Please wait before requesting another code.'
  },
  throttled: {
    status: 429,
    api: 'throttled',
    auth: 'TOO_MANY_REQUESTS',
    ko: '요청이 너무 많습니다. 잠시 후 다시 시도해주세요.',
    en: 'Too many requests. Please try again later.'
  },
  sms_unavailable: {
    status: 503,
    api: 'sms_unavailable',
    auth: 'SMS_UNAVAILABLE',
    ko: '문자 발송에 실패했습니다. 잠시 후 다시 시도해주세요.',
    en: 'The text message could not be sent. Please try again later.',
    logAs: 'dependency'
  },
  mail_unavailable: {
    status: 503,
    api: 'mail_unavailable',
    auth: 'MAIL_UNAVAILABLE',
    ko: '메일 발송에 실패했습니다. 잠시 후 다시 시도해주세요.',
    en: 'The email could not be sent. Please try again later.',
    logAs: 'dependency'
  },
  update_failed: {
    status: 500,
    api: 'update_failed',
    auth: 'UPDATE_FAILED',
    ko: 'FCM 토큰 업데이트에 실패했습니다',
    en: 'Failed to update the FCM token',
    logAs: 'dependency'
  },
  not_found: { status: 404, api: 'not_found', auth: 'NOT_FOUND', ko: '찾을 수 없습니다.', en: 'Not found.' },
  route_not_found: { status: 404, api: 'not_found', auth: 'NOT_FOUND', ko: '찾을 수 없습니다.', en: 'Not found.' },
  forbidden: {
    status: 403,
    api: 'permission_denied',
    auth: 'FORBIDDEN',
    ko: '권한이 없습니다.',
    en: 'You do not have permission to perform this action.'
  },
  unsupported_media_type: {
    status: 415,
    api: 'unsupported_media_type',
    auth: 'UNSUPPORTED_MEDIA_TYPE',
    ko: '지원하지 않는 미디어 형식입니다.',
    en: 'Unsupported media type.'
  },
  payload_too_large: {
    status: 413,
    api: 'payload_too_large',
    auth: 'PAYLOAD_TOO_LARGE',
    ko: '요청 본문이 너무 큽니다.',
    en: 'The request body is too large.'
  },
  // Answered at the socket (client-errors.ts), before Fastify sees a request.
  headers_too_large: {
    status: 431,
    api: 'headers_too_large',
    auth: 'HEADERS_TOO_LARGE',
    ko: '요청 헤더가 너무 큽니다.',
    en: 'The request headers are too large.'
  },
  request_timeout: {
    status: 408,
    api: 'request_timeout',
    auth: 'REQUEST_TIMEOUT',
    ko: '요청 시간이 초과되었습니다.',
    en: 'The request took too long to arrive.'
  },
  service_unavailable: {
    status: 503,
    api: 'service_unavailable',
    auth: 'SERVICE_UNAVAILABLE',
    ko: '일시적으로 서비스를 이용할 수 없습니다. 잠시 후 다시 시도해주세요.',
    en: 'The service is temporarily unavailable. Please try again later.',
    logAs: 'dependency'
  },
  invalid_code: {
    status: 400,
    api: 'invalid_code',
    auth: 'INVALID_CODE',
    ko: '인증 코드가 올바르지 않습니다.',
    en: 'The code is not correct.'
  },
  code_expired: {
    status: 400,
    api: 'code_expired',
    auth: 'CODE_EXPIRED',
    ko: '유효한 인증 코드가 없습니다. 새 코드를 요청해주세요.',
    en: 'There is no valid code. Please request a new one.'
  },
  email_not_verified: {
    status: 403,
    api: 'email_not_verified',
    auth: 'EMAIL_NOT_VERIFIED',
    ko: '이메일 인증이 필요합니다. 메일로 보낸 코드를 확인해주세요.',
    en: 'Please verify your email: we mailed you a code.'
  },
  reauthentication_required: {
    status: 403,
    api: 'reauthentication_required',
    auth: 'REAUTHENTICATION_REQUIRED',
    ko: '보안을 위해 다시 로그인해주세요. 로그인 후 10분 안에 변경할 수 있습니다.',
    en: 'For your security, please sign in again: you can make this change within 10 minutes of signing in.'
  },
  sign_in_method_taken: {
    status: 409,
    api: 'sign_in_method_taken',
    auth: 'SIGN_IN_METHOD_TAKEN',
    ko: '이전 이메일 또는 휴대폰 번호가 다른 계정에 등록되어 있어 되돌릴 수 없습니다. 고객센터에 문의해주세요.',
    en: 'The previous email or number now belongs to another account, so the change cannot be undone. ' +
      'Please contact support.'
  },
  decision_stale: {
    status: 409,
    api: 'decision_stale',
    auth: 'DECISION_STALE',
    ko: '다른 직원이 먼저 이 회원을 처리했습니다. 회원 정보를 다시 확인하세요.',
    en: 'Another staff member decided on this member first. Check the member again.'
  },
  identity_unavailable: {
    status: 503,
    api: 'identity_unavailable',
    auth: 'IDENTITY_UNAVAILABLE',
    ko: '본인인증 내역을 확인할 수 없습니다. 잠시 후 다시 시도해주세요.',
    en: 'The identity verification could not be checked. Please try again later.',
    logAs: 'dependency'
  },
  invalid_id_token: {
    status: 401,
    api: 'invalid_id_token',
    auth: 'INVALID_ID_TOKEN',
    ko: '소셜 로그인 정보를 확인할 수 없습니다. 다시 로그인해주세요.',
    en: 'The sign-in with the provider could not be verified. Please sign in again.'
  },
  provider_unavailable: {
    status: 503,
    api: 'provider_unavailable',
    auth: 'PROVIDER_UNAVAILABLE',
    ko: '로그인 제공자에 연결할 수 없습니다. 잠시 후 다시 시도해주세요.',
    en: 'The sign-in provider could not be reached. Please try again later.',
    logAs: 'dependency'
  },
  identity_not_linked: {
    status: 404,
    api: 'identity_not_linked',
    auth: 'IDENTITY_NOT_LINKED',
    ko: '연결된 계정이 없습니다. 먼저 가입하거나 로그인 후 연결해주세요.',
    en: 'No account uses this sign-in yet. Sign up first, or sign in and link it.'
  },
  identity_linked_elsewhere: {
    status: 409,
    api: 'identity_linked_elsewhere',
    auth: 'IDENTITY_LINKED_ELSEWHERE',
    ko: '이미 다른 계정에 연결된 로그인입니다.',
    en: 'This sign-in is already linked to another account.'
  },
  identity_email_unproven: {
    status: 409,
    api: 'identity_email_unproven',
    auth: 'IDENTITY_EMAIL_UNPROVEN',
    ko: '이 이메일을 쓰는 계정이 있습니다. 그 계정으로 로그인한 뒤 연결해주세요.',
    en: 'An account uses this email. Sign in to it first, then link this sign-in.'
  },
  last_sign_in_method: {
    status: 409,
    api: 'last_sign_in_method',
    auth: 'LAST_SIGN_IN_METHOD',
    ko: '마지막 로그인 수단은 삭제할 수 없습니다.',
    en: 'The last way to sign in cannot be removed.'
  },
  passkey_refused: {
    status: 401,
    api: 'passkey_refused',
    auth: 'PASSKEY_REFUSED',
    ko: '패스키를 확인할 수 없습니다.',
    en: 'The passkey could not be verified.'
  },
  internal: {
    status: 500,
    api: 'server_error',
    auth: 'SERVER_ERROR',
    ko: '서버 오류가 발생했습니다',
    en: 'A server error occurred'
  }
}

/** Field issues that only the HTTP boundary can see (the body is not a JSON object at all). */
export type HttpFieldIssue = FieldIssue | 'invalid_body'

/** Per-field texts, DRF's Korean catalogue where DRF has one. */
export const FIELD_ISSUES: Record<HttpFieldIssue, { ko: string, en: string }> = {
  required: { ko: '이 필드는 필수 항목입니다.', en: 'This field is required.' },
  invalid: { ko: '올바른 값을 입력하세요.', en: 'Enter a valid value.' },
  invalid_type: { ko: '올바른 형식이 아닙니다.', en: 'Not a valid type.' },
  blank: { ko: '이 필드는 blank일 수 없습니다.', en: 'This field may not be blank.' },
  too_long: { ko: '이 필드의 값이 너무 깁니다.', en: 'Ensure this field is not too long.' },
  invalid_choice: { ko: '유효하지 않은 선택입니다.', en: 'Not a valid choice.' },
  invalid_email: { ko: '유효한 이메일 주소를 입력하십시오.', en: 'Enter a valid email address.' },
  lookalike_email: {
    ko: '다른 주소처럼 보일 수 있는 문자가 섞인 이메일 주소입니다.',
    en: 'This email address has characters that could make it look like another address.'
  },
  password_too_short: {
    ko: '비밀번호는 8자 이상이어야 합니다.',
    en: 'The password must be at least 8 characters long.'
  },
  invalid_phone: { ko: '올바른 휴대폰 번호를 입력하세요.', en: 'Enter a valid mobile number.' },
  invalid_date: {
    ko: '날짜 형식이 잘못되었습니다. YYYY-MM-DD 형식을 사용하세요.',
    en: 'Date has wrong format. Use YYYY-MM-DD.'
  },
  date_not_past: { ko: '과거의 날짜를 입력하세요.', en: 'Enter a date in the past.' },
  username_taken: { ko: '해당 사용자 이름은 이미 존재합니다.', en: 'A user with that username already exists.' },
  name_taken: { ko: '이미 있는 이름입니다.', en: 'An item with that name already exists.' },
  mobile_taken: { ko: '이미 가입된 휴대폰 번호입니다.', en: 'A user with that mobile number already exists.' },
  email_taken: { ko: '이미 등록된 이메일입니다.', en: 'This email is already registered.' },
  unknown_reference: { ko: '존재하지 않는 항목입니다.', en: 'Object does not exist.' },
  invalid_upload_key: { ko: '이 항목에 사용할 수 없는 파일 경로입니다.', en: 'This file key cannot be used here.' },
  upload_missing: { ko: '업로드되지 않은 파일입니다.', en: 'No file was uploaded under this key.' },
  region_not_allowed: {
    ko: '인증번호를 보낼 수 없는 국가의 번호입니다.',
    en: 'Codes cannot be sent to numbers of this country.'
  },
  not_mobile: {
    ko: '문자를 받을 수 없는 번호입니다. 휴대폰 번호를 입력하세요.',
    en: 'This number cannot receive text messages. Enter a mobile number.'
  },
  identity_mismatch: { ko: '본인인증 정보와 일치하지 않습니다.', en: 'This does not match the verified identity.' },
  identity_not_found: { ko: '본인인증 내역을 찾을 수 없습니다.', en: 'No identity verification has this id.' },
  identity_not_verified: {
    ko: '완료되지 않은 본인인증입니다.',
    en: 'This identity verification was not completed.'
  },
  identity_expired: {
    ko: '본인인증 유효 시간이 지났습니다. 다시 인증해주세요.',
    en: 'This identity verification is too old. Please verify again.'
  },
  identity_used: { ko: '이미 사용된 본인인증입니다.', en: 'This identity verification was already used.' },
  identity_taken: {
    ko: '이미 본인인증으로 가입된 회원입니다.',
    en: 'A user with this verified identity already exists.'
  },
  identity_confirmed: {
    ko: '이미 본인인증을 마친 회원입니다.',
    en: 'Your identity is already verified.'
  },
  upload_in_use: { ko: '이미 사용 중인 파일입니다.', en: 'This file is already used.' },
  invalid_body: { ko: '잘못된 요청 본문입니다. JSON 객체를 보내주세요.', en: 'Invalid data. Expected a JSON object.' }
}
