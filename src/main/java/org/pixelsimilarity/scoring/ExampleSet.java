package org.pixelsimilarity.scoring;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
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

  private transient Map<String, TreeSet<Example>> groups = new HashMap<>();

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

  /**
   * Written flat, field by field: every task sends its set to the driver (an accumulator's value), and Java's
   * serialization of a tree of records (each Example, its Strings and boxed Doubles) was enough work to make the JIT
   * compile the JDK's object-stream methods during the scan, about half a second of C2 per JVM.
   */
  private void writeObject(ObjectOutputStream out) throws IOException {
    out.defaultWriteObject();
    List<Example> all = examples();
    out.writeInt(all.size());
    for (Example e : all) {
      writeString(out, e.metric());
      writeString(out, e.kind());
      writeString(out, e.actual());
      writeString(out, e.predicted());
      writeString(out, e.origin());
      writeDouble(out, e.margin());
      writeDouble(out, e.distanceTrue());
      writeDouble(out, e.distancePredicted());
      out.writeInt(e.pixels().length);
      out.write(e.pixels());
    }
  }

  private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
    in.defaultReadObject();
    groups = new HashMap<>();
    int n = in.readInt();
    for (int i = 0; i < n; i++) {
      String metric = readString(in);
      String kind = readString(in);
      String actual = readString(in);
      String predicted = readString(in);
      String origin = readString(in);
      Double margin = readDouble(in);
      Double distanceTrue = readDouble(in);
      Double distancePredicted = readDouble(in);
      byte[] pixels = new byte[in.readInt()];
      in.readFully(pixels);
      add(new Example(new Example.Panel(metric, kind, actual, predicted), origin,
          new Example.Distances(margin, distanceTrue, distancePredicted), pixels));
    }
  }

  private static void writeString(ObjectOutputStream out, String s) throws IOException {
    if (s == null) {
      out.writeInt(-1);
      return;
    }
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(b.length);
    out.write(b);
  }

  private static String readString(ObjectInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0) {
      return null;
    }
    byte[] b = new byte[n];
    in.readFully(b);
    return new String(b, StandardCharsets.UTF_8);
  }

  private static void writeDouble(ObjectOutputStream out, Double d) throws IOException {
    out.writeBoolean(d != null);
    if (d != null) {
      out.writeDouble(d);
    }
  }

  private static Double readDouble(ObjectInputStream in) throws IOException {
    return in.readBoolean() ? in.readDouble() : null;
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
