import { createHash } from 'node:crypto'
import type { FastifyPluginAsync } from 'fastify'

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

const body = Buffer.from(SCRIPT, 'utf8')
const version = createHash('sha256').update(body).digest('base64url').slice(0, 16)
const etag = `"${version}"`

/** What the viewer page puts in `<script src>`: versioned, so a browser keeps it a year and still sees a new one. */
export const FILE_VIEWER_SCRIPT_SRC = `${FILE_VIEWER_SCRIPT_PATH}?v=${version}`

/** Serves the viewer's script (any `v`). No session needed: it holds nothing but this code. */
export const fileViewerScriptRoutes: FastifyPluginAsync = async (app) => {
  app.get(FILE_VIEWER_SCRIPT_PATH, { schema: { hide: true } }, async (request, reply) => {
    reply
      .header('content-type', 'text/javascript; charset=utf-8')
      .header('x-content-type-options', 'nosniff')
      .header('cache-control', 'public, max-age=31536000, immutable')
      .header('etag', etag)
    if (request.headers['if-none-match'] === etag) return reply.code(304).send()
    return reply.send(body)
  })
}
