"""`awardforms watch INBOX`: the loop around the inbox (inbox.py): watchdog events and
rescans wake it, each settled file is taken in turn; logging to INBOX/watch.log; Ctrl-C and
SIGTERM stop it between files. A failed render never stops the watcher.
"""

from __future__ import annotations

import logging
import signal
import threading
import time

from awardforms.commands.inbox import Watcher, WatchSettings, log

def setup_logging(settings: WatchSettings) -> None:
    log.setLevel(logging.INFO)
    log.propagate = False
    for h in list(log.handlers):
        log.removeHandler(h)
        h.close()
    # names that are not valid UTF-8 (GBK bytes from a Windows share) are logged escaped
    file_handler = logging.FileHandler(settings.log_file or settings.inbox / "watch.log", encoding="utf-8",
                                       errors="backslashreplace")
    file_handler.setFormatter(logging.Formatter("%(asctime)s %(message)s", "%Y-%m-%d %H:%M:%S"))
    console = logging.StreamHandler()
    console.setFormatter(_BriefFormatter("%(asctime)s %(message)s", "%Y-%m-%d %H:%M:%S"))
    for h in (file_handler, console):
        log.addHandler(h)


class _BriefFormatter(logging.Formatter):
    """The console gets the message only; tracebacks go to the log file."""

    def format(self, record: logging.LogRecord) -> str:
        if record.exc_info or record.exc_text:
            record = logging.makeLogRecord(record.__dict__)
            record.exc_info = record.exc_text = None
        return super().format(record)


def _start_observer(settings: WatchSettings, wake: threading.Event):
    try:
        from watchdog.events import FileSystemEventHandler
        if settings.poll:
            from watchdog.observers.polling import PollingObserver
            observer = PollingObserver(timeout=settings.poll)
        else:
            from watchdog.observers import Observer
            observer = Observer()

        class _Wake(FileSystemEventHandler):
            def on_any_event(self, event):
                wake.set()

        observer.schedule(_Wake(), str(settings.inbox), recursive=False)
        observer.daemon = True
        observer.start()
        return observer
    except Exception as err:  # noqa: BLE001 - rescans still work without events
        log.warning("无法监听文件夹事件（%s），改为每 %s 秒扫描一次。", err, settings.rescan)
        return None


def run(settings: WatchSettings, stop: threading.Event | None = None) -> int:
    """Watch until Ctrl-C / SIGTERM (or `stop` is set). Returns the exit status."""
    settings.inbox.mkdir(parents=True, exist_ok=True)
    setup_logging(settings)
    watcher = Watcher(settings)
    stop = stop or threading.Event()
    wake = threading.Event()
    _install_signals(stop, wake)
    observer = _start_observer(settings, wake)
    mode = f"轮询，每 {settings.poll} 秒" if settings.poll else "事件"
    if settings.copies or settings.pdf:
        mode += "；同时生成 PDF" + ("和打印版" if settings.copies else "")
    log.info("开始监视收件文件夹：%s（%s；输出到 %s；日志 %s）", settings.inbox, mode,
             settings.output_root, settings.log_file or settings.inbox / "watch.log")
    try:
        try:
            resume = watcher.recover()
        except Exception:  # noqa: BLE001 - still watch for new files
            log.error("检查上次中断的文件时程序内部出错。", exc_info=True)
            resume = []
        for path in resume:
            if stop.is_set():
                break
            watcher.process(path)
        next_rescan = 0.0
        while not stop.is_set():
            now = time.monotonic()
            if wake.is_set() or watcher.pending or now >= next_rescan:
                wake.clear()
                if now >= next_rescan:
                    next_rescan = now + settings.rescan
                    watcher.retry_unfiled()     # what could not be filed (disk full) is filed now
                try:
                    ready = watcher.scan()
                except Exception:  # noqa: BLE001 - try again at the next scan
                    log.error("扫描收件文件夹时程序内部出错。", exc_info=True)
                    ready = []
                for path in ready:
                    if stop.is_set():
                        break
                    if watcher.take(path) is not None and settings.collect:
                        _collect(settings)
            # short waits: a signal delivered to the observer's thread is only handled
            # when the main thread wakes up
            wake.wait(min(max(settings.settle / 4, 0.1), 0.5) if watcher.pending else 1.0)
    except KeyboardInterrupt:
        log.info("已中断；正在处理的文件留在 processing/ 中，下次启动时继续处理。")
    finally:
        if observer is not None:
            observer.stop()
            observer.join(timeout=5)
        log.info("已停止监视。")
    return 0


def _collect(settings: WatchSettings) -> None:
    from awardforms.collect.run import collect_inbox
    try:
        result = collect_inbox(settings.inbox, settings.output_root / "汇总", pdf=settings.pdf or settings.copies)
        if result.out_dir is None:
            log.warning("汇总未更新：%s", "；".join(result.messages))
        elif result.exit_code:
            log.info("汇总已更新：%s（有错误、重复推荐、超出名额或无法使用的文件，请打开其中的 index.html 查看）",
                     result.out_dir)
        else:
            log.info("汇总已更新：%s（没有发现问题）", result.out_dir)
    except Exception:  # noqa: BLE001 - the watcher goes on
        log.error("更新汇总时程序内部出错。", exc_info=True)


def _install_signals(stop: threading.Event, wake: threading.Event) -> None:
    if threading.current_thread() is not threading.main_thread():
        return

    def handler(signum, frame):
        if stop.is_set():
            raise KeyboardInterrupt
        log.info("收到停止信号，处理完当前文件后停止（再按一次 Ctrl-C 立即停止）。")
        stop.set()
        wake.set()

    signal.signal(signal.SIGINT, handler)
    signal.signal(signal.SIGTERM, handler)
