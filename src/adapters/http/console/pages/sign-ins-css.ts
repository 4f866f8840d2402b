// The member page's "ways to sign in" (sign-ins-pages.tsx), served with console-css.ts as one file.
export const SIGN_INS_CSS = `
.sign-ins h3 { font-size: 1rem; margin: 1rem 0 .5rem; }
ul.sign-in-list { list-style: none; padding: 0; margin: 0; display: grid; gap: .75rem; }
ul.sign-in-list > li { border: 1px solid var(--line); border-radius: .375rem; padding: .5rem .75rem; }
/* As dl.fields, under a class of its own: pages and tests find the member's fields by dl.fields alone. */
dl.sign-in-fields { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; margin: .5rem 0 0; }
dl.sign-in-fields dt { color: var(--muted); }
dl.sign-in-fields dd { margin: 0; overflow-wrap: anywhere; }
@media (max-width: 40rem) {
  dl.sign-in-fields { grid-template-columns: 1fr; }
  dl.sign-in-fields dd { margin-bottom: .5rem; }
}
`
