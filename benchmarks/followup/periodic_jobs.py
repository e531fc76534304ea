"""What the periodic jobs cost an idle worker: CPU share with the jobs on, beside the same worker with
every job switched off (the baseline), on the demo's data.

    PYTHONPATH=src:. python -m benchmarks.followup.periodic_jobs [--seconds 60] [--warm-up 45]

Loads the demo into a fresh SQLite database (a temporary folder), then:

- **per job**: each job of `settings.PERIODIC_JOBS` run in this process twice (`task.call()`), its CPU
  time (`time.process_time`): the first run sends what is due on the demo data, the second is the
  steady state (nothing new is due). "Share" is the second run's CPU divided by the job's interval.
- **worker**: `clusterxchange worker` started as a process, once with every job switched off
  (`PERIODIC_JOBS_OFF`) and once with them on; after `--warm-up` seconds (with the jobs on, every job
  is due at start and runs once then), its CPU time (utime + stime from /proc) over `--seconds`.
  Target: the jobs add under 1 % of a core to an idle worker.
"""

import argparse
import logging
import os
import subprocess
import sys
import time

from benchmarks.django_setup import setup_django

TICKS = os.sysconf("SC_CLK_TCK")


def _setup() -> None:
    setup_django(
        "periodic",
        quiet=logging.WARNING,
        settings={"EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"},
    )


def per_job() -> list[tuple[str, int, float, float]]:
    """(job, interval s, first run CPU s, second run CPU s) for each configured job."""
    from django.utils.module_loading import import_string

    from clusterxchange.core.periodic import configured_jobs

    rows = []
    for job in configured_jobs():
        task = import_string(job.task_path)
        times = []
        for _run in range(2):
            start = time.process_time()
            task.call()
            times.append(time.process_time() - start)
        rows.append((job.name, int(job.every.total_seconds()), times[0], times[1]))
    return rows


def cpu_seconds(pid: int) -> float:
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime


def worker_share(jobs_off: str, warm_up: float, seconds: float) -> float:
    """The worker's CPU in percent of one core over `seconds`, after `warm_up`."""
    env = {**os.environ, "PERIODIC_JOBS_OFF": jobs_off}
    worker = subprocess.Popen(  # our own CLI, no shell  # nosec B603
        [sys.executable, "-m", "clusterxchange", "worker"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        time.sleep(warm_up)
        before = cpu_seconds(worker.pid)
        time.sleep(seconds)
        return 100 * (cpu_seconds(worker.pid) - before) / seconds
    finally:
        worker.terminate()
        worker.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--warm-up", type=float, default=45)
    args = parser.parse_args()
    _setup()
    from django.conf import settings

    from clusterxchange.core.demo import load_demo

    started = time.perf_counter()
    load_demo()
    print(f"demo loaded in {time.perf_counter() - started:.0f} s; load average {os.getloadavg()[0]:.1f}")
    rows = per_job()
    print("\n| job | every (s) | first run CPU (s) | steady run CPU (s) | share of a core |")
    print("|---|---:|---:|---:|---:|")
    total = 0.0
    for name, every, first, steady in rows:
        share = 100 * steady / every
        total += share
        print(f"| {name} | {every} | {first:.3f} | {steady:.3f} | {share:.3f} % |")
    print(f"| all jobs, steady state | | | | {total:.3f} % |")
    all_jobs = ",".join(settings.PERIODIC_JOBS)
    off = worker_share(all_jobs, args.warm_up, args.seconds)
    on = worker_share("", args.warm_up, args.seconds)
    print(f"\n| idle worker over {args.seconds:.0f} s | CPU (% of a core) |")
    print("|---|---:|")
    print(f"| baseline: every periodic job switched off | {off:.2f} % |")
    print(f"| periodic jobs on | {on:.2f} % |")
    print(f"| added by the jobs | {on - off:.2f} % |")
    print(f"load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
