package io.ml3spark.driver.cli;

import io.ml3spark.driver.run.EvaluationReport;
import io.ml3spark.driver.run.Plots;
import io.ml3spark.driver.run.RunDirectory;
import io.ml3spark.driver.run.RunDirectoryError;
import io.ml3spark.experiments.MetaTestResult;
import io.ml3spark.experiments.MetricDirection;
import org.apache.hadoop.conf.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code summarize}: one Markdown table per experiment, a row per run directory (from its
 * evaluation.json) and the mean; per task set, whether the learned loss beat the task loss in
 * the metric's own direction (lower mse, higher accuracy), never a ratio of the two.
 */
@Command(name = "summarize", mixinStandardHelpOptions = true,
        description = "Print Markdown tables (one per experiment) of the meta-test results of run directories: per run, mean, and how often ML3 won.")
public final class SummarizeCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "RUN_DIR", description = "Run directories holding evaluation.json.")
    List<String> runs;

    @Option(names = "--step", paramLabel = "N", description = "The metrics after N meta-test SGD steps (default: after the last).")
    Integer step;

    @Option(names = "--plot", paramLabel = "DIR", description = "Also draw, per experiment and task set, the runs' mean"
            + " meta-test curves with the lowest and highest run: DIR/<experiment>-<task set>.png.")
    String plot;

    @Override
    public Integer call() {
        if (step != null && step < 0) {
            throw new io.ml3spark.driver.config.ConfigError("--step: a number of meta-test steps >= 0, got " + step);
        }
        Configuration hadoop = new Configuration();
        Map<String, Map<String, EvaluationReport.Evaluation>> byExperiment = new LinkedHashMap<>();
        for (String run : runs) {
            String file = run + "/evaluation.json";
            EvaluationReport.Evaluation e = EvaluationReport.read(RunDirectory.read(file, hadoop), file, step == null ? -1 : step);
            byExperiment.computeIfAbsent(e.experiment(), k -> new LinkedHashMap<>()).put(run, e);
        }
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, Map<String, EvaluationReport.Evaluation>> group : byExperiment.entrySet()) {
            if (out.length() > 0) {
                out.append('\n');
            }
            table(out, group.getKey(), group.getValue());
        }
        System.out.print(out);
        if (plot != null) {
            plotRuns(hadoop);
        }
        return 0;
    }

    /** Per experiment and task set, the runs' mean curves as the rows of one meta-test plot. */
    private void plotRuns(Configuration hadoop) {
        Map<String, Map<String, List<double[][]>>> curves = new LinkedHashMap<>();
        Map<String, EvaluationReport.Summary> metrics = new LinkedHashMap<>();
        for (String run : runs) {
            String file = run + "/evaluation.json";
            EvaluationReport.Evaluation e = EvaluationReport.read(RunDirectory.read(file, hadoop), file);
            EvaluationReport.curves(RunDirectory.read(file, hadoop), file).forEach((set, c) -> {
                curves.computeIfAbsent(e.experiment(), k -> new LinkedHashMap<>()).computeIfAbsent(set, k -> new ArrayList<>())
                        .add(c);
                metrics.put(e.experiment() + "/" + set, e.sets().stream().filter(s -> s.taskSet().equals(set))
                        .findFirst().orElse(null));
            });
        }
        RunDirectory dir = RunDirectory.open(plot, hadoop);
        curves.forEach((experiment, sets) -> sets.forEach((set, perRun) -> {
            int steps = perRun.get(0)[0].length;
            if (perRun.stream().anyMatch(c -> c[0].length != steps)) {
                throw new RunDirectoryError("runs of " + experiment + " have meta-tests of different lengths on " + set);
            }
            double[][] learned = perRun.stream().map(c -> c[0]).toArray(double[][]::new);
            double[][] baseline = perRun.stream().map(c -> c[1]).toArray(double[][]::new);
            EvaluationReport.Summary s = metrics.get(experiment + "/" + set);
            MetaTestResult r = new MetaTestResult(set, s == null ? "metric" : s.metric(),
                    s == null ? MetricDirection.NEITHER : s.direction(), learned, baseline, null);
            String name = experiment + "-" + set + ".png";
            dir.write(name, Plots.metaTest(experiment + ": meta-test on " + set + " tasks, mean of " + perRun.size()
                    + " runs", r, "run"));
            System.out.println("wrote " + dir.uri() + "/" + name);
        }));
    }

    private static void table(StringBuilder out, String experiment, Map<String, EvaluationReport.Evaluation> runs) {
        List<EvaluationReport.Summary> first = runs.values().iterator().next().sets();
        List<String> layout = first.stream().map(s -> s.taskSet() + " " + s.metric()).toList();
        out.append("### ").append(experiment).append(" (").append(runs.size()).append(runs.size() == 1 ? " run" : " runs")
                .append(")\n\n| run |");
        StringBuilder rule = new StringBuilder("|---|");
        for (EvaluationReport.Summary s : first) {
            out.append(String.format(" %s %s ML3 | %s %s baseline | ML3 better (%s) |", s.taskSet(), s.metric(),
                    s.taskSet(), s.metric(), s.direction().words()));
            rule.append("---|---|---|");
        }
        out.append('\n').append(rule).append('\n');
        double[] sums = new double[2 * first.size()];
        int[] wins = new int[first.size()];
        for (Map.Entry<String, EvaluationReport.Evaluation> run : runs.entrySet()) {
            List<EvaluationReport.Summary> sets = run.getValue().sets();
            List<String> mine = sets.stream().map(s -> s.taskSet() + " " + s.metric()).toList();
            if (!mine.equals(layout)) {
                throw new RunDirectoryError("runs of " + experiment + " have different task sets: "
                        + runs.keySet().iterator().next() + " has " + layout + ", " + run.getKey() + " has " + mine);
            }
            out.append("| ").append(run.getKey()).append(" |");
            for (int i = 0; i < sets.size(); i++) {
                EvaluationReport.Summary s = sets.get(i);
                Boolean won = s.learnedWins();
                out.append(String.format(" %.3f | %.3f | %s |", s.learned(), s.baseline(),
                        won == null ? "-" : won ? "yes" : "no"));
                sums[2 * i] += s.learned();
                sums[2 * i + 1] += s.baseline();
                wins[i] += Boolean.TRUE.equals(won) ? 1 : 0;
            }
            out.append('\n');
        }
        out.append("| mean |");
        for (int i = 0; i < first.size(); i++) {
            boolean directed = first.get(i).direction() != MetricDirection.NEITHER;
            out.append(String.format(" %.3f | %.3f | %s |", sums[2 * i] / runs.size(), sums[2 * i + 1] / runs.size(),
                    directed ? wins[i] + " of " + runs.size() : "-"));
        }
        out.append('\n');
    }
}
