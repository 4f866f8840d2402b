// The member page's identity section (identity-pages.tsx), served with console-css.ts as one file:
// the confirmed and unconfirmed marks, the comparison table, a differing row's look.
export const IDENTITY_CSS = `
.identity-mark {
  display: inline-block; font-weight: 700; padding: .375rem .75rem; border-radius: .375rem; margin: 0 0 .75rem;
}
.identity-mark.confirmed { background: var(--approved-bg); color: var(--approved); border: 1px solid var(--approved); }
.identity-mark.unconfirmed { background: var(--pending-bg); color: var(--pending); border: 1px dashed var(--pending); }
/* As dl.fields, under a class of its own: pages and tests find the member's fields by dl.fields alone. */
dl.identity-fields { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; margin: 0 0 .75rem; }
dl.identity-fields dt { color: var(--muted); }
dl.identity-fields dd { margin: 0; overflow-wrap: anywhere; }
@media (max-width: 40rem) {
  dl.identity-fields { grid-template-columns: 1fr; }
  dl.identity-fields dd { margin-bottom: .5rem; }
}
table.identity td, table.identity th[scope="row"] { white-space: normal; overflow-wrap: anywhere; }
table.identity th[scope="row"] { color: var(--text); font-size: 1rem; }
table.identity tr.differs { background: var(--flag-bg); }
table.identity tr.differs th, table.identity tr.differs td { color: var(--flag); }
table.identity tr.differs th[scope="row"] { border-left: .375rem solid var(--flag-line); }
.differs-mark { white-space: nowrap; }
code.identity-key { overflow-wrap: anywhere; }
.identity-reveal { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: center; margin-top: 1rem; }
.badge.identity-confirmed { background: var(--approved-bg); color: var(--approved); border: 1px solid var(--approved); }
.key-state { font-size: .875rem; }
`
