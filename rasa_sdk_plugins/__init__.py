"""Start-up hook of the Suixing action server.

rasa_sdk looks for a top-level package named `rasa_sdk_plugins` when it starts (rasa_sdk/plugin.py, `init_hooks`) and
lets it attach Sanic listeners to the app (hook `attach_sanic_app_extensions`). This one warms the action server's
caches (actions/warmup.py) before the server accepts requests, so importing `actions` does no work and the first
person does not wait. Found because the action server is run from the repository root (PYTHONPATH=.).
"""
from __future__ import annotations

import pluggy

hookimpl = pluggy.HookimplMarker("rasa_sdk")


async def warm_up_before_serving(app, loop) -> None:
    """Sanic `before_server_start` listener: runs in the event loop's thread, where the actions run too."""
    from actions.warmup import warm_up

    warm_up()


class WarmUpPlugin:
    @hookimpl
    def attach_sanic_app_extensions(self, app) -> None:
        app.register_listener(warm_up_before_serving, "before_server_start")


def init_hooks(manager: pluggy.PluginManager) -> None:
    manager.register(WarmUpPlugin())
