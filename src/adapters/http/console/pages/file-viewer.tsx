import { FILE_VIEWER_SCRIPT_SRC } from './file-viewer-script.js'
import { FILES_AUDIT_TEXTS } from './files-audit-texts.js'
import { renderPage, type Frame } from './layout.js'

/** Which of a member's files: a verification file by its display order, or one of the two profile photos. */
export type FileRef = `id-${number}` | 'avatar' | 'profile'

/** A file as the member page and the viewer show it: where the image is, what it is called, where it opens large. */
export interface ShownFile { ref: FileRef, caption: string, src: string, href: string }

/**
 * Where a verification file's image is read: the console's own route (console-file-routes.ts),
 * which needs the staff session and redirects to a fresh short-lived signed link. A page never
 * holds a signed link, so nothing on it expires while the session lives.
 */
export const verificationFileSrc = (uuid: string, order: number): string =>
  `/console/members/${encodeURIComponent(uuid)}/files/${order}`

export const isIdFile = (file: ShownFile): boolean => file.ref.startsWith('id-')

export const viewerHref = (uuid: string, ref: FileRef): string =>
  `/console/members/${encodeURIComponent(uuid)}/view/${ref}`

/**
 * Every file of a member, in the order the pages show them: the verification files (captioned by
 * kind, order and count, not a bare number), then the avatar and the profile photo (public media).
 */
export function memberFiles (
  frame: Frame,
  uuid: string,
  files: { verification: number[], avatarUrl: string | null, profileUrl: string | null }
): ShownFile[] {
  const x = FILES_AUDIT_TEXTS[frame.language]
  const orders = [...files.verification].sort((a, b) => a - b)
  const shown: ShownFile[] = orders.map((order, index) => ({
    ref: `id-${order}`,
    caption: x.idFile(index + 1, orders.length),
    src: verificationFileSrc(uuid, order),
    href: viewerHref(uuid, `id-${order}`)
  }))
  if (files.avatarUrl !== null) {
    shown.push({ ref: 'avatar', caption: frame.t.avatar, src: files.avatarUrl, href: viewerHref(uuid, 'avatar') })
  }
  if (files.profileUrl !== null) {
    const href = viewerHref(uuid, 'profile')
    shown.push({ ref: 'profile', caption: frame.t.profilePhoto, src: files.profileUrl, href })
  }
  return shown
}

/** Thumbnails that open the viewer: the member page's files section. */
export function FileThumbnails ({ frame, files }: { frame: Frame, files: ShownFile[] }) {
  const x = FILES_AUDIT_TEXTS[frame.language]
  return (
    <ul class='thumbnails'>
      {files.map(file => (
        <li key={file.ref}>
          <a href={file.href} aria-label={x.openViewer(file.caption)}>
            <img src={file.src} alt='' class={isIdFile(file) ? 'thumbnail verification' : 'thumbnail'} />
          </a>
          <span class='caption'>{file.caption}</span>
        </li>
      ))}
    </ul>
  )
}

/** The member's uuid, selectable as a whole with one click (CSS `user-select: all`): the audit filter takes it. */
export function MemberUuid ({ frame, uuid }: { frame: Frame, uuid: string }) {
  const x = FILES_AUDIT_TEXTS[frame.language]
  return (
    <p class='member-uuid'>
      <span class='muted'>{x.memberUuid}</span>{' '}
      <code id='member-uuid' aria-describedby='member-uuid-help'>
        {uuid}
      </code>{' '}
      <small id='member-uuid-help' class='muted'>
        {x.uuidHelp}
      </small>
    </p>
  )
}

export interface ViewerInput {
  uuid: string
  /** How the member is named: username, else email, else uuid. */
  who: string
  files: ShownFile[]
  shown: ShownFile
}

/** One file large, with zoom and rotate (file-viewer-script.ts), the member's other files beside it. */
export function viewerPage (frame: Frame, input: ViewerInput): string {
  const x = FILES_AUDIT_TEXTS[frame.language]
  const others = input.files.filter(file => file.ref !== input.shown.ref)
  const Tool = ({ step, label, text }: { step: string, label: string, text: string }) => (
    <button type='button' class='secondary' data-viewer={step} aria-label={label} title={label}>
      {text}
    </button>
  )
  return renderPage(
    frame,
    x.viewerTitle(input.who),
    <>
      <p>
        <a href={`/console/members/${encodeURIComponent(input.uuid)}`}>{x.backToMember}</a>
      </p>
      <div class='viewer'>
        <figure class='viewer-main card'>
          <div id='viewer-tools' class='viewer-tools' role='toolbar' aria-label={x.viewerTools} hidden>
            <Tool step='zoom-out' label={x.zoomOut} text='−' />
            <output id='viewer-zoom' aria-live='polite'>
              100%
            </output>
            <Tool step='zoom-in' label={x.zoomIn} text='+' />
            <Tool step='rotate-left' label={x.rotateLeft} text='⟲' />
            <Tool step='rotate-right' label={x.rotateRight} text='⟳' />
            <Tool step='reset' label={x.reset} text={x.reset} />
          </div>
          <div class='viewer-stage'>
            <img id='viewer-image' src={input.shown.src} alt={input.shown.caption} class='viewer-image' />
          </div>
          <figcaption>{input.shown.caption}</figcaption>
        </figure>
        {others.length > 0 && (
          <section class='viewer-others' aria-labelledby='other-files'>
            <h2 id='other-files'>{x.otherFiles}</h2>
            <FileThumbnails frame={frame} files={others} />
          </section>
        )}
      </div>
      <script src={FILE_VIEWER_SCRIPT_SRC} defer />
    </>
  )
}
