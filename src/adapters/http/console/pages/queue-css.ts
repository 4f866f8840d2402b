// The queue's own pieces of the console's stylesheet (served with console-css.ts as one file):
// a small square photo, the flags, page numbers as buttons, the bulk approval's buttons.
export const QUEUE_CSS = `
img.q-thumb {
  width: 3rem; height: 3rem; object-fit: cover; border-radius: .375rem; border: 1px solid var(--line);
  background: var(--bg);
}
td.q-member .q-name { display: block; color: var(--muted); font-size: .875rem; }
td.q-flags { white-space: normal; }
td.q-flags > * { margin: 0 .25rem .25rem 0; }
.q-carrier { display: block; font-size: .875rem; }
.badge.duplicate { background: var(--flag-bg); color: var(--flag); border: 1px solid var(--flag-line); }
.badge.foreigner { background: var(--bg); color: var(--text); border: 1px solid var(--line); }
td.q-select input[type="checkbox"] { width: 1.25rem; height: 1.25rem; }
.filter-buttons { display: flex; gap: .75rem; align-items: center; }
.queue-pager { flex-wrap: wrap; gap: .5rem 1rem; }
.queue-pager ol.page-numbers { display: flex; flex-wrap: wrap; gap: .25rem; list-style: none; margin: 0; padding: 0; }
.queue-pager .page-numbers a, .queue-pager .page-numbers span {
  display: inline-block; min-width: 2.5rem; padding: .375rem .5rem; text-align: center;
  border: 1px solid var(--line); border-radius: .375rem;
}
.queue-pager .page-numbers [aria-current="page"] {
  background: var(--accent); color: var(--accent-text); border-color: var(--accent); font-weight: 700;
}
.bulk-actions { display: flex; flex-wrap: wrap; gap: .5rem; align-items: center; margin-top: .75rem; }
.bulk-actions p { flex: 1 1 100%; margin: 0; }
ol.bulk-members { columns: 16rem; margin: 1rem 0; }
ul.bulk-approved { columns: 16rem; }
@media (max-width: 40rem) {
  .bulk-actions button { width: 100%; }
}
`
