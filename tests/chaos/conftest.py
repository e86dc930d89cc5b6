"""One chaos run shared by the module: the cluster, its clients and writers, torn down whatever happens."""

import pytest

from tests.chaos.cluster import ChaosCluster, ensure_services_running
from tests.chaos.faults import ChaosRun
from tests.support.backing_services import postgres_url, redis_url


@pytest.fixture(scope="module")
def chaos(tmp_path_factory):
    """Two web processes and the worker on PostgreSQL and Redis, five clients, three writers."""
    try:
        cluster = ChaosCluster(tmp_path_factory.mktemp("chaos"), postgres_url(), redis_url())
        try:
            run = ChaosRun(cluster).start()
            try:
                yield run
            finally:
                run.stop()
        finally:
            cluster.stop()
    finally:
        ensure_services_running()
