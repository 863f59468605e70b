"""Starts moto's server (`python -m moto.server` arguments) with two costs per request removed.

moto 5 lists its own package directory (an os.listdir plus ~170 stat calls) on every request to
find the service a Host header names, and werkzeug logs a line per request. Under 20 regions of
concurrent calls on 2 CPUs those two make up about a third of moto's answer time, which then
dominates any benchmark of parallel calls. The listing cannot change while the server runs, so it
is read once; request lines are dropped, warnings and errors still reach stderr. Everything else
(routing, backends, responses) is moto's own code, unchanged.
"""

import functools
import logging
import sys

import moto.backends
import moto.server

moto.backends.list_of_moto_modules = functools.cache(
    lambda original=moto.backends.list_of_moto_modules: tuple(original())
)
logging.getLogger("werkzeug").setLevel(logging.WARNING)

if __name__ == "__main__":
    moto.server.main(sys.argv[1:])
