import type { Language } from '../../../../domain/language.js'

// The words of deciding on a member (the decision forms, a refused stale decision, who else is on
// the member, the note, the rejection reasons' catalog), Korean and English, kept beside the
// console's other texts rather than in them, so the member page's parts grow apart.
const KO = {
  decide: '심사',
  reapproveHelp: '거절된 회원을 다시 승인합니다. 회원에게 알림이 갑니다.',
  undo: '처리 취소',
  undoHelp: (minutes: number) => `직전 결정을 ${minutes}분 안에 되돌릴 수 있습니다 (결정한 직원 또는 관리자).`,
  undone: '결정을 취소했습니다. 회원은 이전 상태로 돌아갔습니다.',
  undoExpired: '되돌릴 수 있는 결정이 없습니다 (시간이 지났거나 다른 직원의 결정입니다).',
  staleTitle: '다른 직원이 먼저 처리했습니다',
  staleBody: '이 화면을 연 뒤 회원의 상태가 바뀌어, 요청한 처리는 하지 않았습니다.',
  staleWhat: (action: string, by: string, at: string) => `${at}에 ${by}님이 ${action}했습니다.`,
  staleUnknown: '누가 처리했는지 기록을 찾지 못했습니다.',
  openAgain: '회원 정보 다시 보기',
  actions: {
    'member.approved': '승인',
    'member.rejected': '거절',
    'member.reapproved': '다시 승인',
    'member.decision_undone': '처리 취소'
  } as Record<string, string>,
  adminApi: '관리자 API',
  system: '시스템',
  othersHere: '지금 이 회원을 보고 있는 다른 직원',
  openedAt: (at: string) => `${at}에 열람`,
  irreversible: '되돌릴 수 없는 작업',
  nextPending: '다음 대기 회원',
  noNextPending: '대기 중인 다른 회원이 없습니다.',
  approvedDone: '승인했습니다.',
  rejectedDone: '거절했습니다.',
  reapprovedDone: '다시 승인했습니다.',
  presetReason: '사유 선택',
  presetNone: '직접 입력',
  freeReason: '추가 설명 (사유를 고르지 않으면 필수)',
  note: '내부 메모',
  noteHelp: '직원만 볼 수 있습니다. 회원에게는 보이지 않습니다.',
  saveNote: '메모 저장',
  noteSaved: '메모를 저장했습니다.',
  noteBy: (by: string, at: string) => `${by} · ${at}`,
  noNote: '메모가 없습니다.',
  reasons: '거절 사유',
  reasonKo: '한국어 문구',
  reasonEn: '영어 문구',
  addReason: '사유 추가',
  saveReason: '저장',
  retireReason: '사용 중지',
  restoreReason: '다시 사용',
  retired: '사용 중지됨',
  noReasons: '등록된 사유가 없습니다.'
}

export type DecisionTexts = typeof KO

const EN: DecisionTexts = {
  decide: 'Decision',
  reapproveHelp: 'Approves this rejected member again. The member is notified.',
  undo: 'Undo decision',
  undoHelp: (minutes: number) =>
    `The last decision can be undone within ${minutes} minutes (by whoever made it, or an admin).`,
  undone: 'The decision was undone. The member is back where they were.',
  undoExpired: 'There is no decision left to undo (its time has passed, or another staff member made it).',
  staleTitle: 'Another staff member decided first',
  staleBody: 'The member changed after you opened the page, so your decision was not made.',
  staleWhat: (action: string, by: string, at: string) => `${by}: ${action}, ${at}.`,
  staleUnknown: 'The trail does not say who changed the member.',
  openAgain: 'Open the member again',
  actions: {
    'member.approved': 'approved',
    'member.rejected': 'rejected',
    'member.reapproved': 'approved again',
    'member.decision_undone': 'undid a decision'
  },
  adminApi: 'admin API',
  system: 'system',
  othersHere: 'Other staff on this member now',
  openedAt: (at: string) => `opened ${at}`,
  irreversible: 'Cannot be undone',
  nextPending: 'Next pending member',
  noNextPending: 'No other member is pending.',
  approvedDone: 'Approved.',
  rejectedDone: 'Rejected.',
  reapprovedDone: 'Approved again.',
  presetReason: 'Reason',
  presetNone: 'Write my own',
  freeReason: 'More detail (required when no reason is chosen)',
  note: 'Internal note',
  noteHelp: 'Staff only. The member never sees it.',
  saveNote: 'Save note',
  noteSaved: 'Note saved.',
  noteBy: (by: string, at: string) => `${by} · ${at}`,
  noNote: 'No note yet.',
  reasons: 'Rejection reasons',
  reasonKo: 'Korean text',
  reasonEn: 'English text',
  addReason: 'Add reason',
  saveReason: 'Save',
  retireReason: 'Retire',
  restoreReason: 'Use again',
  retired: 'Retired',
  noReasons: 'No reasons yet.'
}

export const DECISION_TEXTS: Record<Language, DecisionTexts> = { ko: KO, en: EN }
