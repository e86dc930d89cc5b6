"""The direct WebSocket path under eventlet, and every use of the socket libraries' internals."""
