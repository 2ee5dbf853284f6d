package org.pixelsimilarity;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.pixelsimilarity.cli.PixelSimilarityCli;

/**
 * Inputs for the bad-input tests, made in the test: small gray PNGs whose label can be told from the picture,
 * coloured and 16-bit PNGs, broken files; plus a CLI runner, a folder snapshot and a DuckDB reader.
 */
public final class BadInputFixtures {
  /** Side of the test images: small, so a dataset of dozens of images decodes in milliseconds. */
  public static final int SIDE = 8;

  private BadInputFixtures() {}

  /**
   * The gray pixels of image {@code i} of {@code label}: label "3" is bright on the left half, any other label
   * bright on the right half, with a little variation per image.
   */
  public static int[] pixels(String label, int i, int side) {
    int[] px = new int[side * side];
    boolean left = label.equals("3");
    for (int y = 0; y < side; y++) {
      for (int x = 0; x < side; x++) {
        boolean bright = (x < side / 2) == left;
        px[y * side + x] = bright ? 200 + (i * 7 + x + y) % 50 : (i * 3 + x * y) % 30;
      }
    }
    return px;
  }

  /** An 8-bit grayscale PNG. */
  public static Path grayPng(Path file, int[] px, int side) throws IOException {
    BufferedImage img = new BufferedImage(side, side, BufferedImage.TYPE_BYTE_GRAY);
    img.getRaster().setPixels(0, 0, side, side, px);
    return write(file, img);
  }

  /** A 16-bit grayscale PNG with the given 0..65535 samples. */
  public static Path gray16Png(Path file, int[] samples, int side) throws IOException {
    BufferedImage img = new BufferedImage(side, side, BufferedImage.TYPE_USHORT_GRAY);
    img.getRaster().setPixels(0, 0, side, side, samples);
    return write(file, img);
  }

  /** An RGB (alpha false) or RGBA PNG; {@code argb} per pixel. */
  public static Path colourPng(Path file, int[] argb, int side, boolean alpha) throws IOException {
    BufferedImage img = new BufferedImage(side, side, alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
    img.setRGB(0, 0, side, side, argb, 0, side);
    return write(file, img);
  }

  private static Path write(Path file, BufferedImage img) throws IOException {
    Files.createDirectories(file.getParent());
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    if (!ImageIO.write(img, "png", bytes)) {
      throw new IOException("no PNG writer");
    }
    Files.write(file, bytes.toByteArray());
    return file;
  }

  /** {@code root/<label>/<i>.png} for each label with {@code perLabel} good images. */
  public static Path dataset(Path root, int perLabel, String... labels) throws IOException {
    for (String label : labels) {
      for (int i = 0; i < perLabel; i++) {
        grayPng(root.resolve(label).resolve(String.format("%03d.png", i)), pixels(label, i, SIDE), SIDE);
      }
    }
    return root;
  }

  /** What one CLI call did. */
  public record Result(int exit, String out, String err) {
    /** The error output's lines. */
    public List<String> errLines() {
      return err.lines().toList();
    }

    @Override
    public String toString() {
      return "exit " + exit + "\n--- out\n" + out + "--- err\n" + err;
    }
  }

  /** Runs the CLI in this JVM (on the shared Spark context when one runs) and captures its output. */
  public static Result cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = PixelSimilarityCli.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Result(exit, out.toString(), err.toString());
  }

  /** Asserts an expected failure: exit code 1 and exactly one line, "error: " + a message containing each part. */
  public static Result assertOneLineError(Result r, String... parts) {
    assertEquals(1, r.exit(), r::toString);
    assertEquals(1, r.errLines().size(), () -> "one line expected\n" + r);
    for (String p : parts) {
      org.junit.jupiter.api.Assertions.assertTrue(r.err().startsWith("error: ") && r.err().contains(p),
          () -> "expected '" + p + "' in\n" + r);
    }
    return r;
  }

  /**
   * Runs {@code action} and returns what it logged at WARN and above (Spark's task failures land here), each
   * event as "LEVEL logger: message" plus its stack trace, if any.
   */
  public static String logsOf(Runnable action) {
    org.apache.logging.log4j.core.LoggerContext ctx =
        (org.apache.logging.log4j.core.LoggerContext) org.apache.logging.log4j.LogManager.getContext(false);
    org.apache.logging.log4j.core.config.Configuration config = ctx.getConfiguration();
    StringWriter logged = new StringWriter();
    org.apache.logging.log4j.core.Appender capture = org.apache.logging.log4j.core.appender.WriterAppender
        .newBuilder().setName("capture-" + System.nanoTime()).setTarget(logged)
        .setLayout(org.apache.logging.log4j.core.layout.PatternLayout.newBuilder()
            .withPattern("%p %c: %m%n%ex").build())
        .build();
    capture.start();
    config.getRootLogger().addAppender(capture, org.apache.logging.log4j.Level.WARN, null);
    ctx.updateLoggers();
    try {
      action.run();
    } finally {
      config.getRootLogger().removeAppender(capture.getName());
      ctx.updateLoggers();
      capture.stop();
    }
    return logged.toString();
  }

  /** Relative path to SHA-256 of every file under {@code dir} (empty when it does not exist). */
  public static Map<String, String> snapshot(Path dir) throws IOException {
    Map<String, String> out = new TreeMap<>();
    if (!Files.exists(dir)) {
      return out;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        out.put(dir.relativize(f).toString(), sha256(Files.readAllBytes(f)));
      }
    }
    return out;
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Rows of a DuckDB query, each row its columns joined by '|'; {@code REPORT} in the SQL is the report folder. */
  public static List<String> duckdb(Path report, String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql.replace("REPORT", report.toString().replace("'", "''")))) {
      List<String> rows = new ArrayList<>();
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i <= n; i++) {
          sb.append(i > 1 ? "|" : "").append(rs.getString(i));
        }
        rows.add(sb.toString());
      }
      return rows;
    }
  }

  /** The run ids in {@code runs}, sorted. */
  public static List<String> runIds(Path report) throws SQLException {
    return duckdb(report, "SELECT run_id FROM read_parquet('REPORT/runs/*/*.parquet') ORDER BY run_id");
  }
}
