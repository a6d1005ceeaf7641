import pytest


@pytest.fixture(scope="session")
def stack():
    """The running assistant on test ports: action server, Rasa with the trained model, the web page."""
    from tests.stack import Stack

    running = Stack().start()
    yield running
    running.close()
