"""Things shared by the action server, the web server and the Rasa channels.

Every module here imports only the standard library, so both virtual
environments (.venv/app and .venv/rasa) can use it: privacy masking, the one
hand-over cases store, path settings and data retention.
"""
