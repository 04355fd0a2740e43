package io.ml3spark.driver.cli;

import io.ml3spark.driver.config.RunConfig;
import io.ml3spark.driver.config.SweepGrid;
import io.ml3spark.driver.run.EvaluationReport;
import io.ml3spark.driver.run.RunDirectory;
import io.ml3spark.driver.run.TrainingRun;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code sweep}: one train + evaluate run per point of a grid of config overrides, in one
 * Spark application, and a summary table (CSV) of their results. Points whose run
 * directory already holds evaluation.json are skipped, so a retried sweep continues.
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
            List<String> overrides = new ArrayList<>(config.overrides);
            overrides.addAll(point);
            configs.add(new ConfigOptions(config.config, overrides).load());
        }
        try (JavaSparkContext sc = spark.start("ml3 sweep")) {
            RunDirectory sweep = RunDirectory.open(out, sc.hadoopConfiguration());
            StringBuilder csv = null;
            for (int i = 0; i < configs.size(); i++) {
                RunConfig cfg = configs.get(i);
                String name = String.format("run-%03d", i);
                System.out.printf("[sweep] %s (%d/%d): %s%n", name, i + 1, configs.size(), String.join(" ", g.points().get(i)));
                RunDirectory dir = RunDirectory.open(sweep.uri() + "/" + name, sc.hadoopConfiguration());
                if (dir.exists("evaluation.json")) {
                    System.out.printf("[sweep] %s already evaluated, skipped%n", name);
                } else {
                    double[] learned = TrainingRun.run(sc, cfg, dir, false, System.out);
                    EvaluateCommand.evaluate(cfg.experiment(), cfg, learned, dir, dir.uri() + "/" + TrainingRun.LOSS_FILE);
                }
                List<EvaluationReport.Summary> results = EvaluationReport.summaries(dir.read("evaluation.json"),
                        dir.uri() + "/evaluation.json");
                if (csv == null) {
                    csv = header(g, results);
                }
                csv.append(name);
                for (String assignment : g.points().get(i)) {
                    csv.append(',').append(csvValue(assignment.substring(assignment.indexOf('=') + 1)));
                }
                for (EvaluationReport.Summary r : results) {
                    csv.append(',').append(r.learned()).append(',').append(r.baseline()).append(',').append(r.ratio());
                }
                csv.append('\n');
                sweep.write("summary.csv", csv.toString());
            }
            System.out.printf("[sweep] wrote %s/summary.csv (%d runs)%n", sweep.uri(), configs.size());
        }
        return 0;
    }

    private static StringBuilder header(SweepGrid g, List<EvaluationReport.Summary> results) {
        StringBuilder h = new StringBuilder("run");
        for (String key : g.keys()) {
            h.append(',').append(key);
        }
        for (EvaluationReport.Summary r : results) {
            String p = r.taskSet() + "_" + r.metric();
            h.append(',').append(p).append("_ml3,").append(p).append("_baseline,").append(r.taskSet()).append("_ratio");
        }
        return h.append('\n');
    }

    private static String csvValue(String v) {
        return v.contains(",") || v.contains("\"") ? "\"" + v.replace("\"", "\"\"") + "\"" : v;
    }
}
