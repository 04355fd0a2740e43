package io.ml3spark.driver.cli;

import io.ml3spark.driver.run.EvaluationReport;
import io.ml3spark.driver.run.RunDirectory;
import org.apache.hadoop.conf.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code summarize}: one Markdown table row per run directory, from its evaluation.json, plus the mean. */
@Command(name = "summarize", mixinStandardHelpOptions = true,
        description = "Print a Markdown table of the meta-test results of run directories (per run and mean).")
public final class SummarizeCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "RUN_DIR", description = "Run directories holding evaluation.json.")
    List<String> runs;

    @Override
    public Integer call() {
        Configuration hadoop = new Configuration();
        StringBuilder out = new StringBuilder();
        List<double[]> rows = new ArrayList<>();
        for (String run : runs) {
            String file = run + "/evaluation.json";
            List<EvaluationReport.Summary> sets = EvaluationReport.summaries(RunDirectory.read(file, hadoop), file);
            if (rows.isEmpty()) {
                out.append("| run |");
                StringBuilder rule = new StringBuilder("|---|");
                for (EvaluationReport.Summary s : sets) {
                    out.append(String.format(" %s %s ML3 | %s %s baseline | ratio |", s.taskSet(), s.metric(), s.taskSet(),
                            s.metric()));
                    rule.append("---|---|---|");
                }
                out.append('\n').append(rule).append('\n');
            }
            double[] row = new double[sets.size() * 3];
            for (int i = 0; i < sets.size(); i++) {
                row[3 * i] = sets.get(i).learned();
                row[3 * i + 1] = sets.get(i).baseline();
                row[3 * i + 2] = sets.get(i).ratio();
            }
            rows.add(row);
            out.append("| ").append(run).append(" |").append(cells(row)).append('\n');
        }
        double[] mean = new double[rows.get(0).length];
        for (double[] r : rows) {
            for (int i = 0; i < mean.length; i++) {
                mean[i] += r[i] / rows.size();
            }
        }
        out.append("| mean |").append(cells(mean)).append('\n');
        System.out.print(out);
        return 0;
    }

    private static String cells(double[] row) {
        StringBuilder s = new StringBuilder();
        for (double v : row) {
            s.append(String.format(" %.3f |", v));
        }
        return s.toString();
    }
}
