package io.ml3spark.driver.run;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Predicate;

/**
 * Which command owns an output directory that is not a run's ({@code evaluate --out},
 * {@code sweep --out}): {@value #FILE} names it. A command writes only into a directory that
 * is new, empty, already its own, or one it wrote before the marker existed (as its
 * {@code legacy} test recognises), and marks it on first use.
 */
public final class OutputClaim {
    public static final String FILE = ".ml3-output";
    private static final int LISTED = 5;

    private OutputClaim() {
    }

    /** Claims {@code dir} for {@code command}, or fails naming what is in the way. */
    public static void claim(RunDirectory dir, String command, Predicate<List<String>> legacy) {
        String mark = "ml3-spark " + command + "\n";
        if (dir.exists(FILE)) {
            String found = new String(dir.read(FILE), StandardCharsets.UTF_8);
            if (!found.equals(mark)) {
                String other = found.startsWith("ml3-spark ") && found.length() < 64 ? found.substring(10).trim() : "another program";
                throw new RunDirectoryError(dir.uri() + " holds the output of " + other + ", not of " + command
                        + "; choose a new or empty --out");
            }
            return;
        }
        List<String> entries = dir.visibleEntries();
        if (!entries.isEmpty() && !legacy.test(entries)) {
            throw new RunDirectoryError(dir.uri() + " is not empty and was not written by " + command + " ("
                    + String.join(", ", entries.subList(0, Math.min(LISTED, entries.size())))
                    + (entries.size() > LISTED ? ", ..." : "") + "); choose a new or empty --out");
        }
        dir.write(FILE, mark);
    }
}
