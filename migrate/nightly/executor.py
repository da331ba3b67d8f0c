"""Where each file's validation runs: this machine's process pool, or a Dask cluster (issue 17).

Both executors run the same pure function (worker.validate_task) on the same FileTask and hand back
the same plain ResultRecord (counts, line numbers, HMAC fingerprints: nothing history does not keep);
only the main process, which holds the run lock, writes them to history. Tasks arrive largest first
and are submitted in that order (dask: also as priorities), so the long files do not finish last.

A cluster worker reads the delivery and its reference extracts itself, at the same absolute paths as
the main process: the suite's root and every reference file must be on a filesystem every worker
mounts at the same place. `check_paths` proves it before the night starts (a tiny task on every
worker stats each path and reports what it sees), and each worker checks a reference file's hash
before it uses it. A worker lost mid-file (killed, out of memory, its host gone) is retried once on
another (after the scheduler's own `allowed-failures` retries); lost again, the file is recorded as
`worker-lost`, never dropped. The local pool does the same: it keeps one file in flight per process,
so a pool broken by a killed process loses only those; each runs once more alone in a fresh process.
"""

from __future__ import annotations

import os
import pickle
import re
import stat
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Sequence
from dataclasses import replace
from hashlib import sha256
from pathlib import Path
from typing import Any, Protocol

from migrate.errors import InputError, MigrateError, UsageError
from migrate.history.store import ResultRecord
from migrate.i18n import get_lang, set_lang, t
from migrate.nightly.worker import (
    LOST,
    FileTask,
    SourceContext,
    WorkerState,
    init_worker,
    install,
    unreadable,
    validate_task,
)

Record = Callable[[ResultRecord], None]
DASK_RE = re.compile(r"^dask://(?P<host>\[[0-9a-fA-F:]+\]|[A-Za-z0-9_.-]+):(?P<port>[0-9]{1,5})$")
CONNECT_TIMEOUT_S = 10.0  # scheduler and first worker: an unreachable cluster fails the night this fast
CHECK_TIMEOUT_S = 30.0  # the path check on every worker
_STATES_KEPT = 4  # per cluster worker: the states of the last few nights (one per suite, usually)


class Executor(Protocol):
    """Runs FileTasks somewhere and hands each result (a ResultRecord) to record, in this process."""

    name: str

    def workers(self) -> int: ...

    def check_paths(self, paths: Sequence[Path]) -> None: ...

    def run(
        self,
        tasks: Sequence[FileTask],
        registry: Any,
        contexts: dict[str, SourceContext],
        salt: bytes,
        record: Record,
    ) -> None: ...

    def close(self) -> None: ...


def parse_executor(value: str) -> str:
    """`local` or `dask://HOST:PORT` as given; anything else is a usage error (exit 2)."""
    if value == "local" or DASK_RE.match(value):
        return value
    raise UsageError(
        t("実行先が正しくありません: {v}", "bad executor: {v}", v=value),
        hint=t(
            "local か dask://HOST:PORT (Dask スケジューラのアドレス) を指定してください",
            "use local or dask://HOST:PORT (the Dask scheduler's address)",
        ),
    )


def open_executor(
    value: str, jobs: int, *, here: Callable[[FileTask], ResultRecord] | None = None
) -> Executor:
    """Connect to where the files run; `here` validates in this process (local, one job)."""
    spec = parse_executor(value)
    if spec == "local":
        return LocalExecutor(jobs, here=here)
    m = DASK_RE.match(spec)
    assert m is not None
    return DaskExecutor(f"tcp://{m['host']}:{m['port']}")


def lost_message() -> str:
    return t(
        "検証中のワーカーが失われました (再試行も失敗。メモリ不足やホスト停止の可能性)",
        "the worker validating it was lost, and again on the retry (out of memory? host down?)",
    )


# -- this machine ----------------------------------------------------------------------------------


