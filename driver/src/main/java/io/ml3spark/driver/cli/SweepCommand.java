package io.ml3spark.driver.cli;

import io.ml3spark.driver.config.RunConfig;
import io.ml3spark.driver.config.SweepGrid;
import io.ml3spark.driver.run.EvaluationReport;
import io.ml3spark.driver.run.OutputClaim;
import io.ml3spark.driver.run.RunClaim;
import io.ml3spark.driver.run.RunDirectory;
import io.ml3spark.driver.run.RunLock;
import io.ml3spark.driver.run.RunRecord;
import io.ml3spark.driver.run.TrainingRun;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/**
 * {@code sweep}: one train + evaluate run per point of a grid of config overrides, in one
 * Spark application, and a summary table (CSV) of their results. A point is found again by
 * its resolved config (each run's run.json holds it), not by its number: a retried sweep
 * skips the points already evaluated, resumes those interrupted, and runs the points of a
 * changed grid in new directories, so a result is never labelled with another point's values.
 */
@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = "Run train + evaluate for every point of a grid of config overrides; write summary.csv.")
public final class SweepCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions config;

    @Mixin
    SparkOptions spark;

    @Option(names = "--grid", required = true, paramLabel = "FILE",
            description = "HOCON grid: grid { seed = [0, 1, 2], \"meta-train.iterations\" = [100, 500] } (cartesian product).")
    File grid;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Sweep directory: run-000, run-001, ... and summary.csv.")
    String out;

    @Override
    public Integer call() {
        SweepGrid g = SweepGrid.load(grid);
        List<RunConfig> configs = new ArrayList<>();
        for (List<String> point : g.points()) {
            List<String> overrides = new ArrayList<>(config.set.overrides);
            overrides.addAll(point);
            configs.add(RunConfig.load(config.config, overrides));
        }
        try (JavaSparkContext sc = spark.start("ml3 sweep")) {
            RunDirectory sweep = RunDirectory.open(out, sc.hadoopConfiguration());
            // before the lock, so that a directory it does not own gets no file at all
            OutputClaim.claim(sweep, "sweep", SweepCommand::writtenByAnEarlierSweep);
            try (RunLock lock = RunLock.acquire(sweep, "sweep", System.out)) {
                runAll(sc, sweep, g, configs);
            }
        }
        return 0;
    }

    /** Trains and evaluates every point not yet evaluated, then writes summary.csv. */
    private static void runAll(JavaSparkContext sc, RunDirectory sweep, SweepGrid g, List<RunConfig> configs) {
        Map<String, String> runs = existingRuns(sweep, sc);
        StringBuilder csv = null;
        for (int i = 0; i < configs.size(); i++) {
            RunConfig cfg = configs.get(i);
            String name = runs.entrySet().stream().filter(e -> RunConfig.sameValues(e.getValue(), e.getKey(), cfg)).map(Map.Entry::getKey)
                    .findFirst().orElse(null);
            boolean known = name != null;
            if (!known) {
                name = nextFreeName(sweep);
                runs.put(name, cfg.render());
            }
            System.out.printf("[sweep] %s (%d/%d): %s%n", name, i + 1, configs.size(), String.join(" ", g.points().get(i)));
            RunDirectory dir = RunDirectory.open(sweep.uri() + "/" + name, sc.hadoopConfiguration());
            if (known && dir.exists(EvaluationReport.FILE)) {
                System.out.printf("[sweep] %s already evaluated with this point's config, skipped%n", name);
            } else {
                try (RunClaim claim = RunClaim.startOrContinue(dir, cfg, System.out)) {
                    TrainingRun.runThenMetaTest(sc, claim, true, System.out);
                }
            }
            List<EvaluationReport.Summary> results = EvaluationReport.summaries(dir.read(EvaluationReport.FILE),
                    dir.uri() + "/" + EvaluationReport.FILE);
            if (csv == null) {
                csv = header(g, results);
            }
            csv.append(name);
            for (String assignment : g.points().get(i)) {
                csv.append(',').append(csvValue(assignment.substring(assignment.indexOf('=') + 1)));
            }
            for (EvaluationReport.Summary r : results) {
                Boolean won = r.learnedWins();
                csv.append(',').append(r.learned()).append(',').append(r.baseline()).append(',')
                        .append(won == null ? "" : won.toString());
            }
            csv.append('\n');
            sweep.write(SUMMARY, csv.toString());
        }
        System.out.printf("[sweep] wrote %s/summary.csv (%d runs)%n", sweep.uri(), configs.size());
    }

    /** Whether {@code entries} are those of a sweep directory from before {@link OutputClaim}: run-NNN and summary.csv. */
    private static boolean writtenByAnEarlierSweep(List<String> entries) {
        return entries.stream().anyMatch(e -> RUN.matcher(e).matches())
                && entries.stream().allMatch(e -> RUN.matcher(e).matches() || e.equals(SUMMARY));
    }

    private static final java.util.regex.Pattern RUN = java.util.regex.Pattern.compile("run-\\d{3,}");
    private static final String SUMMARY = "summary.csv";

    /** The sweep's run directories and the config each ran with (from its run.json), by name. */
    private static Map<String, String> existingRuns(RunDirectory sweep, JavaSparkContext sc) {
        Map<String, String> runs = new TreeMap<>();
        for (String name : sweep.visibleEntries()) {
            String record = sweep.uri() + "/" + name + "/" + RunRecord.FILE;
            if (RUN.matcher(name).matches() && sweep.exists(name + "/" + RunRecord.FILE)) {
                runs.put(name, RunRecord.decode(RunDirectory.read(record, sc.hadoopConfiguration()), record).config());
            }
        }
        return runs;
    }

    /** The first run-NNN after every name in the sweep directory. */
    private static String nextFreeName(RunDirectory sweep) {
        int next = 0;
        for (String name : sweep.visibleEntries()) {
            if (RUN.matcher(name).matches()) {
                next = Math.max(next, Integer.parseInt(name.substring(4)) + 1);
            }
        }
        return String.format("run-%03d", next);
    }

    private static StringBuilder header(SweepGrid g, List<EvaluationReport.Summary> results) {
        StringBuilder h = new StringBuilder("run");
        for (String key : g.keys()) {
            h.append(',').append(key);
        }
        for (EvaluationReport.Summary r : results) {
            String p = r.taskSet() + "_" + r.metric();
            h.append(',').append(p).append("_ml3,").append(p).append("_baseline,").append(r.taskSet()).append("_ml3_better");
        }
        return h.append('\n');
    }

    private static String csvValue(String v) {
        return v.contains(",") || v.contains("\"") ? "\"" + v.replace("\"", "\"\"") + "\"" : v;
    }
}
