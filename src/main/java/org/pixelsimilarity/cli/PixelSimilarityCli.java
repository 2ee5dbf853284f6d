package org.pixelsimilarity.cli;

import java.io.PrintWriter;
import org.pixelsimilarity.JobException;
import org.pixelsimilarity.model.AppInfo;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point: {@code pixel-similarity train|evaluate|run|ingest|predict|report}. Exit codes: 0 ok, 1 data or run
 * error (one line, the trace with --verbose), 2 usage error, 3 the run was written but failed its quality gate.
 */
@Command(name = "pixel-similarity", mixinStandardHelpOptions = true, versionProvider = PixelSimilarityCli.Version.class,
    description = "Nearest-ideal-image baseline classifier (fast.ai chapter 4) as a Spark job.",
    subcommands = {TrainCommand.class, EvaluateCommand.class, RunCommand.class, IngestCommand.class,
        PredictCommand.class, ReportCommand.class})
public final class PixelSimilarityCli implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(),
        "a subcommand is needed: train, evaluate, run, ingest, predict or report");
  }

  public static void main(String[] args) {
    System.setProperty("java.awt.headless", "true");
    int code = execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
    // Only a failure exits explicitly. On success main returns: Spark on YARN in cluster deploy mode takes a
    // System.exit from the user's main, even System.exit(0), as a failure ("Shutdown hook called before final
    // status was reported"), marks the application failed and runs it again as a second attempt (issue 22).
    if (code != 0) {
      System.exit(code);
    }
  }

  /** Runs the command line and returns the exit code (for tests: no System.exit). */
  public static int execute(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cli = new CommandLine(new PixelSimilarityCli());
    cli.setOut(out);
    cli.setErr(err);
    cli.setParameterExceptionHandler(PixelSimilarityCli::usageError);
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      boolean verbose = parseResult.subcommand() != null
          && parseResult.subcommand().hasMatchedOption("--verbose");
      JobException je = JobException.find(e);
      PrintWriter w = commandLine.getErr();
      if (je != null) {
        w.println("error: " + je.getMessage());
        if (verbose) {
          e.printStackTrace(w);
        }
      } else {
        w.println("error: unexpected failure: " + e);
        e.printStackTrace(w);
      }
      w.flush();
      return 1;
    });
    return cli.execute(args);
  }

  /**
   * A command line that cannot run: what is wrong, picocli's suggestions if it has any ("Possible solutions:
   * --version"), then always the usage of the command it was for (picocli's default leaves the usage out when it
   * has suggestions). Exit 2.
   */
  private static int usageError(CommandLine.ParameterException ex, String[] args) {
    CommandLine cmd = ex.getCommandLine();
    PrintWriter w = cmd.getErr();
    w.println(cmd.getColorScheme().errorText(ex.getMessage()));
    CommandLine.UnmatchedArgumentException.printSuggestions(ex, w);
    cmd.usage(w, cmd.getColorScheme());
    w.flush();
    return cmd.getCommandSpec().exitCodeOnInvalidInput();
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"pixel-similarity " + AppInfo.version()};
    }
  }
}
