package org.pixelsimilarity;

/**
 * Whether the JDK Vector API ({@code jdk.incubator.vector}) can be used: its module is in the boot layer (Spark's
 * launcher flags add it) and the CPU's preferred int vector has at least 8 lanes. The kernels that use it fall
 * back to plain loops with the same arithmetic otherwise; {@code -Dpixelsimilarity.vector=false} forces that.
 */
public final class VectorSupport {
  /** Decided once per JVM. */
  public static final boolean AVAILABLE = decide();

  private VectorSupport() {}

  private static boolean decide() {
    if (!Boolean.parseBoolean(System.getProperty("pixelsimilarity.vector", "true"))) {
      return false;
    }
    if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
      return false;
    }
    try {
      return Lanes.ints() >= 8;
    } catch (LinkageError e) {
      return false;
    }
  }

  /** Kept apart so that the Vector API classes are only resolved once the module is known to be there. */
  private static final class Lanes {
    static int ints() {
      return jdk.incubator.vector.IntVector.SPECIES_PREFERRED.length();
    }
  }
}
