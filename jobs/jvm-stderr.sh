# Sourced by jobs/run-local.sh and jobs/spark-class.sh before they start a JVM.
#
# conf/java-module-options adds the incubator module jdk.incubator.vector (the SIMD distance kernel needs it;
# VectorSupport falls back to plain loops without it), and every JVM that resolves an incubator module prints
# "WARNING: Using incubator modules: jdk.incubator.vector" on stderr while it boots, before any of our code runs;
# JDK 17 has no option to silence it. So, when stderr is a terminal, it goes through a filter that drops exactly
# that line and passes every other line on at once. The scripts still exec into the JVM (its PID stays the
# script's). The filter ignores Ctrl-C and ends when the JVM closes stderr, so the JVM's last words still show.
# When stderr is a file or a pipe (cron, CI, a log) nothing is filtered: a log then has every line written by
# the time the JVM has exited, which a filter process could not promise.
quiet_incubator_warning() {
  if [[ -t 2 ]]; then
    exec 2> >(trap '' INT TERM; exec grep --line-buffered -v -x -F \
      'WARNING: Using incubator modules: jdk.incubator.vector' >&2)
  fi
}
