import { readFile } from 'node:fs/promises'
import type { Page } from 'playwright-core'
import type { Test } from 'tap'
import t from 'tap'
import {
  drawJpeg, launchBrowser, memberSignUps, noBrowser, signIn, staffAdd, type SignedUp
} from '../helpers/console-browser.js'
import { noPg, noRedis } from '../helpers/services.js'
import { startServiceOnPostgresAndRedis } from '../helpers/start-service.js'

// The file viewer and the readable trail in Chromium, on PostgreSQL + Redis: a thumbnail opens the
// viewer, zoom and rotate change the image's transform (the console's own script, under its CSP),
// the trail filtered by member and action shows one file view per visit, and the CSV downloads.
// English on a desktop, Korean on a 390 px phone.

t.setTimeout(240_000)

interface Words {
  open: RegExp
  zoomIn: string
  zoomOut: string
  rotateLeft: string
  rotateRight: string
  back: string
  auditMember: string
  action: string
  fileViewed: string
  from: string
  to: string
  filter: string
  exportCsv: string
  csvHeader: string
}

const ENGLISH: Words = {
  open: /^Open ID file 1 of 1 large$/,
  zoomIn: 'Zoom in',
  zoomOut: 'Zoom out',
  rotateLeft: 'Rotate left',
  rotateRight: 'Rotate right',
  back: 'Back to the member',
  auditMember: 'Member (username or UUID)',
  action: 'Action',
  fileViewed: 'ID files viewed',
  from: 'From',
  to: 'To',
  filter: 'Apply',
  exportCsv: 'Export CSV',
  csvHeader: '"When","UTC","Action","action"'
}

const KOREAN: Words = {
  open: /^신분증 1 \/ 1 크게 보기$/,
  zoomIn: '확대',
  zoomOut: '축소',
  rotateLeft: '왼쪽으로 회전',
  rotateRight: '오른쪽으로 회전',
  back: '회원 정보로 돌아가기',
  auditMember: '회원(아이디 또는 UUID)',
  action: '동작',
  fileViewed: '본인 확인 서류 열람',
  from: '시작일',
  to: '종료일',
  filter: '적용',
  exportCsv: 'CSV 내보내기',
  csvHeader: '"일시","UTC","동작","action"'
}

const transformOf = (page: Page) =>
  page.locator('#viewer-image').evaluate((image: HTMLImageElement) => image.style.transform)

/** Today in Korea, as the date fields take it. */
const todayInKorea = () => new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Seoul' }).format(new Date())

async function story (t: Test, page: Page, base: string, member: SignedUp, words: Words) {
  await page.goto(`${base}/console/members/${member.uuid}`)
  const uuid = await page.locator('#member-uuid').textContent()
  t.equal(uuid, member.uuid, 'the member page shows the uuid')

  // Twice on the member page, then the viewer: one visit.
  await page.reload()
  await page.getByRole('link', { name: words.open }).click()
  await page.waitForURL(new RegExp(`/console/members/${member.uuid}/view/id-0$`))
  const image = page.locator('#viewer-image')
  await image.evaluate((element: HTMLImageElement) =>
    element.complete ? undefined : new Promise(resolve => element.addEventListener('load', resolve, { once: true })))
  t.equal(await image.evaluate((element: HTMLImageElement) => element.naturalWidth), 40, 'the file shows large')
  t.ok(await page.getByRole('toolbar').isVisible(), 'the script shows the tools')
  t.equal(await transformOf(page), 'rotate(0deg) scale(1)')
  await page.getByRole('button', { name: words.zoomIn, exact: true }).click()
  t.equal(await transformOf(page), 'rotate(0deg) scale(1.25)', 'zoomed in')
  await page.getByRole('button', { name: words.rotateRight, exact: true }).click()
  t.equal(await transformOf(page), 'rotate(90deg) scale(1.25)', 'turned right')
  await page.getByRole('button', { name: words.rotateLeft, exact: true }).click()
  await page.getByRole('button', { name: words.rotateLeft, exact: true }).click()
  await page.getByRole('button', { name: words.zoomOut, exact: true }).click()
  t.equal(await transformOf(page), 'rotate(270deg) scale(1)', 'turned back past zero, zoomed out')
  t.ok(await page.locator('.viewer-others img.thumbnail').first().isVisible(), 'the other files beside it')
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
  t.ok(overflow <= 0, 'the viewer fits the screen')
  await page.getByRole('link', { name: words.back }).click()
  await page.waitForURL(new RegExp(`/console/members/${member.uuid}$`))

  // The trail, filtered as a reviewer would: today, this member (by the uuid the page showed), file views.
  await page.goto(`${base}/console/audit`)
  await page.getByLabel(words.from).fill(todayInKorea())
  await page.getByLabel(words.to).fill(todayInKorea())
  await page.getByLabel(words.auditMember).fill(uuid!)
  await page.getByLabel(words.action, { exact: true }).selectOption({ label: words.fileViewed })
  await page.getByRole('button', { name: words.filter }).click()
  await page.waitForURL(/action=member\.file_viewed/)
  t.match(page.url(), `member=${member.uuid}`, 'the filters are in the URL')
  const rows = page.locator('table.audit tbody tr')
  t.equal(await rows.count(), 1, 'one file view for the visit, however many loads')
  t.match(await rows.first().textContent(), words.fileViewed, 'the action in words')
  t.match(await rows.first().textContent(), member.username, 'the member by username')

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: words.exportCsv }).click()
  ])
  const csv = await readFile(await download.path())
  t.ok(csv.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf])), 'the CSV starts with a byte order mark')
  const text = csv.toString('utf8').slice(1)
  t.ok(text.startsWith(words.csvHeader), 'headers in the page language')
  t.equal(text.trimEnd().split('\r\n').length, 2, 'the header and the one filtered row')
  t.match(text, member.username)
  t.match(download.suggestedFilename(), /^audit-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv$/)
}

t.test(
  'the file viewer and the audit trail in Chromium (English desktop, Korean 390 px phone)',
  { skip: noPg || noRedis || noBrowser },
  async t => {
    const { base, call, config } = await startServiceOnPostgresAndRedis(t)
    const env = { DATABASE_URL: config.database.url! }
    const english = await staffAdd(env, 'files-en@staff.test', 'admin')
    const korean = await staffAdd(env, 'files-ko@staff.test', 'admin')
    const browser = await launchBrowser(t)
    const signUp = memberSignUps(t, call, await drawJpeg(browser))
    const [first, second] = [await signUp(), await signUp()]

    const desktop = await (await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 800 } }))
      .newPage()
    await signIn(desktop, base, english)
    await story(t, desktop, base, first, ENGLISH)
    // At 1280 px the trail's details column is on the screen.
    await desktop.goto(`${base}/console/audit`)
    const right = await desktop.locator('table.audit td.details').first()
      .evaluate(cell => cell.getBoundingClientRect().right)
    t.ok(right <= 1280, 'the details column fits at 1280 px')

    const phone = await (await browser.newContext({
      locale: 'ko-KR',
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true
    })).newPage()
    await signIn(phone, base, korean)
    await story(t, phone, base, second, KOREAN)
  }
)
