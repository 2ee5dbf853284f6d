package org.pixelsimilarity.cli;

/** Calls the CLI's {@code main} in a child JVM of {@link MainExitTest}, then says that it returned. */
public final class MainReturnsProbe {
  private MainReturnsProbe() {}

  public static void main(String[] args) {
    PixelSimilarityCli.main(args);
    System.out.println("main returned");
  }
}
