package org.pixelsimilarity.scoring;

import java.io.Serializable;
import org.apache.spark.broadcast.Broadcast;

/**
 * The broadcast ideal images as the UDFs reach them: {@link Broadcast#value()} is a synchronized method (plus a
 * validity check and a soft reference) that the UDFs would otherwise call once or twice per image. Each task
 * deserializes its own copy of this holder, which asks the broadcast once, as it is deserialized, and keeps the
 * answer for the task.
 *
 * <p>Why as it is deserialized, and why the UDFs set up their work arrays then too: state made on a task's first
 * row is a branch that the JIT, compiling the UDFs while one task runs, has seen taken once or never; the next task
 * takes it and throws the compiled code away (JFR at 10M images: {@code TaskIdeal.get} and
 * {@code ExampleCollector.init} deoptimized so, three times in the first query; none once set up here). The UDFs'
 * own {@code readObject} methods ({@code BroadcastIdeals.NearestIndexUdf}, {@link ExampleCollector}) use
 * {@link #prepared()} for the same reason. A defence against the JIT, to re-measure on each Spark upgrade
 * (docs/development.md, "Spark upgrade checklist").
 */
final class TaskIdeal implements Serializable {
  private static final long serialVersionUID = 1L;
  private final Broadcast<NearestIdeal> broadcast;
  private transient NearestIdeal value;

  TaskIdeal(Broadcast<NearestIdeal> broadcast) {
    this.broadcast = broadcast;
  }

  NearestIdeal get() {
    NearestIdeal v = value;
    if (v == null) {
      v = broadcast.value();
      value = v;
    }
    return v;
  }

  private void readObject(java.io.ObjectInputStream in) throws java.io.IOException, ClassNotFoundException {
    in.defaultReadObject();
    value = prepare(broadcast);
  }

  /**
   * The broadcast's value, or null when it cannot be read here (then {@link #get} asks again, and fails where the
   * value is needed, with the broadcast's own error).
   */
  private static NearestIdeal prepare(Broadcast<NearestIdeal> broadcast) {
    try {
      return broadcast.value();
    } catch (Exception e) {
      return null;
    }
  }

  /** The value, or null where {@link #get} would fail: for UDFs that set up per-task state as they are read. */
  NearestIdeal prepared() {
    return value;
  }

  /** Drops the kept value (on the driver, when the broadcast is destroyed). */
  void forget() {
    value = null;
  }
}
