"""Socket.IO: handshake auth, floor rooms, broadcasting after commit, batching and sync."""
