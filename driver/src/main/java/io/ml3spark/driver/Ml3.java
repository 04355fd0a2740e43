package io.ml3spark.driver;

import io.ml3spark.driver.cli.BenchCommand;
import io.ml3spark.driver.cli.BenchLossCommand;
import io.ml3spark.driver.cli.BenchTableCommand;
import io.ml3spark.driver.cli.BenchTrainCommand;
import io.ml3spark.driver.cli.EvaluateCommand;
import io.ml3spark.driver.cli.ImportLossCommand;
import io.ml3spark.driver.cli.MakeTasksCommand;
import io.ml3spark.driver.cli.RolloutCommand;
import io.ml3spark.driver.cli.SummarizeCommand;
import io.ml3spark.driver.cli.SweepCommand;
import io.ml3spark.driver.cli.TrainCommand;
import io.ml3spark.driver.cli.TrainModelCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/** Entry point of the application, for {@code ./ml3} and for {@code spark-submit}. */
@Command(name = "ml3", mixinStandardHelpOptions = true, version = "ml3-spark 0.1.0",
        description = "Meta-learns loss functions (ML3) with the meta-training on Apache Spark.",
        subcommands = {TrainCommand.class, EvaluateCommand.class, RolloutCommand.class, SummarizeCommand.class, SweepCommand.class, BenchCommand.class, BenchTrainCommand.class, BenchLossCommand.class, TrainModelCommand.class, ImportLossCommand.class, MakeTasksCommand.class, BenchTableCommand.class, CommandLine.HelpCommand.class})
public final class Ml3 implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Option(names = "--debug", scope = CommandLine.ScopeType.INHERIT,
            description = "Print the stack trace of a failure (else only its one-line error).")
    boolean debug;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command: train, evaluate, sweep, summarize or bench");
    }

    public static void main(String[] args) {
        PrintWriter err = new PrintWriter(System.err, true);
        Thread.setDefaultUncaughtExceptionHandler((thread, e) -> UserErrors.reportBackground(thread, e, err));
        int code = execute(err, args);
        // In YARN cluster mode the application master runs main() in a thread and reports success
        // only when it returns; an exit, even with 0, is reported as a failed application.
        if (code != 0 || System.getProperty("spark.yarn.app.id") == null) {
            System.exit(code);
        }
    }

    private static boolean debugRequested(CommandLine.ParseResult result) {
        for (CommandLine.ParseResult r = result; r != null; r = r.subcommand()) {
            if (r.hasMatchedOption("--debug")) {
                return true;
            }
        }
        return false;
    }

    /** Runs a command line; returns the exit code (0 ok, 1 failure, 2 usage or configuration error). */
    public static int execute(PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new Ml3()).setErr(err);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> UserErrors.report(e, commandLine.getErr(),
                debugRequested(parseResult)));
        cli.setParameterExceptionHandler((e, badArgs) -> {
            CommandLine where = e.getCommandLine();
            where.getErr().println("error: " + UserErrors.describe(e).replaceFirst("^Error: ", "") + " ("
                    + where.getCommandSpec().qualifiedName() + " --help lists the options)");
            where.getErr().flush();
            return 2;
        });
        try {
            return cli.execute(args);
        } catch (OutOfMemoryError e) {
            // picocli hands errors on; this one is the user's to act on, in one line.
            err.println("error: out of memory in this JVM (heap limit " + (Runtime.getRuntime().maxMemory() >> 20)
                    + " MB): give it more (ML3_JAVA_OPTS=-Xmx2g for ./ml3, spark.driver.memory under spark-submit)"
                    + " or make the Spark tasks smaller (meta-train.tasks-per-spark-task)");
            err.flush();
            return 1;
        }
    }
}
