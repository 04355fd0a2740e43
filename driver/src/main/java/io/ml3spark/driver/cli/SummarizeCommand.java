package io.ml3spark.driver.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ml3spark.driver.run.RunDirectory;
import io.ml3spark.driver.run.RunDirectoryError;
import org.apache.hadoop.conf.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.IOException;
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
    public Integer call() throws IOException {
        Configuration hadoop = new Configuration();
        List<String> sets = null;
        List<double[]> rows = new ArrayList<>();
        StringBuilder out = new StringBuilder();
        for (String run : runs) {
            String file = run + "/evaluation.json";
            JsonNode eval;
            try {
                eval = new ObjectMapper().readTree(RunDirectory.read(file, hadoop));
            } catch (IOException e) {
                throw new RunDirectoryError("cannot parse " + file + ": " + e.getMessage());
            }
            if (sets == null) {
                sets = new ArrayList<>();
                eval.path("task_sets").fieldNames().forEachRemaining(sets::add);
                out.append("| run | seed |");
                StringBuilder rule = new StringBuilder("|---|---|");
                for (String set : sets) {
                    String metric = eval.path("task_sets").path(set).path("metric").asText();
                    out.append(String.format(" %s %s ML3 | %s %s baseline | ratio |", set, metric, set, metric));
                    rule.append("---|---|---|");
                }
                out.append('\n').append(rule).append('\n');
            }
            double[] row = new double[sets.size() * 3];
            for (int i = 0; i < sets.size(); i++) {
                JsonNode set = eval.path("task_sets").path(sets.get(i));
                String key = "final_" + set.path("metric").asText() + "_mean";
                row[3 * i] = set.path("ml3").path(key).asDouble(Double.NaN);
                row[3 * i + 1] = set.path("baseline").path(key).asDouble(Double.NaN);
                row[3 * i + 2] = row[3 * i] / row[3 * i + 1];
            }
            rows.add(row);
            out.append("| ").append(run).append(" | ").append(eval.path("seed").asText()).append(" |").append(cells(row)).append('\n');
        }
        double[] mean = new double[rows.get(0).length];
        for (double[] r : rows) {
            for (int i = 0; i < mean.length; i++) {
                mean[i] += r[i] / rows.size();
            }
        }
        out.append("| mean | |").append(cells(mean)).append('\n');
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
