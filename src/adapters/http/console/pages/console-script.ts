import { staticAsset } from './assets.js'

export const CONSOLE_SCRIPT_PATH = '/console/assets/console.js'

// The console's keyboard: a small script from the console's own origin (the CSP allows
// `script-src 'self'` and nothing inline). Every page works without it; it only adds
//  - focus on arrival: the first field of the page, or, on a page with shortcuts,
//    the main content (a focused field would swallow the keys);
//  - shortcuts on the elements pages mark with data-shortcut="approve" | "reject" | "next": a key
//    never fires while the reader types in a field, nor with Ctrl, Alt or Meta held;
//  - Escape leaves a field, Ctrl+Enter (Cmd+Enter) in a field sends its form by the form's
//    data-shortcut button, and "?" opens the shortcut help.
const SCRIPT = `'use strict';
(function () {
  var KEYS = { a: 'approve', r: 'reject', n: 'next' };
  function typing (element) {
    if (element === null || element === document.body) return false;
    if (element.isContentEditable) return true;
    var tag = element.tagName;
    if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
    if (tag !== 'INPUT') return false;
    return ['button', 'submit', 'reset', 'checkbox', 'radio', 'hidden'].indexOf(element.type) === -1;
  }
  function visible (element) { return element.offsetParent !== null || element.getClientRects().length > 0; }
  function firstField (root) {
    var fields = root.querySelectorAll(
      'input:not([type=hidden]):not([disabled]), select:not([disabled]), textarea:not([disabled])');
    for (var i = 0; i < fields.length; i++) if (visible(fields[i])) return fields[i];
    return null;
  }
  // A table wider than the screen scrolls inside its box: the box takes focus then, so a keyboard
  // can scroll it too (and leaves the Tab order when nothing is hidden).
  function scrollables () {
    var wraps = document.querySelectorAll('.table-wrap');
    for (var i = 0; i < wraps.length; i++) {
      if (wraps[i].scrollWidth > wraps[i].clientWidth) wraps[i].tabIndex = 0;
      else wraps[i].removeAttribute('tabindex');
    }
  }
  scrollables();
  window.addEventListener('resize', scrollables);
  var main = document.getElementById('main');
  if (main !== null && (document.activeElement === null || document.activeElement === document.body) &&
      location.hash === '') {
    var field = document.querySelector('[data-shortcut]') === null ? firstField(main) : null;
    if (field !== null) field.focus(); else main.focus({ preventScroll: true });
  }
  document.addEventListener('keydown', function (event) {
    var target = event.target;
    if (event.key === 'Escape' && typing(target)) { target.blur(); return; }
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey) && typing(target) && target.form) {
      var button = target.form.querySelector('[data-shortcut]');
      if (button !== null) { event.preventDefault(); target.form.requestSubmit(button); }
      return;
    }
    if (event.ctrlKey || event.altKey || event.metaKey || event.isComposing || typing(target)) return;
    if (event.key === '?') {
      var help = document.getElementById('shortcuts');
      if (help !== null) { event.preventDefault(); help.open = true; help.querySelector('summary').focus(); }
      return;
    }
    var name = KEYS[event.key];
    if (name === undefined) return;
    var element = document.querySelector('[data-shortcut="' + name + '"]');
    if (element === null) return;
    event.preventDefault();
    if (name === 'reject' && element.form) {
      var reason = firstField(element.form);
      if (reason !== null) { reason.focus(); return; }
    }
    element.click();
  });
})();
`

const script = staticAsset(CONSOLE_SCRIPT_PATH, 'text/javascript; charset=utf-8', SCRIPT)

/** The keyboard script, in every page's `<script src>`. */
export const CONSOLE_SCRIPT_SRC = script.href
export const consoleScriptRoutes = script.routes
