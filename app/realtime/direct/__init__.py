"""The direct WebSocket path under eventlet, and every use of the socket libraries' internals.

- room_index.py (issue 15): python-socketio 5.18.1's `BaseManager.rooms`, `callbacks`,
  `pending_connect` and `pending_disconnect`, and its `basic_enter_room`, `basic_leave_room`,
  `basic_disconnect` and `get_rooms` replaced with the same effect (canary:
  tests/realtime/test_room_index.py).
"""
