"""The research API: named queries with typed parameters, their OpenAPI description, and the
Python API for notebooks (:mod:`.client`). Nothing here imports Flask: ``web/api.py`` serves it.
"""
