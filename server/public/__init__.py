"""The citizen's side (issue 16): status check, usul, sanggah and lacak, as HTML pages under /publik/
and a JSON API under /api/v1/public, on the central server. `server.public.install` adds them to the
app; this package file imports nothing, so server.metadata can load `server.public.models` without
pulling the routes (and server.db) back in."""
