"""gunicorn's settings for bangfu: ``bangfu serve`` passes ``-c python:bangfu.core.gunicorn_conf``.

An operator who runs gunicorn by hand can use the same file:
``gunicorn -c python:bangfu.core.gunicorn_conf --bind 127.0.0.1:8000``.
"""

from __future__ import annotations

import os


def cpu_count() -> int:
    """The cores this process may run on (a container or ``taskset`` may allow fewer than exist)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def default_workers(cores: int | None = None) -> int:
    """One synchronous worker per core and one more (at least 2, at most 17).

    A bangfu request is mostly CPU (templates, the ORM, forms) with short waits on the
    database; the extra worker keeps the cores busy while one waits, and a slow export blocks
    one worker, not the site. More workers than that only make the cores switch between them:
    on 2 cores with the demo data (`benchmarks/web_load.py`), 3 workers answered the cached
    dashboard 765 times a second with p99 86 ms at 50 connections where 5 workers (gunicorn's
    usual 2 × cores + 1) answered 572 times with p99 116 ms, and the other pages gained as
    well. Behind a PostgreSQL server on another machine, with longer waits, raise it with
    ``--workers`` or ``BANGFU_WEB_WORKERS``. The cap keeps memory (about 200 MiB a worker with
    the demo data) and database connections bounded on big machines.
    """
    cores = cores or cpu_count()
    return max(2, min(cores + 1, 17))


wsgi_app = "bangfu.wsgi:application"
bind = "127.0.0.1:8000"
workers = int(os.environ.get("BANGFU_WEB_WORKERS") or default_workers())
threads = int(os.environ.get("BANGFU_WEB_THREADS") or 1)
# Behind nginx (which buffers slow clients) synchronous workers are the robust choice;
# more than one thread switches gunicorn to its threaded worker.
worker_class = "gthread" if threads > 1 else "sync"
# The longest synchronous pages are the Excel exports and the .docx briefing; imports and
# policy runs go to the task worker.
timeout = 120
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so a slow leak in a library never grows without bound. Not often:
# a new worker imports Django again (about 2 s of a core) and starts with empty page caches, so
# at 2,000 requests the dashboard's five workers were recycled every 20 s under load.
max_requests = 20_000
max_requests_jitter = 2_000
# X-Forwarded-Proto is trusted from the local nginx only (Django reads it through
# SECURE_PROXY_SSL_HEADER when BANGFU_HTTPS=1).
forwarded_allow_ips = "127.0.0.1,::1"

accesslog = "-"
errorlog = "-"
# The path without its query string (%(U)s, not %(r)s) and no referer: a query string or a
# referring URL may carry what someone searched for (an ID number, a phone).
access_log_format = '%(h)s %({x-forwarded-for}i)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms "%(a)s"'
proc_name = "bangfu-web"
# gunicorn 25's control socket defaults to one path in $HOME, shared by every instance on the
# machine; bangfu serve supervises gunicorn itself and needs none.
control_socket_disable = True
