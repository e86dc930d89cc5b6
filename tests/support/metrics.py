"""Reading /metrics as Prometheus does: parsed as the text exposition format, not matched as bytes."""

import requests
from prometheus_client.parser import text_string_to_metric_families


def read_metrics(text: str) -> dict[str, float]:
    """Every sample of an exposition by its full name, labels included: `name{label="value"}`."""
    samples = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            labels = ",".join(f'{key}="{value}"' for key, value in sorted(sample.labels.items()))
            samples[f"{sample.name}{{{labels}}}" if labels else sample.name] = sample.value
    return samples


def scrape(url: str) -> dict[str, float]:
    """The samples of a live server's /metrics."""
    response = requests.get(f"{url}/metrics", timeout=10)
    response.raise_for_status()
    return read_metrics(response.text)


def metric(url: str, name: str) -> float:
    """One sample of a live server's /metrics by its full name (labels included); 0 when not written."""
    return scrape(url).get(name, 0.0)
