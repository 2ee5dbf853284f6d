package org.pixelsimilarity.scoring;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The examples kept so far, bounded: at most {@link #TOP_PER_PAIR} top losses per (metric, actual, predicted)
 * and {@link #CORRECT_PER_CLASS} correct images per (metric, label), the first ones in {@link Example#ORDER}.
 * Adding and merging keep the first k of the union, so any partitioning and merge order give the same set.
 */
public final class ExampleSet implements Serializable {
  private static final long serialVersionUID = 1L;
  public static final int TOP_PER_PAIR = 8;
  public static final int CORRECT_PER_CLASS = 4;

  private final Map<String, TreeSet<Example>> groups = new HashMap<>();

  /** Keeps {@code e} if it is among the first k of its group. */
  public ExampleSet add(Example e) {
    TreeSet<Example> kept = groups.computeIfAbsent(e.group(), g -> new TreeSet<>(Example.ORDER));
    int cap = Example.TOP_LOSS.equals(e.kind()) ? TOP_PER_PAIR : CORRECT_PER_CLASS;
    if (kept.size() < cap) {
      kept.add(e);
    } else if (Example.ORDER.compare(e, kept.last()) < 0) {
      kept.add(e);
      if (kept.size() > cap) {
        kept.pollLast();
      }
    }
    return this;
  }

  /**
   * The last example a full group keeps (a newcomer must come before it in {@link Example#ORDER} to be kept), or
   * null while the group has room.
   */
  Example last(String group, String kind) {
    TreeSet<Example> kept = groups.get(group);
    int cap = Example.TOP_LOSS.equals(kind) ? TOP_PER_PAIR : CORRECT_PER_CLASS;
    return kept == null || kept.size() < cap ? null : kept.last();
  }

  public ExampleSet merge(ExampleSet other) {
    other.groups.values().forEach(kept -> kept.forEach(this::add));
    return this;
  }

  /** Every example kept, grouped, each group in {@link Example#ORDER}; groups in a fixed order. */
  public List<Example> examples() {
    List<String> keys = new ArrayList<>(groups.keySet());
    keys.sort(null);
    List<Example> out = new ArrayList<>();
    keys.forEach(k -> out.addAll(groups.get(k)));
    return out;
  }
}
