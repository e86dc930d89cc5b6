"""Count Autobahn|Testsuite's verdicts in a fuzzingclient report, and name every case that is not OK.

python bench/autobahn/summarise.py /tmp/autobahn/reports/servers/index.json
"""

import json
import sys
from collections import Counter

VERDICTS = ("OK", "NON-STRICT", "INFORMATIONAL", "UNIMPLEMENTED", "FAILED")


def case_order(case: str) -> tuple[int, ...]:
    return tuple(int(part) for part in case.split("."))


def main(path: str) -> int:
    with open(path) as report:
        agents = json.load(report)
    failed = 0
    for agent, cases in agents.items():
        counts = Counter(result["behavior"] for result in cases.values())
        print(f"{agent}: {len(cases)} cases")
        print("  " + "  ".join(f"{verdict} {counts.get(verdict, 0)}" for verdict in VERDICTS))
        for case in sorted(cases, key=case_order):
            result = cases[case]
            if result["behavior"] != "OK" or result["behaviorClose"] not in ("OK", "INFORMATIONAL"):
                print(f"  {case}: {result['behavior']} (close: {result['behaviorClose']})")
        failed += counts.get("FAILED", 0)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
