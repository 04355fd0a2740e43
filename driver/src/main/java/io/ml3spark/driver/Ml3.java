package io.ml3spark.driver;

import io.ml3spark.driver.cli.BenchCommand;
import io.ml3spark.driver.cli.EvaluateCommand;
import io.ml3spark.driver.cli.SummarizeCommand;
import io.ml3spark.driver.cli.SweepCommand;
import io.ml3spark.driver.cli.TrainCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/** Entry point of the application, for {@code ./ml3} and for {@code spark-submit}. */
@Command(name = "ml3", mixinStandardHelpOptions = true, version = "ml3-spark 0.1.0",
        description = "Meta-learns loss functions (ML3) with the meta-training on Apache Spark.",
        subcommands = {TrainCommand.class, EvaluateCommand.class, SummarizeCommand.class, SweepCommand.class, BenchCommand.class, CommandLine.HelpCommand.class})
public final class Ml3 implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command: train, evaluate, sweep, summarize or bench");
    }

    public static void main(String[] args) {
        System.exit(execute(new PrintWriter(System.err, true), args));
    }

    /** Runs a command line; returns the exit code (0 ok, 1 failure, 2 usage or configuration error). */
    public static int execute(PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new Ml3()).setErr(err);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("error: " + UserErrors.describe(e));
            if (!UserErrors.isUserError(e)) {
                e.printStackTrace(commandLine.getErr());
                return 1;
            }
            return UserErrors.exitCode(e);
        });
        return cli.execute(args);
    }
}
