package io.ml3spark.driver;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;

/** The command line run in this JVM, as the tests drive it: its exit code, stdout and stderr. */
public final class Ml3Cli {
    public record Result(int exit, String stdout, String stderr) {
    }

    private Ml3Cli() {
    }

    public static Result run(String... args) {
        StringWriter err = new StringWriter();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream saved = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        int exit;
        try {
            exit = Ml3.execute(new PrintWriter(err, true), args);
        } finally {
            System.setOut(saved);
        }
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString());
    }
}
