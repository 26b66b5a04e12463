"""gunicorn's settings for the web process (the Procfile names this file).

The access log names the path without its query string: `%(U)s`, not `%(r)s` (the whole request line).
Words typed into a URL (a name, a phone number) must not be kept in logs; the portal's own forms send
them in POST bodies, but a bookmark or a hand-made URL could still carry them. The Referer (`%(f)s`) is
left out for the same reason: it is a URL with its query string.
"""

access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(L)s "%(a)s"'
