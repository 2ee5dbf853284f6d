package org.pixelsimilarity.scoring;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The report's examples, collected in the scoring scan in two steps, each a UDF of {@link EvaluationScan}. The
 * scoring UDF asks {@link #mayKeep} of every image of a known label: could it be among the first of its group so
 * far, for either metric (a misclassified image a top-loss candidate of its (actual, predicted) pair, a correct one
 * a candidate of its label)? Almost every image is turned away by one comparison per metric: each full group's
 * cut-off (the margin or distance of the last example it keeps) is held in an array per label for correct images
 * and, for top losses, in a map of the groups that have one ({@link GroupCutoffs}), and the image's figure comes
 * from the fixed-point kernel's sums that the search for its nearest ideal image left behind
 * ({@link NearestIdeal#approximateDistance}, within {@link NearestIdeal#APPROXIMATION_ERROR}). Only for a candidate
 * does the query call the second UDF, which reads the image's origin and hands it to {@link #offer}: the book's
 * exact distances (two loops in doubles over its pixels) decide, and the image is kept in the {@link ExampleSet} of
 * its task ({@link ExamplesAccumulator}) if it is among the first of its group. The set is bounded, so a task holds
 * a few hundred images at most.
 *
 * <p>Both UDFs hold this one object, so within a task (one deserialized copy of the query) the cut-offs that
 * {@link #offer} raises are the ones {@link #mayKeep} reads. Were they ever two copies, {@code mayKeep} would only
 * pass more candidates: the examples kept would be the same.
 *
 * <p>The tasks of one scan that run in the same JVM (an executor, or the driver in local mode) also share their
 * cut-offs ({@link SharedCutoffs}): a group's cut-off in any task is a bound for all, since an image after the k-th
 * example one task keeps cannot be among the first k of the union. A task that starts after others then turns
 * away almost every image from its first row, where on its own it would first fill its groups again (at 10M images
 * in 63 tasks: 18,463 candidates without sharing).
 */
final class ExampleCollector implements java.io.Serializable {
  private static final long serialVersionUID = 1L;

  private final TaskIdeal ideal;
  /** The scan's name for {@link SharedCutoffs}: one per collector made on the driver, the same in every task. */
  private final String scan = java.util.UUID.randomUUID().toString();
  private transient SharedCutoffs shared;
  private transient double[] toTrue;
  private transient double[] toOther;
  /**
   * Per group of correct images (metric, label), at {@code m·k + label}: the cut-off of a full group (the distance
   * of its last example); NaN while it has room.
   */
  private transient double[] correctCutoff;
  /**
   * Per group of correct images, the cut-off as a bound on the kernel's integer sum ({@link NearestIdeal#sumAbove}):
   * an image whose sum is above it cannot beat the cut-off. {@code Long.MAX_VALUE} while the group has room.
   */
  private transient long[] sumCutoff;
  /**
   * Per group of top losses (metric, actual, predicted), numbered {@code (m·k + actual)·k + predicted}: the cut-off
   * of a full group (the margin of its last example), for the groups that have one; k² groups per metric, so held
   * sparse.
   */
  private transient GroupCutoffs lossCutoff;

  ExampleCollector(TaskIdeal ideal) {
    this.ideal = ideal;
  }

  /** Its task's state, set up as it is deserialized (see {@link TaskIdeal} for why). */
  private void readObject(java.io.ObjectInputStream in) throws java.io.IOException, ClassNotFoundException {
    in.defaultReadObject();
    NearestIdeal n = ideal.prepared();
    if (n != null) {
      init(n);
    }
  }

  private void init(NearestIdeal n) {
    if (lossCutoff == null) {
      int k = n.labelCount();
      toTrue = new double[2];
      toOther = new double[2];
      correctCutoff = new double[2 * k];
      Arrays.fill(correctCutoff, Double.NaN);
      sumCutoff = new long[2 * k];
      Arrays.fill(sumCutoff, Long.MAX_VALUE);
      lossCutoff = new GroupCutoffs();
      shared = SharedCutoffs.of(scan);
      shared.snapshot().forEach((g, c) -> take(n, g, c));
    }
  }

  /**
   * Whether an image of label index {@code actual}, whose nearest ideal images {@code code} (as
   * {@link NearestIdeal#nearest} packs them) were just found with {@code work}, may be kept by the group of either
   * metric: false only when, for both, its group is full and the image cannot beat the group's cut-off.
   */
  boolean mayKeep(int actual, int code, NearestIdeal.Work work) {
    NearestIdeal n = ideal.get();
    init(n);
    int k = n.labelCount();
    for (int m = 0; m < 2; m++) {
      int p = m == 0 ? code / k : code % k;
      if (p == actual) {
        // Correct: one comparison of integers (most images of a usable model are correct).
        if (!NearestIdeal.sumAbove(work, actual, m, sumCutoff[m * k + actual])) {
          return true;
        }
      } else {
        double cut = lossCutoff.get((m * k + actual) * k + p);
        if (Double.isNaN(cut) || !cannotBeat(n, work, m, actual, p, cut)) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Offers a candidate ({@link #mayKeep} said yes) to the group of each metric, with its exact distances;
   * {@code origin} is the image's origin as UTF-8 bytes, decoded only if the image is kept.
   */
  void offer(ExampleSet kept, int actual, int code, byte[] origin, byte[] pixels) {
    NearestIdeal n = ideal.get();
    init(n);
    int k = n.labelCount();
    n.distances(pixels, actual, toTrue);
    int otherDone = -1;
    String from = null;
    for (int m = 0; m < 2; m++) {
      int p = m == 0 ? code / k : code % k;
      int g = (m * k + actual) * k + p;
      double margin = 0;
      if (p != actual) {
        if (otherDone != p) {
          n.distances(pixels, p, toOther);
          otherDone = p;
        }
        margin = toTrue[m] - toOther[m];
      }
      take(n, g, shared.get(g));
      double cut = p == actual ? correctCutoff[m * k + actual] : lossCutoff.get(g);
      // Exactly after the cut-off: not kept (a tie goes on, the origin decides it).
      if (!Double.isNaN(cut) && (p == actual ? toTrue[m] > cut : margin < cut)) {
        continue;
      }
      if (from == null) {
        from = new String(origin, StandardCharsets.UTF_8);
      }
      String metric = m == 0 ? Metric.L1.key() : Metric.L2.key();
      Example e = p == actual
          ? new Example(new Example.Panel(metric, Example.CORRECT, n.label(actual), n.label(p)), from,
              new Example.Distances(0.0, toTrue[m], toTrue[m]), pixels)
          : new Example(new Example.Panel(metric, Example.TOP_LOSS, n.label(actual), n.label(p)), from,
              new Example.Distances(margin, toTrue[m], toOther[m]), pixels);
      kept.add(e);
      double own = cutoffOf(kept.last(e.group(), e.kind()), e.kind());
      if (!Double.isNaN(own)) {
        take(n, g, own);
        shared.tighten(g, own, isCorrect(n, g));
      }
    }
  }

  /** Whether group {@code g} holds correct images (its predicted label is its actual one). */
  private static boolean isCorrect(NearestIdeal n, int g) {
    int k = n.labelCount();
    return g % k == (g / k) % k;
  }

  /** Makes {@code c} group {@code g}'s cut-off if it is tighter (NaN: no cut-off). */
  private void take(NearestIdeal n, int g, double c) {
    if (Double.isNaN(c)) {
      return;
    }
    int k = n.labelCount();
    if (isCorrect(n, g)) {
      int m = g / (k * k);
      int i = m * k + g % k;
      if (Double.isNaN(correctCutoff[i]) || c < correctCutoff[i]) {
        correctCutoff[i] = c;
        sumCutoff[i] = n.sumBound(m, c);
      }
    } else {
      double old = lossCutoff.get(g);
      if (Double.isNaN(old) || c > old) {
        lossCutoff.put(g, c);
      }
    }
  }

  /**
   * The cut-offs of one scan's tasks in this JVM, by group: correct images' distances only go down, top losses'
   * margins only up. Tasks read them when they start and on each offer (rare), so the scan's per-image test reads
   * only its task's own cut-offs. A few scans are remembered, the oldest forgotten. JVM-wide state, kept because
   * Spark runs a scan's tasks as threads of one executor JVM; its gain (the candidates counted by
   * {@code ExamplesTest}) is to re-measure on each Spark upgrade (docs/development.md, "Spark upgrade checklist").
   */
  static final class SharedCutoffs {
    private static final int SCANS = 16;
    private static final java.util.Map<String, SharedCutoffs> BY_SCAN = new java.util.LinkedHashMap<>() {
      @Override
      protected boolean removeEldestEntry(java.util.Map.Entry<String, SharedCutoffs> eldest) {
        return size() > SCANS;
      }
    };
    /** By group number {@code (m·k + actual)·k + predicted}, the groups that have a cut-off. */
    private final GroupCutoffs cutoff = new GroupCutoffs();

    static SharedCutoffs of(String scan) {
      synchronized (BY_SCAN) {
        return BY_SCAN.computeIfAbsent(scan, s -> new SharedCutoffs());
      }
    }

    synchronized GroupCutoffs snapshot() {
      return cutoff.copy();
    }

    synchronized double get(int g) {
      return cutoff.get(g);
    }

    synchronized void tighten(int g, double c, boolean correct) {
      double old = cutoff.get(g);
      if (Double.isNaN(old) || (correct ? c < old : c > old)) {
        cutoff.put(g, c);
      }
    }
  }

  /**
   * True when a misclassified image's exact margin, whatever it is within the approximation, comes after a full
   * top-loss group's cut-off in {@link Example#ORDER} (never on a tie: the origin decides those). False when there
   * is no approximation (a hand-made model outside the fixed-point range): then the exact margin decides. (Correct
   * images are decided by {@link NearestIdeal#sumBound}.)
   */
  private static boolean cannotBeat(NearestIdeal n, NearestIdeal.Work work, int m, int actual, int p, double cut) {
    double e = NearestIdeal.APPROXIMATION_ERROR;
    double toActual = n.approximateDistance(work, actual, m);
    if (Double.isNaN(toActual)) {
      return false;
    }
    return toActual - n.approximateDistance(work, p, m) + 2 * e < cut;
  }

  /** A group's cut-off: its last example's margin (top losses) or distance (correct images); NaN with room. */
  private static double cutoffOf(Example last, String kind) {
    if (last == null) {
      return Double.NaN;
    }
    return Example.TOP_LOSS.equals(kind) ? last.margin() : last.distanceTrue();
  }
}
