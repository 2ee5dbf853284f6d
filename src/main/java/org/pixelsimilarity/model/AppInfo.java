package org.pixelsimilarity.model;

/** The application's own version, from the jar manifest (or "dev" when run from classes). */
public final class AppInfo {
  private AppInfo() {}

  public static String version() {
    String v = AppInfo.class.getPackage().getImplementationVersion();
    return v != null ? v : "dev";
  }
}
