package io.ml3spark.driver.cli;

import io.ml3spark.driver.Ml3Cli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchTableCommandTest {
    @TempDir
    Path work;

    @Test
    void printsOneRowPerFamilySizeWithTheTableReadOnceAndKeepsTheTablesInWork() {
        Ml3Cli.Result r = Ml3Cli.run("bench-table", "--config", "../conf/table-regression.conf", "--tasks", "40",
                "--rows", "24", "--features", "2", "--iterations", "4", "--runs", "2", "--master", "local[2]",
                "--work", work.toString(), "--set", "table-regression.rows.support=4", "--set",
                "table-regression.rows.query=4", "--set", "table-regression.meta-test.tasks=2");
        assertEquals(0, r.exit(), r.stderr());
        Matcher row = Pattern.compile("\\| 40 x 24 \\| [0-9.]+ \\| (\\d+) \\| (\\d+) \\| ([0-9.]+) \\| ([0-9.]+) \\| \\d+ \\|")
                .matcher(r.stdout());
        assertTrue(row.find(), r.stdout());
        assertTrue(Integer.parseInt(row.group(1)) > 0 && Integer.parseInt(row.group(2)) > 0, row.group());
        double ratio = Double.parseDouble(row.group(3));
        assertEquals(Double.parseDouble(row.group(1)) / Double.parseDouble(row.group(2)), ratio, 0.05 * ratio,
                "the ratio column is table / in memory");
        assertEquals("1.00", row.group(4), "each table run reads every row once");
        assertTrue(Files.isDirectory(work.resolve("outlier-lines-40x24x2")), "the table is kept in --work");
    }

    @Test
    void refusesAConfigThatIsNoTableExperiment() {
        Ml3Cli.Result r = Ml3Cli.run("bench-table", "--config", "../conf/sine-regression.conf", "--master", "local[1]");
        assertEquals(2, r.exit());
        assertTrue(r.stderr().contains("--config ../conf/sine-regression.conf: bench-table runs a table experiment"),
                r.stderr());
    }
}