class LocalExecutor:
    """Today's pool: spawn-started processes that die with this one (see worker.die_with_parent)."""

    name = "local"

    def __init__(
        self,
        jobs: int,
        *,
        here: Callable[[FileTask], ResultRecord] | None = None,
        fn: Callable[[FileTask], ResultRecord] | None = None,
    ) -> None:
        self.jobs = jobs
        self.here = here or validate_task  # one job: in this process
        self.fn = fn or validate_task  # in the pool (tests swap in one that kills its process)

    def workers(self) -> int:
        return self.jobs

    def check_paths(self, paths: Sequence[Path]) -> None:
        """The pool runs here: it sees what this process sees."""

    def close(self) -> None:
        """Nothing outlives run(): each pool is shut down there."""

    def run(
        self,
        tasks: Sequence[FileTask],
        registry: Any,
        contexts: dict[str, SourceContext],
        salt: bytes,
        record: Record,
    ) -> None:
        if not tasks:
            return
        lang = get_lang()
        if self.jobs <= 1 or len(tasks) == 1:
            install(registry, contexts, salt, lang)
            for task in tasks:
                record(self.here(task))
            return
        payload = pickle.dumps((registry, contexts, salt))
        queue = deque(tasks)
        suspects: list[FileTask] = []
        while queue:  # a broken pool is replaced; the files it had not started are not suspects
            suspects += self._pool(queue, self.jobs, payload, lang, salt, record)
        # The files in flight when a pool broke: once more, each alone, so that a file that kills its
        # process takes no other file with it; lost again, it is `worker-lost`.
        for task in suspects:
            if self._pool(deque([task]), 1, payload, lang, salt, record):
                record(unreadable(task, lost_message(), salt, code=LOST))

    def _pool(
        self, queue: deque[FileTask], jobs: int, payload: bytes, lang: str, salt: bytes, record: Record
    ) -> list[FileTask]:
        """Run the queue's files in one pool, at most one per process in flight (so that a pool broken by
        a killed process loses only the files in flight); those, when it broke."""
        import multiprocessing
        from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
        from concurrent.futures.process import BrokenProcessPool

        workers = min(jobs, len(queue))
        threads = max(1, (os.cpu_count() or 2) // workers)
        # spawn, not fork: forking a process whose polars thread pool is running can deadlock.
        pool = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=init_worker,
            initargs=(payload, threads, lang, os.getpid()),
        )
        flight: dict[Future[ResultRecord], FileTask] = {}
        lost: list[FileTask] = []
        try:
            while queue or flight:
                while queue and len(flight) < workers:
                    task = queue.popleft()
                    flight[pool.submit(self.fn, task)] = task
                done, _ = wait(flight, return_when=FIRST_COMPLETED)
                for fut in done:
                    task = flight.pop(fut)
                    try:
                        rec = fut.result()
                    except BrokenProcessPool:
                        lost.append(task)
                        continue
                    except Exception as exc:  # noqa: BLE001 - a failed file is a finding, the run goes on
                        rec = unreadable(task, type(exc).__name__, salt)
                    record(rec)
                if lost:
                    lost += flight.values()  # broken: everything in flight is lost with it
                    break
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            # Interrupted (Ctrl-C, SIGTERM): stop the workers now, not after their current file.
            for proc in list((getattr(pool, "_processes", None) or {}).values()):
                proc.terminate()
            raise
        pool.shutdown(wait=not lost, cancel_futures=True)
        return lost


# -- a Dask cluster --------------------------------------------------------------------------------


def _dask_missing() -> UsageError:
    return UsageError(
        t(
            "dask://… で実行するには distributed が必要です",
            "running on dask://… needs the distributed package",
        ),
        hint=t("pip install 'migrate[cluster]' でインストールしてください", "pip install 'migrate[cluster]'"),
    )


