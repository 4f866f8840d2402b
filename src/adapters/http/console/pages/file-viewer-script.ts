import { staticAsset } from './assets.js'

// The file viewer's zoom and rotate: a small script from the console's own origin (the CSP allows
// `script-src 'self'` and nothing inline). Without it the viewer still shows the file large; the
// tools are `hidden` in the markup and this script shows them. It changes the image's
// `style.transform` through the CSSOM, which `style-src 'self'` allows (only style attributes in
// markup and inline <style> are refused). Its own asset, apart from the console's other scripts.
const SCRIPT = `'use strict';
(function () {
  var image = document.getElementById('viewer-image');
  var tools = document.getElementById('viewer-tools');
  var level = document.getElementById('viewer-zoom');
  if (image === null || tools === null) return;
  var scale = 1;
  var turn = 0;
  function apply () {
    image.style.transform = 'rotate(' + turn + 'deg) scale(' + scale + ')';
    image.dataset.scale = String(scale);
    image.dataset.turn = String(turn);
    if (level !== null) level.textContent = Math.round(scale * 100) + '%';
  }
  var steps = {
    'zoom-in': function () { scale = Math.min(8, Math.round(scale * 125) / 100); },
    'zoom-out': function () { scale = Math.max(0.25, Math.round(scale * 80) / 100); },
    'rotate-left': function () { turn = (turn + 270) % 360; },
    'rotate-right': function () { turn = (turn + 90) % 360; },
    'reset': function () { scale = 1; turn = 0; }
  };
  tools.addEventListener('click', function (event) {
    var button = event.target.closest('button[data-viewer]');
    if (button === null || !steps[button.dataset.viewer]) return;
    steps[button.dataset.viewer]();
    apply();
  });
  tools.hidden = false;
  apply();
})();
`

export const FILE_VIEWER_SCRIPT_PATH = '/console/assets/file-viewer.js'

const script = staticAsset(FILE_VIEWER_SCRIPT_PATH, 'text/javascript; charset=utf-8', SCRIPT)

/** The viewer's script, in the viewer page's `<script src>`. */
export const FILE_VIEWER_SCRIPT_SRC = script.href
export const fileViewerScriptRoutes = script.routes
