"""The running process: service, scheduler, dispatcher, leadership, HTTP, logs.

Importing it registers every handler's commands and the notice renderer with the core.
"""

import handlers  # noqa: F401
