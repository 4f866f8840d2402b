import { createRequire } from 'node:module'
import type { AxeResults, RunOptions } from 'axe-core'
import type { BrowserContext, Page } from 'playwright-core'

// axe-core run inside the page. @axe-core/playwright's builder runs each check in parts and
// finishes it in a blank page of its own: 426 ms a check on this machine, against 63 ms for
// axe.run in the page (the accessibility walk's 52 checks: 22 s against 3.3 s).

const AXE_SOURCE = createRequire(import.meta.url).resolve('axe-core/axe.min.js')

/** axe-core in every page `context` opens, loaded before the page's own scripts (and past its CSP). */
export async function withAxe (context: BrowserContext): Promise<void> {
  await context.addInitScript({ path: AXE_SOURCE })
}

/** axe's serious and critical findings on the page as it is now, as `rule: targets` lines. */
export async function seriousViolations (page: Page): Promise<string[]> {
  const options: RunOptions = { resultTypes: ['violations'] }
  const { violations } = await page.evaluate(async (options) => {
    const { axe } = window as unknown as { axe: { run: (on: Document, options: RunOptions) => Promise<AxeResults> } }
    return await axe.run(document, options)
  }, options)
  return violations
    .filter(violation => violation.impact === 'serious' || violation.impact === 'critical')
    .map(violation => `${violation.id}: ${violation.nodes.map(node => node.target.join(' ')).join(', ')}`)
}