class DaskExecutor:
    """Files as tasks on a dask.distributed cluster; this process only submits and records."""

    name = "dask"

    def __init__(
        self,
        address: str,
        *,
        connect_timeout: float | None = None,
        fn: Callable[..., ResultRecord] | None = None,
    ) -> None:
        try:
            from distributed import Client
        except ImportError:
            raise _dask_missing() from None
        self.address = address
        self.fn = fn or run_remote  # tests swap in a function that kills its worker
        timeout = CONNECT_TIMEOUT_S if connect_timeout is None else connect_timeout
        shown = address.replace("tcp://", "dask://", 1)
        hint = t(
            "スケジューラ (dask scheduler) とワーカーが動いているか、アドレスとファイアウォールを確認してください。"
            "このマシンだけで実行するには --executor local",
            "check that the scheduler (dask scheduler) and its workers run, the address and the firewall; "
            "--executor local runs on this machine",
        )
        try:
            self.client = Client(address, timeout=f"{timeout}s", set_as_default=False)
        except (OSError, ValueError) as exc:  # TimeoutError is an OSError
            raise InputError(
                t(
                    "Dask スケジューラ {a} に接続できません ({s} 秒): {e}",
                    "cannot reach the Dask scheduler at {a} (within {s} s): {e}",
                    a=shown,
                    s=f"{timeout:g}",
                    e=type(exc).__name__,
                ),
                hint=hint,
            ) from None
        try:
            self.client.wait_for_workers(1, timeout=timeout)
        except (OSError, TimeoutError):
            self.client.close()
            raise InputError(
                t(
                    "Dask スケジューラ {a} にワーカーがいません ({s} 秒待ちました)",
                    "the Dask scheduler at {a} has no workers (waited {s} s)",
                    a=shown,
                    s=f"{timeout:g}",
                ),
                hint=hint,
            ) from None

    def workers(self) -> int:
        return len(self.client.scheduler_info(n_workers=-1).get("workers", {}))

    def close(self) -> None:
        self.client.close(timeout=5)

    def check_paths(self, paths: Sequence[Path]) -> None:
        """Every worker must see the suite's root and the reference files at the same paths, with the same
        migrate: a tiny task on each stats them and says what it sees."""
        from migrate import __version__

        wanted = {str(p): _size_of(p) for p in paths}
        addresses = sorted(self.client.scheduler_info(n_workers=-1).get("workers", {}))
        futures = {
            w: self.client.submit(_probe, wanted, workers=[w], allow_other_workers=False, pure=False)
            for w in addresses
        }
        try:
            deadline = time.monotonic() + CHECK_TIMEOUT_S
            seen = {
                w: fut.result(timeout=max(0.1, deadline - time.monotonic())) for w, fut in futures.items()
            }
        except Exception as exc:  # noqa: BLE001 - a worker lost or stuck in the check: the cluster is not ready
            raise InputError(
                t(
                    "ワーカーでのパス確認が終わりません: {e}",
                    "the path check on the workers did not finish: {e}",
                    e=type(exc).__name__,
                ),
                hint=t("ワーカーの状態を確認してください", "check the workers' health"),
            ) from None
        for worker in sorted(seen):
            version, problems = seen[worker]
            if version != __version__:
                raise InputError(
                    t(
                        "ワーカー {w} の migrate は {v} です (こちらは {m})",
                        "worker {w} runs migrate {v} (this process: {m})",
                        w=worker,
                        v=version,
                        m=__version__,
                    ),
                    hint=t(
                        "すべてのワーカーに同じ版の migrate をインストールしてください",
                        "install the same migrate on every worker",
                    ),
                )
            for path in wanted:
                if problems.get(path):
                    raise InputError(
                        t(
                            "ワーカー {w} から {p} が読めません: {e}",
                            "worker {w} cannot read {p}: {e}",
                            w=worker,
                            p=path,
                            e=problems[path],
                        ),
                        hint=t(
                            "スイートの root と参照ファイルは、すべてのワーカーが同じパスでマウントする共有ファイルシステムに置いてください",
                            "put the suite's root and the reference files on a shared filesystem every worker "
                            "mounts at the same path",
                        ),
                    )

    def run(
        self,
        tasks: Sequence[FileTask],
        registry: Any,
        contexts: dict[str, SourceContext],
        salt: bytes,
        record: Record,
    ) -> None:
        if not tasks:
            return
        from distributed import as_completed

        payload = pickle.dumps((registry, contexts, salt))
        key = sha256(payload).hexdigest()[:24]
        # The night's state travels as a worker plugin, not scattered data: the scheduler hands it to
        # every worker, also to one restarted after a loss (scattered data dies with its holders).
        plugin = f"migrate-night-{key}"
        self.client.register_plugin(_night_state()(key, payload), name=plugin)
        lang = get_lang()
        pending: dict[Any, tuple[FileTask, int, Any]] = {}  # future key -> (task, attempt, future)
        total = len(tasks)

        def submit(task: FileTask, i: int, attempt: int) -> Any:
            fut = self.client.submit(self.fn, key, task, lang, pure=False, priority=total - i)
            pending[fut.key] = (task, attempt, fut)
            return fut

        futures = [submit(task, i, 0) for i, task in enumerate(tasks)]
        order = {id(task): i for i, task in enumerate(tasks)}
        done = as_completed(futures, loop=self.client.loop)
        try:
            for fut in done:
                task, attempt, _ = pending.pop(fut.key)
                rec = self._outcome(fut, task, salt)
                fut.release()
                if rec is None and attempt == 0 and self.client.status == "running":
                    done.add(submit(task, order[id(task)], 1))  # lost: once more, elsewhere
                    continue
                record(rec or unreadable(task, lost_message(), salt, code=LOST))
        except BaseException:
            # Interrupted: nothing more runs for this night on the cluster.
            self.client.cancel([f for _, _, f in pending.values()], force=True)
            raise
        finally:
            self.client.unregister_worker_plugin(plugin)

    @staticmethod
    def _outcome(fut: Any, task: FileTask, salt: bytes) -> ResultRecord | None:
        """The task's result, a finding for a task that raised, or None when its worker was lost."""
        from distributed import KilledWorker

        if fut.status == "finished":
            try:
                rec: ResultRecord = fut.result()
                return rec
            except Exception as exc:  # noqa: BLE001 - a result that cannot be fetched: the worker is gone
                return (
                    None
                    if isinstance(exc, OSError | KilledWorker)
                    else unreadable(task, type(exc).__name__, salt)
                )
        if fut.status == "cancelled":
            return None
        err = fut.exception()
        if isinstance(err, KilledWorker):
            return None
        return unreadable(task, type(err).__name__, salt)


