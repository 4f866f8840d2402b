import type { Language } from '../../../../domain/language.js'

// The words of a member's identity on the member page: whether PortOne confirmed it, the claimed
// and confirmed fields side by side, and the audited reveal of the keys (CI, DI).
const KO = {
  title: '본인인증',
  confirmedMark: '포트원 본인인증 완료',
  unconfirmedMark: '서버에서 확인되지 않은 본인 정보 (앱이 보낸 값)',
  unconfirmedHelp: '아래 키와 위의 이름, 생년월일, 성별, 통신사, 외국인 여부는 앱이 보낸 값 그대로입니다.',
  confirmedAt: '확인 일시',
  verifiedAt: '포트원 인증 일시',
  tableCaption: '앱이 보낸 값과 포트원이 확인한 값',
  field: '항목',
  claimed: '앱이 보낸 값',
  confirmed: '포트원 확인 값',
  comparison: '비교',
  same: '일치',
  differs: '다름',
  differsSummary: (count: number) => `앱이 보낸 값과 포트원 확인 값이 다른 항목이 ${count}개 있습니다.`,
  fields: {
    name: '이름',
    birth: '생년월일',
    gender: '성별',
    mobile: '휴대폰 번호',
    carrier: '통신사',
    foreigner: '외국인',
    ci: 'CI (연계정보, unique_key)',
    di: 'DI (중복가입확인정보, unique_in_site)'
  },
  masked: '키는 앞뒤 네 글자만 보입니다.',
  reveal: '키 보기',
  revealHelp: '전체 CI와 DI를 표시합니다. 열람한 직원과 일시가 감사 기록에 남습니다.',
  revealed: '전체 키를 표시했습니다. 이 열람은 감사 기록에 남았습니다.',
  noKeys: '본인 확인 키가 없습니다.',
  duplicateConfirmed: '포트원 확인 키',
  duplicateClaimed: '앱이 보낸 키 (미확인)'
}

export type IdentityTexts = typeof KO

const EN: IdentityTexts = {
  title: 'Identity verification',
  confirmedMark: 'Identity confirmed by PortOne',
  unconfirmedMark: 'Not confirmed by the server: as the app sent it',
  unconfirmedHelp:
    'The keys below, and the name, birth date, gender, carrier and foreigner above, are as the app sent them.',
  confirmedAt: 'Confirmed',
  verifiedAt: 'Verified at PortOne',
  tableCaption: 'As the app sent it and as PortOne confirmed it',
  field: 'Field',
  claimed: 'As the app sent it',
  confirmed: 'As PortOne confirmed it',
  comparison: 'Comparison',
  same: 'Same',
  differs: 'Differs',
  differsSummary: (count: number) =>
    `${count} ${count === 1 ? 'field differs' : 'fields differ'} from what PortOne confirmed.`,
  fields: {
    name: 'Name',
    birth: 'Birth date',
    gender: 'Gender',
    mobile: 'Mobile',
    carrier: 'Carrier',
    foreigner: 'Foreigner',
    ci: 'CI (connecting information, unique_key)',
    di: 'DI (duplication information, unique_in_site)'
  },
  masked: 'Keys show their first and last four characters only.',
  reveal: 'Reveal keys',
  revealHelp: 'Shows the whole CI and DI. Who revealed them, and when, goes on the audit trail.',
  revealed: 'The whole keys are shown. This look is on the audit trail.',
  noKeys: 'No identity keys.',
  duplicateConfirmed: 'key confirmed by PortOne',
  duplicateClaimed: 'key as the app sent it (not confirmed)'
}

export const IDENTITY_TEXTS: Record<Language, IdentityTexts> = { ko: KO, en: EN }
