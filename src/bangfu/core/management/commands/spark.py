"""``bangfu spark start [--workers 2] [--cores 1] [--memory 2g] [--port P] [--dir var/spark]``,
``bangfu spark status``, ``bangfu spark stop``: a Spark standalone cluster on this machine
(``bangfu.core.spark_cluster``). Then ``bangfu kpi fill --engine spark --spark-master spark://…``."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from bangfu.core import spark_cluster


class Command(BaseCommand):
    help = "启动、查看或停止本机的 Spark 独立集群（master + workers）"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        start = sub.add_parser("start", help="启动 master 和 workers")
        start.add_argument("--workers", type=int, default=2)
        start.add_argument("--cores", type=int, default=1, help="每个 worker 的 CPU 核数")
        start.add_argument("--memory", default="2g", help="每个 worker 可分配给执行器的内存")
        start.add_argument("--port", type=int, default=None, help="master 端口（默认任选空闲端口）")
        start.add_argument("--webui-port", type=int, default=None)
        for name in ("start", "status", "stop"):
            target = start if name == "start" else sub.add_parser(name)
            target.add_argument("--dir", default=None, help="集群的工作目录（默认 var/spark）")

    def handle(self, *args, action: str, **options):
        folder = Path(options["dir"] or Path(settings.VAR_DIR) / "spark")
        if action == "start":
            if options["workers"] < 1:
                raise CommandError("--workers 至少为 1")
            try:
                cluster = spark_cluster.start(folder, workers=options["workers"], cores=options["cores"],
                                              memory=options["memory"], port=options["port"],
                                              webui_port=options["webui_port"])
            except spark_cluster.ClusterError as exc:
                raise CommandError(str(exc)) from None
            self.stdout.write(f"Spark 集群已启动：{cluster.master_url}（{len(cluster.worker_pids)} 个 worker，"
                              f"管理页面 {cluster.webui_url}）")
            self.stdout.write(f"使用：bangfu kpi fill --engine spark --spark-master {cluster.master_url}")
        elif action == "status":
            cluster = spark_cluster.read(folder)
            if cluster is None:
                raise CommandError("没有运行中的集群")
            alive = cluster.alive_workers()
            if alive < 0:
                raise CommandError(f"集群 {cluster.master_url} 没有响应")
            self.stdout.write(f"{cluster.master_url}：{alive} 个 worker 在线（管理页面 {cluster.webui_url}）")
        else:
            ended = spark_cluster.stop(folder)
            self.stdout.write(f"已停止 {ended} 个进程" if ended else "没有运行中的集群")
