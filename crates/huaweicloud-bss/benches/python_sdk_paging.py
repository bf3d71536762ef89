"""The paging benchmark's baseline: the official Python SDK on the same job.

Pages through the same customers, served by the same loopback server (the Rust benchmark binary
in its server mode), 100 per page, and prints the records per CPU-second of this process alone
and its peak resident memory. Run by hand, in a scratch virtualenv outside the repository (the
official SDK is never a dependency of this project):

    python3 -m venv /tmp/pysdk && /tmp/pysdk/bin/pip install huaweicloudsdkbss==3.1.219
    cargo bench -p huaweicloud-bss --no-run      # prints the path of the `client` bench binary
    /tmp/pysdk/bin/python crates/huaweicloud-bss/benches/python_sdk_paging.py target/release/deps/client-<hash>

Options: `--count N` customers (default 100,000), `--rounds N` (default 3), `--url URL` to page a
server that is already running instead of starting one (the benchmark's CLI report does this
when `HCBSS_BENCH_PYTHON` names this virtualenv's python, alternating with `hcbss` runs).

The Rust report measures twice, with client and server placed by the scheduler and with both on
core 0; for the second, run this script under `taskset -c 0` (the server inherits the core).
"""

import argparse
import os
import resource
import subprocess
import time

from huaweicloudsdkbss.v2 import BssClient, ListSubCustomersRequest, QuerySubCustomerListReq
from huaweicloudsdkcore.auth.credentials import GlobalCredentials
from huaweicloudsdkcore.http.http_config import HttpConfig

PAGE = 100


def peak_rss_kib():
    """This process's peak resident memory since it started (VmHWM; getrusage would also count
    the memory of the process that started this one, when it was started with vfork)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("bench_binary", nargs="?")
    parser.add_argument("--url")
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    server = None
    url = args.url
    if url is None:
        server = subprocess.Popen(
            [args.bench_binary],
            env={
                **os.environ,
                "HCBSS_BENCH_CUSTOMER_SERVER": "1",
                "HCBSS_BENCH_CUSTOMERS": str(args.count),
            },
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        url = server.stdout.readline().strip()
    client = (
        BssClient.new_builder()
        .with_http_config(HttpConfig.get_default_config())
        # An explicit domain id: the SDK would otherwise ask IAM for it over the network.
        .with_credentials(GlobalCredentials("BENCHAK", "bench-secret", "benchdomainid"))
        .with_endpoints([url])
        .build()
    )

    def page_all():
        records, offset = 0, 0
        while True:
            body = QuerySubCustomerListReq(offset=offset, limit=PAGE)
            response = client.list_sub_customers(ListSubCustomersRequest(body=body))
            items = response.customer_infos or []
            records += len(items)
            offset += PAGE
            if len(items) < PAGE or offset >= response.count:
                return records

    for _ in range(args.rounds):
        before = resource.getrusage(resource.RUSAGE_SELF)
        started = time.time()
        records = page_all()
        wall = time.time() - started
        after = resource.getrusage(resource.RUSAGE_SELF)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        print(
            f"python sdk: {records} customers, {wall:.1f} s wall, {cpu:.2f} s CPU, "
            f"{records / cpu:.0f} records per CPU-second, max RSS {peak_rss_kib() / 1024:.1f} MiB; "
            f"cpu_seconds={cpu:.3f} wall_seconds={wall:.3f} max_rss_kib={peak_rss_kib()}",
            flush=True,
        )
    if server is not None:
        server.stdin.close()
        server.wait()


if __name__ == "__main__":
    main()
