package org.pixelsimilarity.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * The colour folder benchmark run by {@code jobs/bench.sh --stages folder-colour}: the bar that a colour PNG
 * tree runs end to end within 1.3× of the gray tree of the same images. Both trees come from {@link FolderTree}
 * (the same images, names and labels; one gray, one recoloured RGB). Each round runs {@code jobs/run-local.sh run}
 * (train from {@code train/}, evaluate {@code valid/}, write the report and pages) once on the gray tree and once on
 * the colour tree, as fresh processes, gray first in odd rounds and colour first in even ones so that neither
 * always meets a warmer page cache; then prints each round's figures, the medians and {@code
 * folder_colour_over_gray}, the colour median's time over the gray median's.
 *
 * <p>Arguments: {@code <images> <master> <gray tree> <colour tree> <results dir> [rounds]} (rounds default 2).
 */
public final class ColourFolderBench {
  private ColourFolderBench() {}

  public static void main(String[] args) throws Exception {
    long images = Long.parseLong(args[0]);
    String master = args[1];
    Path gray = Path.of(args[2]).toAbsolutePath();
    Path colour = Path.of(args[3]).toAbsolutePath();
    int rounds = args.length > 5 ? Integer.parseInt(args[5]) : 2;
    Path repo = Path.of("").toAbsolutePath();
    Path work = repo.resolve("target/bench-data/folder-colour-" + images + "-run");
    Bench.deleteTree(work);
    Files.createDirectories(work);
    BenchReport report = new BenchReport(System.out, images, master);
    double[] graySeconds = new double[rounds];
    double[] colourSeconds = new double[rounds];
    for (int round = 0; round < rounds; round++) {
      boolean grayFirst = round % 2 == 0;
      for (int k = 0; k < 2; k++) {
        boolean isGray = (k == 0) == grayFirst;
        String stage = (isGray ? "folder_run_gray" : "folder_run_colour") + "_" + (round + 1);
        Path tree = isGray ? gray : colour;
        ChildRun.Result r = FolderBench.job(repo, master, work.resolve(stage + ".log"), "run",
            "--train", tree.resolve("train").toString(), "--valid", tree.resolve("valid").toString(),
            "--report", work.resolve("report-" + stage).toString());
        report.stage(stage, images, r.seconds(), r.cpuSeconds());
        (isGray ? graySeconds : colourSeconds)[round] = r.seconds();
      }
    }
    double g = median(graySeconds);
    double c = median(colourSeconds);
    report.stage("folder_run_gray", images, g, -1);
    report.stage("folder_run_colour", images, c, -1);
    report.value("folder_colour_over_gray", c / g, String.format(Locale.ROOT,
        "%.2f (the colour tree's median time over the gray tree's; the bar is 1.30)", c / g));
    Path json = report.write(Path.of(args[4]));
    Path named = json.resolveSibling("folder-colour-" + json.getFileName());
    Files.move(json, named);
    System.out.println("json=" + named);
  }

  static double median(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    int n = v.length;
    return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  }
}
