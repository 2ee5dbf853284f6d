"""Example Airflow DAG: the nightly pixel-similarity evaluation with SparkSubmitOperator.

A file to copy into your Airflow dags/ folder and adapt, not a dependency of this project. It needs the
apache-airflow-providers-apache-spark package and a Spark connection (default id "spark_default") whose host is
the cluster's master URL, e.g. spark://spark-master:7077, yarn, or k8s://https://<api-server>:6443; the deploy mode
goes in the connection's extra, e.g. {"deploy-mode": "client"}.

The run id is made from the DAG run's logical date ({{ ds }}): a retried task, a cleared task or a backfill of the
same day replaces that day's rows in the report tables, it never adds a second copy.

The quality gate (MIN_ACCURACY, MAX_DROP): a run below the minimum accuracy, or fallen more than MAX_DROP since
the previous run on the same validation path, is written whole (tables, and pages in <report>/html/) and then the
job exits 3, so the task fails and Airflow's alerting sees it. Retries would only repeat the same verdict, so
exit 3 is not retried: spark-submit in client mode returns the driver's code; set retries to 0 if your deploy
mode hides it.
"""

from datetime import datetime, timedelta

from airflow import DAG
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator

APP_JAR = "/opt/pixel-similarity/target/pixel-similarity-0.1.0.jar"  # a path the cluster can read in cluster mode
MODEL = "/data/models/current"
VALID = "/data/mnist/valid"
REPORT = "/data/reports/pixel-similarity"
MIN_ACCURACY = "0.90"
MAX_DROP = "0.02"

with DAG(
    dag_id="pixel_similarity_evaluate",
    schedule="15 2 * * *",
    start_date=datetime(2026, 1, 1),
    catchup=False,
    max_active_runs=1,
    default_args={"retries": 2, "retry_delay": timedelta(minutes=15)},
    tags=["pixel-similarity"],
) as dag:
    SparkSubmitOperator(
        task_id="evaluate",
        conn_id="spark_default",
        application=APP_JAR,
        java_class="org.pixelsimilarity.cli.PixelSimilarityCli",
        name="pixel-similarity-evaluate-{{ ds }}",
        executor_memory="2g",
        executor_cores=1,
        total_executor_cores=8,
        conf={"spark.ui.showConsoleProgress": "false"},
        application_args=[
            "evaluate",
            "--model", MODEL,
            "--valid", VALID,
            "--report", REPORT,
            "--run-id", "scheduled-{{ ds }}",
            "--min-accuracy", MIN_ACCURACY,
            "--max-drop", MAX_DROP,
        ],
    )
