"""Deployments sharing one Redis do not hear each other's events."""

from app.config import queue_channel


def test_channel_follows_the_redis_database_unless_named():
    """Two Redis databases get two channels; SOCKETIO_CHANNEL overrides."""
    assert queue_channel({"REDIS_URL": "redis://cache:6379/3"}) == "tableside-db3"
    assert queue_channel({"REDIS_URL": "redis://cache:6379"}) == "tableside-db0"
    assert queue_channel({"REDIS_URL": "redis://cache:6379/3", "SOCKETIO_CHANNEL": "bistro"}) == "bistro"
