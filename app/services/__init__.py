"""The operations every entry point calls: forms, JSON API, CLI, sockets and the worker."""
