// The console's one stylesheet. A TypeScript string rather than a .css file, so the compiled
// service in dist/ carries it with no copy step; the CSP allows no inline style, so every look
// the pages need is a class here.
export const CONSOLE_CSS = `
:root {
  color-scheme: light dark;
  --bg: #f6f7f9; --surface: #fff; --text: #1d2330; --muted: #5b6475; --line: #d9dde5;
  --accent: #1f5fd1; --accent-text: #fff; --focus: #f0a500;
  --pending-bg: #fff4d6; --pending: #7a5200;
  --approved-bg: #dcf5e3; --approved: #17603a;
  --rejected-bg: #fde2e1; --rejected: #9b1c1c;
  --flag-bg: #fff1e6; --flag-line: #d9480f; --flag: #7c2d12;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #14171c; --surface: #1d2229; --text: #e6e9ef; --muted: #a3acbb; --line: #343b47;
    --accent: #6d9eff; --accent-text: #0b1020; --focus: #ffc845;
    --pending-bg: #3d3113; --pending: #ffd88a;
    --approved-bg: #143524; --approved: #8fe0ad;
    --rejected-bg: #3f1a1a; --rejected: #ffaaa5;
    --flag-bg: #3b2414; --flag-line: #ff8f4d; --flag: #ffd2b3;
  }
}
*, *::before, *::after { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body {
  margin: 0; background: var(--bg); color: var(--text); line-height: 1.5; font-size: 1rem;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Apple SD Gothic Neo", "Malgun Gothic", "Noto Sans KR",
    sans-serif;
}
a { color: var(--accent); }
img { max-width: 100%; height: auto; }
h1 { font-size: 1.5rem; margin: 0 0 1rem; }
h2 { font-size: 1.2rem; margin: 1.5rem 0 .75rem; }

header.top {
  display: flex; flex-wrap: wrap; gap: .5rem 1.25rem; align-items: center;
  padding: .75rem 1rem; background: var(--surface); border-bottom: 1px solid var(--line);
}
header.top nav { display: flex; flex-wrap: wrap; gap: .25rem 1rem; }
header.top form { margin-left: auto; }
main { max-width: 72rem; margin: 0 auto; padding: 1rem; }
.card {
  background: var(--surface); border: 1px solid var(--line); border-radius: .5rem; padding: 1rem; margin-bottom: 1rem;
}
.muted { color: var(--muted); }

/* Forms: a visible label above each control, full width on a phone. */
form.stack { display: grid; gap: 1rem; max-width: 28rem; }
label { display: block; font-weight: 600; margin-bottom: .25rem; }
input, select, textarea {
  display: block; width: 100%; font: inherit; color: inherit; background: var(--surface);
  padding: .5rem .625rem; border: 1px solid var(--line); border-radius: .375rem;
}
input[type="checkbox"], input[type="radio"] { display: inline-block; width: auto; }
textarea { min-height: 6rem; resize: vertical; }
.field-error { color: var(--rejected); margin-top: .25rem; }
.filters { display: flex; flex-wrap: wrap; gap: .75rem; align-items: end; margin-bottom: 1rem; }
.filters > div { flex: 1 1 12rem; }

button, .button {
  display: inline-block; font: inherit; font-weight: 600; cursor: pointer; text-decoration: none;
  padding: .5rem 1rem; min-height: 2.5rem; border-radius: .375rem;
  border: 1px solid var(--accent); background: var(--accent); color: var(--accent-text);
}
button.secondary, .button.secondary { background: transparent; color: var(--accent); }
button.danger { background: var(--rejected); border-color: var(--rejected); color: #fff; }
.actions { display: flex; flex-wrap: wrap; gap: .5rem; align-items: start; }

/* Focus stays visible for keyboard users whatever the element. */
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }

/* Wide tables scroll sideways inside their box on a phone instead of widening the page. */
.table-wrap {
  overflow-x: auto; -webkit-overflow-scrolling: touch;
  border: 1px solid var(--line); border-radius: .5rem; background: var(--surface);
}
table { width: 100%; border-collapse: collapse; }
th, td {
  text-align: left; padding: .5rem .75rem; border-bottom: 1px solid var(--line);
  white-space: nowrap; vertical-align: top;
}
th { font-size: .875rem; color: var(--muted); }
tbody tr:last-child td { border-bottom: 0; }
td.wrap { white-space: normal; min-width: 16rem; }
dl.fields { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; margin: 0; }
dl.fields dt { color: var(--muted); }
dl.fields dd { margin: 0; overflow-wrap: anywhere; }
.pager { display: flex; gap: 1rem; align-items: center; margin-top: 1rem; }
.photos { display: flex; flex-wrap: wrap; gap: 1rem; }
.photos figure { margin: 0; max-width: 20rem; }

.badge { display: inline-block; padding: .125rem .5rem; border-radius: 999px; font-size: .875rem; font-weight: 600; }
.badge.pending { background: var(--pending-bg); color: var(--pending); }
.badge.approved { background: var(--approved-bg); color: var(--approved); }
.badge.rejected { background: var(--rejected-bg); color: var(--rejected); }

/* A warning a reviewer must not miss (one person, two accounts). */
.flag {
  background: var(--flag-bg); color: var(--flag);
  border: 1px solid var(--flag-line); border-left-width: .375rem; border-radius: .375rem;
  padding: .75rem 1rem; margin: 1rem 0;
}
.notice { border-left: .375rem solid var(--accent); background: var(--surface); padding: .75rem 1rem; margin: 1rem 0; }
.qr { image-rendering: pixelated; width: 12rem; height: 12rem; background: #fff; padding: .5rem; }
code.secret { font-size: 1.1rem; letter-spacing: .1em; overflow-wrap: anywhere; }
.visually-hidden {
  position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap;
}

@media (max-width: 40rem) {
  main { padding: .75rem; }
  header.top form { margin-left: 0; }
  dl.fields { grid-template-columns: 1fr; }
  dl.fields dd { margin-bottom: .5rem; }
  .actions > *, form.stack button { flex: 1 1 100%; width: 100%; text-align: center; }
}

/* Pages' own pieces. */
.alert { border-left: .375rem solid var(--accent); background: var(--surface); padding: .75rem 1rem; margin: 1rem 0; }
.alert.error { border-left-color: var(--rejected); background: var(--rejected-bg); color: var(--rejected); }
.alert.notice { border-left-color: var(--approved); background: var(--approved-bg); color: var(--approved); }
form.inline { display: inline-block; margin: 0 .25rem .25rem 0; }
/* Files as thumbnails that open the viewer; the viewer shows one large, the others beside it. */
ul.thumbnails { display: flex; flex-wrap: wrap; gap: 1rem; list-style: none; padding: 0; margin: 1rem 0 0; }
ul.thumbnails li { display: grid; gap: .25rem; justify-items: start; }
img.thumbnail {
  width: 14rem; max-width: 100%; height: 9rem; object-fit: contain; background: var(--bg);
  border: 1px solid var(--line); border-radius: .375rem;
}
ul.thumbnails a:hover img.thumbnail { border-color: var(--accent); }
.caption { font-size: .875rem; color: var(--muted); }
.viewer { display: grid; grid-template-columns: minmax(0, 1fr) 16rem; gap: 1rem; align-items: start; }
.viewer-main { margin: 0; }
.viewer-tools { display: flex; flex-wrap: wrap; gap: .5rem; align-items: center; margin-bottom: .75rem; }
.viewer-tools[hidden] { display: none; }
.viewer-tools output { min-width: 4rem; text-align: center; }
.viewer-stage {
  overflow: auto; display: flex; justify-content: center; align-items: center;
  min-height: 60vh; max-height: 80vh; background: var(--bg); border-radius: .375rem;
}
img.viewer-image { max-width: 100%; max-height: 78vh; transition: transform .15s ease-out; }
.viewer-others ul.thumbnails { flex-direction: column; }
.member-uuid code { user-select: all; overflow-wrap: anywhere; }
@media (max-width: 60rem) {
  .viewer { grid-template-columns: 1fr; }
  .viewer-others ul.thumbnails { flex-direction: row; }
}
@media (prefers-reduced-motion: reduce) { img.viewer-image { transition: none; } }
/* The trail fits at 1280 px: the details column wraps rather than running off-screen. */
table.audit { table-layout: auto; }
table.audit td { vertical-align: top; }
table.audit td.details { white-space: normal; overflow-wrap: anywhere; min-width: 14rem; max-width: 28rem; }
table.audit td.action { white-space: normal; min-width: 9rem; }
.audit-export { display: flex; flex-wrap: wrap; gap: .75rem; align-items: center; margin: .5rem 0 1rem; }
.catalog-items {
  display: grid; gap: .75rem; grid-template-columns: repeat(auto-fill, minmax(16rem, 1fr)); margin-bottom: 1rem;
}
.catalog-items form {
  display: grid; gap: .5rem; border: 1px solid var(--line); border-radius: .375rem; padding: .75rem;
}
/* A visually hidden header inside a scrolling table stays inside its box, not beyond the page. */
.table-wrap { position: relative; }
/* Keyboard: the skip link shows when focused; the page a menu entry leads to is marked. */
.skip-link {
  position: absolute; left: .5rem; top: -4rem; z-index: 10; padding: .5rem 1rem;
  background: var(--surface); color: var(--accent); border: 2px solid var(--accent); border-radius: .375rem;
}
.skip-link:focus { top: .5rem; }
header.top nav a[aria-current="page"] {
  font-weight: 700; color: var(--text); text-decoration: underline; text-decoration-thickness: 3px;
  text-underline-offset: .35em; text-decoration-color: var(--accent);
}
header.top .language-switch { margin-left: auto; }
header.top .language-switch ~ form { margin-left: 0; }
/* The main content takes focus only from the script and the skip link: no ring around the whole page. */
main:focus { outline: none; }
footer.bottom { padding: 0 1rem 1.5rem; max-width: 72rem; margin: 0 auto; }
.shortcuts summary { cursor: pointer; color: var(--accent); }
.shortcuts dl { display: grid; gap: .25rem; margin: .5rem 0 0; }
.shortcuts dl > div { display: flex; gap: .75rem; }
.shortcuts dt { min-width: 3rem; }
.shortcuts dd { margin: 0; }
kbd {
  font: inherit; font-size: .875rem; padding: .05rem .4rem; border: 1px solid var(--line);
  border-bottom-width: 2px; border-radius: .25rem; background: var(--surface);
}
/* Phone: under 600 px the queue is a list of cards, each cell a labelled line (data-label). */
@media (max-width: 600px) {
  .table-wrap:has(table.queue) { overflow: visible; border: 0; background: transparent; }
  table.queue, table.queue tbody, table.queue tr, table.queue td { display: block; width: auto; }
  table.queue thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); }
  table.queue tr {
    background: var(--surface); border: 1px solid var(--line); border-radius: .5rem;
    padding: .5rem .75rem; margin-bottom: .75rem;
  }
  table.queue td { border: 0; padding: .2rem 0; white-space: normal; overflow-wrap: anywhere; }
  table.queue td[data-label]::before {
    content: attr(data-label); display: inline-block; min-width: 6.5rem; margin-right: .5rem;
    color: var(--muted); font-size: .875rem;
  }
  table.sessions thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); }
  table.sessions, table.sessions tbody, table.sessions tr, table.sessions td { display: block; width: auto; }
  table.sessions tr { border-bottom: 1px solid var(--line); padding: .5rem 0; }
  table.sessions td { border: 0; padding: .1rem .75rem; white-space: normal; min-width: 0; }
}
/* Deciding (decision-pages.tsx): who else is on the member, the decisions, and what cannot be undone
   in a section of its own with a warning's look, never beside approve. */
.presence ul { margin: .25rem 0 0; padding-left: 1.25rem; }
.deciding .actions { align-items: start; }
.deciding #next-pending { margin: 0 0 1rem; }
section.irreversible {
  border: 2px solid var(--rejected); border-left-width: .5rem; background: var(--rejected-bg); margin-top: 2rem;
}
section.irreversible h2 { color: var(--rejected); margin-top: 0; }
section.irreversible p { color: var(--text); }
`
