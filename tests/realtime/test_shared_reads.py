"""One read shared by the sockets asking the same question: never an answer read before one asked."""

import time

from app.realtime.shared_reads import SharedReads


def test_an_answer_read_before_the_question_is_read_again_and_one_read_after_it_is_shared(app):
    reads = []
    shared = SharedReads()

    def read():
        reads.append(time.monotonic())
        return len(reads)

    with app.app_context():
        asked_first = time.monotonic()
        assert shared.get("head", read, asked_first) == 1
        assert shared.get("head", read, asked_first) == 1  # read after this asker asked: shared
        assert shared.get("head", read, time.monotonic()) == 2  # asked after that read began: read again
        assert shared.get("other", read, asked_first) == 3
        shared.forget("head")
        assert shared.get("head", read, float("-inf")) == 4
    assert len(reads) == 4


def test_a_read_gives_its_database_connection_back_when_it_ends(app):
    from app.extensions import db

    with app.app_context():
        assert SharedReads().get("one", lambda: db.session.execute(db.text("select 1")).scalar(), 0) == 1
        assert db.engine.pool.checkedout() == 0
