/**
 * The admin console's style sheet, served as `{basePath}/assets/console.css`.
 *
 * @module
 * @internal
 */

/** The whole style sheet: system fonts, one accent colour, visible focus everywhere. */
export const CONSOLE_CSS = `
:root { color-scheme: light; --accent: #3a3ad6; --ink: #1b1d21; --muted: #5b616e; --line: #d9dce3;
  --bg: #f6f7f9; --danger: #b3261e; --warn: #8a5a00; font: 15px/1.45 system-ui, sans-serif; color: var(--ink); }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); }
a { color: var(--accent); }
:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
h1[tabindex="-1"]:focus { outline: none; }
.top { display: flex; gap: 2rem; align-items: center; padding: .75rem 1.5rem; background: #111827; }
.top a { color: #fff; text-decoration: none; }
.top .brand { font-weight: 700; }
.top nav { display: flex; gap: 1.25rem; }
main { max-width: 68rem; margin: 1.5rem auto; padding: 0 1.5rem; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; }
h2 { font-size: 1.15rem; margin: 1.5rem 0 .5rem; }
.subtitle { color: var(--muted); margin: 0 0 1.25rem; }
.toolbar { display: flex; justify-content: space-between; align-items: center; margin-bottom: 1rem; }
table { width: 100%; border-collapse: collapse; background: #fff; border: 1px solid var(--line); }
th, td { text-align: left; padding: .6rem .8rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-size: .8rem; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: .9em; }
button { font: inherit; border-radius: 6px; border: 1px solid var(--line); background: #fff; padding: .45rem .9rem; cursor: pointer; color: var(--ink); }
button.primary { background: var(--accent); border-color: var(--accent); color: #fff; }
button.danger { background: var(--danger); border-color: var(--danger); color: #fff; }
button:disabled { opacity: .6; cursor: default; }
[role="tablist"] { display: flex; gap: .25rem; border-bottom: 1px solid var(--line); margin: 1rem 0; }
[role="tab"] { border: none; border-bottom: 3px solid transparent; border-radius: 0; background: none; padding: .6rem .9rem; }
[role="tab"][aria-selected="true"] { border-bottom-color: var(--accent); font-weight: 600; }
.panel { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 1.25rem 1.5rem; }
.field { display: grid; gap: .3rem; margin-bottom: 1rem; }
.field label, .field .label { font-weight: 600; }
.field .hint { color: var(--muted); font-size: .85rem; }
input[type="text"], input[type="number"], input[type="password"], textarea, select {
  font: inherit; padding: .45rem .6rem; border: 1px solid var(--line); border-radius: 6px; width: 100%; background: #fff; color: var(--ink); }
input[readonly] { background: var(--bg); }
textarea { min-height: 4.5rem; font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: .9em; }
.check { display: flex; gap: .5rem; align-items: center; font-weight: 400; }
.problems { margin: .2rem 0 0; padding: 0; list-style: none; font-size: .88rem; }
.problems .error { color: var(--danger); }
.problems .warning, .problems .info { color: var(--warn); }
[aria-invalid="true"] { border-color: var(--danger); }
.switches { display: grid; grid-template-columns: repeat(auto-fill, minmax(14rem, 1fr)); gap: .6rem; }
[role="switch"] { display: flex; justify-content: space-between; align-items: center; gap: .75rem; width: 100%; text-align: left; }
[role="switch"]::after { content: "Off"; font-size: .8rem; color: var(--muted); }
[role="switch"][aria-checked="true"] { border-color: var(--accent); }
[role="switch"][aria-checked="true"]::after { content: "On"; color: var(--accent); font-weight: 600; }
.danger-zone { border: 1px solid var(--danger); border-radius: 8px; padding: 1rem 1.5rem; margin-top: 2rem; background: #fff; }
.danger-zone h2 { color: var(--danger); margin-top: 0; }
dialog { border: none; border-radius: 10px; padding: 1.5rem; width: min(34rem, 92vw); box-shadow: 0 20px 50px rgba(0,0,0,.25); }
dialog::backdrop { background: rgba(17,24,39,.45); }
fieldset { border: 1px solid var(--line); border-radius: 8px; margin: 0 0 1rem; padding: .75rem 1rem; }
legend { font-weight: 600; padding: 0 .25rem; }
.choices { display: grid; gap: .4rem; }
.actions { display: flex; gap: .6rem; justify-content: flex-end; margin-top: 1rem; }
pre { background: #111827; color: #e5e7eb; padding: 1rem; border-radius: 8px; overflow: auto; }
.notice { padding: .6rem .9rem; border-radius: 6px; background: #eef0ff; margin-bottom: 1rem; }
.notice.error { background: #fdecea; color: var(--danger); }
.copy-row { display: flex; gap: .5rem; align-items: stretch; }
.copy-row input { flex: 1; min-width: 0; }
button.copy { white-space: nowrap; padding: .45rem .7rem; }
.filter { display: flex; flex-wrap: wrap; gap: .4rem .75rem; align-items: center; margin-bottom: .75rem; }
.filter label { font-weight: 600; }
.filter input { flex: 1; min-width: 10rem; max-width: 24rem; }
.filter .subtitle { margin: 0; }
td { overflow-wrap: anywhere; }
tr[hidden] { display: none; }
@media (max-width: 40rem) {
  .top { flex-wrap: wrap; gap: .5rem 1.25rem; padding: .6rem 1rem; }
  main { margin: 1rem auto; padding: 0 .75rem; }
  .toolbar { flex-wrap: wrap; gap: .75rem; }
  .panel, .danger-zone { padding: 1rem; }
  [role="tablist"] { flex-wrap: wrap; }
  th, td { padding: .5rem; }
  .switches { grid-template-columns: 1fr; }
}
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
`;
