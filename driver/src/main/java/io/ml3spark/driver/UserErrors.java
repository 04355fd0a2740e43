package io.ml3spark.driver;

import io.ml3spark.driver.config.ConfigError;
import io.ml3spark.driver.run.NonFiniteResultError;
import io.ml3spark.driver.run.RunDirectoryError;
import io.ml3spark.driver.train.SparkJobError;
import io.ml3spark.format.Safetensors;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/**
 * How failures reach the user: always as one line on stderr. Failures that are the user's to
 * fix (config, paths, files, non-finite results) are that line alone; any other failure (a
 * bug, or a fault nobody anticipated) also has its stack trace written to a log file that
 * the line names, or printed with {@code --debug}.
 */
final class UserErrors {
    private UserErrors() {
    }

    static boolean isUserError(Throwable e) {
        return e instanceof ConfigError || e instanceof RunDirectoryError
                || e instanceof Safetensors.CorruptFileException || e instanceof NonFiniteResultError
                || e instanceof SparkJobError;
    }

    static int exitCode(Throwable e) {
        return e instanceof ConfigError ? 2 : 1;
    }

    static String describe(Throwable e) {
        String m = e.getMessage() != null ? e.getMessage() : e.toString();
        int newline = m.indexOf('\n');
        return newline < 0 ? m : m.substring(0, newline).trim() + " ...";
    }

    /** Reports {@code e} on {@code err}; returns the exit code. */
    static int report(Throwable e, PrintWriter err, boolean debug) {
        if (isUserError(e)) {
            err.println("error: " + describe(e));
            if (debug) {
                e.printStackTrace(err);
            }
            return exitCode(e);
        }
        String line = "error: " + e.getClass().getSimpleName() + ": " + describe(e);
        if (debug) {
            err.println(line);
            e.printStackTrace(err);
            return 1;
        }
        err.println(line + " (" + traceFile(e) + ")");
        return 1;
    }

    /**
     * A background thread's uncaught exception as one warning line, its trace in a log file:
     * Spark's internal pools can throw while the context shuts down after a failed run (a
     * RejectedExecutionException from a callback), and the user's error line is the one to read.
     */
    static void reportBackground(Thread thread, Throwable e, PrintWriter err) {
        err.println("warning: thread " + thread.getName() + ": " + e.getClass().getSimpleName() + ": " + describe(e)
                + " (" + traceFile(e) + ")");
        err.flush();
    }

    /** Writes the stack trace into a fresh log file under java.io.tmpdir; says where, or why not. */
    private static String traceFile(Throwable e) {
        StringWriter trace = new StringWriter();
        e.printStackTrace(new PrintWriter(trace));
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        try {
            Path log = Files.createTempFile("ml3-error-" + stamp + "-", ".log");
            Files.writeString(log, trace.toString(), StandardCharsets.UTF_8);
            return "stack trace in " + log + "; --debug prints it";
        } catch (IOException | RuntimeException io) {
            return "rerun with --debug for the stack trace";
        }
    }
}