def _size_of(path: Path) -> int | None:
    """A file's size, which a worker must see the same (another file at the same path differs); none for
    a folder."""
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_size if stat.S_ISREG(st.st_mode) else None


def _probe(wanted: dict[str, int | None]) -> tuple[str, dict[str, str | None]]:
    """On a worker: (its migrate version, path → what is wrong with it there, None when fine)."""
    from migrate import __version__

    out: dict[str, str | None] = {}
    for path, size in wanted.items():
        try:
            st = Path(path).stat()
            if stat.S_ISDIR(st.st_mode):
                next(Path(path).iterdir(), None)  # a folder we may list
            else:
                with open(path, "rb"):
                    pass
            if size is not None and st.st_size != size:
                out[path] = f"size {st.st_size} != {size}"
            else:
                out[path] = None
        except OSError as exc:
            out[path] = exc.strerror or type(exc).__name__
    return __version__, out


_payloads: dict[str, bytes] = {}  # on a cluster worker: the nights its plugins brought
_states: OrderedDict[str, WorkerState] = OrderedDict()
_states_lock = threading.Lock()


def __getattr__(name: str) -> Any:
    """`NightState`, for a worker unpickling the plugin by name."""
    if name != "NightState":
        raise AttributeError(name)
    return _night_state()


def _night_state() -> Any:
    """NightState subclasses distributed's WorkerPlugin: defined on first use, so that only the dask
    path imports distributed."""
    if "NightState" in globals():
        return globals()["NightState"]
    from distributed.diagnostics.plugin import WorkerPlugin

    class NightState(WorkerPlugin):
        """The night's pickled state (registry, contexts, salt), installed on every worker."""

        def __init__(self, key: str, payload: bytes) -> None:
            self.key = key
            self.payload = payload

        def setup(self, worker: Any) -> None:
            _payloads[self.key] = self.payload

        def teardown(self, worker: Any) -> None:
            with _states_lock:
                _payloads.pop(self.key, None)
                _states.pop(self.key, None)

    NightState.__module__ = __name__
    NightState.__qualname__ = "NightState"
    globals()["NightState"] = NightState
    return NightState


def run_remote(key: str, task: FileTask, lang: str) -> ResultRecord:
    """On a cluster worker: the night's state (built once per worker), then the same validate_task."""
    set_lang(lang)
    payload = _payloads.get(key)
    if payload is None:
        raise RuntimeError("the night's state is not on this worker (plugin missing)")
    try:
        state = _state_for(key, payload)
    except MigrateError as exc:
        salt = pickle.loads(payload)[2]
        return unreadable(task, exc.render(), salt)
    return validate_task(task, state)


def _state_for(key: str, payload: bytes) -> WorkerState:
    with _states_lock:
        state = _states.get(key)
        if state is not None:
            _states.move_to_end(key)
            return state
        registry, contexts, salt = pickle.loads(payload)
        contexts = {sid: _with_refs(ctx, registry) for sid, ctx in contexts.items()}
        state = WorkerState(registry=registry, contexts=contexts, salt=salt)
        _states[key] = state
        while len(_states) > _STATES_KEPT:
            _states.popitem(last=False)
        return state


def _with_refs(ctx: SourceContext, registry: Any) -> SourceContext:
    """Read the source's reference extracts here, each only if its bytes are those the run hashed."""
    if not ctx.ref_files or ctx.refs is not None:
        return ctx
    from migrate.validate.run import load_refs

    values: dict[str, Any] = {}
    for target, path, mapping, digest in ctx.ref_files:
        h = sha256()
        try:
            with open(path, "rb") as fh:
                for chunk in iter(lambda: fh.read(1 << 20), b""):
                    h.update(chunk)
        except OSError as exc:
            raise InputError(
                t("参照ファイル {p} が読めません", "cannot read the reference file {p}", p=path),
                hint=exc.strerror,
            ) from None
        if h.hexdigest() != digest:
            raise InputError(
                t(
                    "参照ファイル {p} がこのワーカーでは別の内容です (実行中に変わったか、共有されていません)",
                    "the reference file {p} has other bytes on this worker (changed mid-run, or not shared)",
                    p=path,
                )
            )
        merge_refs(values, load_refs([(target, Path(path), mapping)], registry))
    return replace(ctx, refs=values or None)


def merge_refs(values: dict[str, Any], part: dict[str, Any]) -> None:
    for key, series in part.items():
        values[key] = series if key not in values else values[key].append(series).unique()


def throughput(done: int, nbytes: int, elapsed: float) -> tuple[float, float]:
    """(files per second, MB per second) so far."""
    elapsed = max(elapsed, 1e-6)
    return done / elapsed, nbytes / 1e6 / elapsed
