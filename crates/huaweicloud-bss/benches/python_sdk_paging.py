"""The paging benchmark's baseline: the official Python SDK on the same job.

Pages through the same 100,000 customers, served by the same loopback server (the Rust benchmark
binary in its server mode), 100 per page, and prints the records per CPU-second of this process
alone. Run by hand, in a scratch virtualenv outside the repository (the official SDK is never a
dependency of this project):

    python3 -m venv /tmp/pysdk && /tmp/pysdk/bin/pip install huaweicloudsdkbss
    cargo bench -p huaweicloud-bss --no-run      # prints the path of the `client` bench binary
    /tmp/pysdk/bin/python crates/huaweicloud-bss/benches/python_sdk_paging.py target/release/deps/client-<hash>

The Rust report measures twice, with client and server placed by the scheduler and with both on
core 0; for the second, run this script under `taskset -c 0` (the server inherits the core).
"""

import os
import resource
import subprocess
import sys
import time

from huaweicloudsdkbss.v2 import BssClient, ListSubCustomersRequest, QuerySubCustomerListReq
from huaweicloudsdkcore.auth.credentials import GlobalCredentials
from huaweicloudsdkcore.http.http_config import HttpConfig

PAGE = 100


def main(bench_binary):
    server = subprocess.Popen(
        [bench_binary],
        env={**os.environ, "HCBSS_BENCH_CUSTOMER_SERVER": "1"},
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

    for _ in range(3):
        before = resource.getrusage(resource.RUSAGE_SELF)
        started = time.time()
        records = page_all()
        after = resource.getrusage(resource.RUSAGE_SELF)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        print(
            f"python sdk: {records} customers, {time.time() - started:.1f} s wall, "
            f"{cpu:.2f} s CPU, {records / cpu:.0f} records per CPU-second",
            flush=True,
        )
    server.stdin.close()
    server.wait()


if __name__ == "__main__":
    main(sys.argv[1])
